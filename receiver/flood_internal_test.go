package receiver

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/receiver/journal"
)

// residentBytes returns the process's VmRSS from /proc/self/status, or
// false where there is none.
func residentBytes() (int64, bool) {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, false
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		if f := bytes.Fields(sc.Bytes()); len(f) >= 2 && string(f[0]) == "VmRSS:" {
			kib, err := strconv.ParseInt(string(f[1]), 10, 64)
			return kib << 10, err == nil
		}
	}
	return 0, false
}

// goMemory returns the Go heap and stack memory in use.
func goMemory() int64 {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapInuse + m.StackInuse)
}

// settle collects garbage and returns freed memory to the system, so the
// numbers after it are what is really held.
func settle() {
	runtime.GC()
	debug.FreeOSMemory()
}

var _ = Describe("Announced bodies", func() {
	// A thousand connections each announce a 1 MB body and send 3 bytes.
	// Before the fix the receiver reserved the announced megabyte for each
	// (1 GB resident) and kept it in the journal after they went away.
	const (
		conns     = 1000
		announced = 1_000_000
		budget    = 64 << 20 // what the whole flood may add while it is open
		leftover  = 16 << 20 // what may stay once it is over
	)

	It("reserve memory for what arrives, not for what is announced, and keep only what arrived", func() {
		rv, err := Start(Config{TLSListen: Off, SMTPListen: Off, BodyTimeout: time.Minute})
		Expect(err).NotTo(HaveOccurred())
		DeferCleanup(rv.Close)
		bufs := rv.channels.bufs
		addr := rv.URL()[len("http://"):]

		settle()
		rss0, haveRSS := residentBytes()
		go0, mapped0 := goMemory(), bufs.mappedBytes()

		head := fmt.Sprintf("POST /hooks/flood HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\nabc", addr, announced)
		var open []net.Conn
		DeferCleanup(func() {
			for _, c := range open {
				_ = c.Close()
			}
		})
		for range conns {
			c, err := net.Dial("tcp", addr)
			Expect(err).NotTo(HaveOccurred())
			open = append(open, c)
			_, err = c.Write([]byte(head))
			Expect(err).NotTo(HaveOccurred())
		}
		// Every request has made room for its body once that many buffers
		// are out: nothing else runs on this receiver.
		Eventually(bufs.lentBuffers, 30*time.Second, 10*time.Millisecond).Should(Equal(conns))

		mapped := bufs.mappedBytes() - mapped0
		grown := goMemory() - go0
		if !raceEnabled {
			grown += int64(mapped) // outside the Go heap, unless under -race
		}
		By(fmt.Sprintf("%d connections open: slabs +%d KiB, Go heap and stacks and slabs +%d KiB", conns, mapped>>10, grown>>10))
		Expect(mapped).To(BeNumerically("<", budget))
		Expect(grown).To(BeNumerically("<", budget))
		if haveRSS && !raceEnabled {
			rss, _ := residentBytes()
			By(fmt.Sprintf("VmRSS +%d KiB", (rss-rss0)>>10))
			Expect(rss - rss0).To(BeNumerically("<", budget))
		}

		for _, c := range open {
			Expect(c.Close()).To(Succeed())
		}
		open = nil
		ch := rv.channels.get("flood")
		Expect(ch).NotTo(BeNil())
		Eventually(func() int { held, _, _ := ch.log.Stats(); return held }, 30*time.Second, 10*time.Millisecond).Should(Equal(conns))
		Eventually(func() int { rv.inflight.mu.Lock(); defer rv.inflight.mu.Unlock(); return rv.inflight.n }, 30*time.Second, 10*time.Millisecond).Should(BeZero())

		// Each aborted call holds the 3 bytes that came, in a buffer of the
		// smallest class that fits the call.
		type held struct{ size, capacity int }
		buffers := journal.FindMap(context.Background(), ch.log, journal.Query[storedCall]{}, func(c *storedCall) held {
			_, size := class(len(c.buf))
			return held{size, cap(c.buf)}
		})
		Expect(buffers).To(HaveLen(conns))
		for _, b := range buffers {
			Expect(b.capacity).To(Equal(b.size))
			Expect(b.capacity).To(BeNumerically("<=", 1024))
		}
		for _, c := range ch.find(context.Background(), journal.Query[storedCall]{Limit: 3}) {
			Expect(c.Body).To(Equal("abc"))
			Expect(c.BodySize).To(Equal(int64(3)))
			Expect(c.Response.Fault).To(Equal("aborted"))
		}

		// The server's connection goroutines end an instant after their
		// requests: wait for the memory to come back, within a deadline.
		// Under -race the slabs are on the heap; they stay for later calls
		// (bounded above), so they are not counted as left over.
		onHeap := int64(0)
		if raceEnabled {
			onHeap = int64(bufs.mappedBytes() - mapped0)
		}
		Eventually(func() int64 { settle(); return goMemory() - go0 - onHeap }, 30*time.Second, 50*time.Millisecond).Should(BeNumerically("<", leftover))
		By(fmt.Sprintf("closed: Go heap and stacks +%d KiB, slabs mapped +%d KiB, %d goroutines", (goMemory()-go0)>>10, (bufs.mappedBytes()-mapped0)>>10, runtime.NumGoroutine()))
		if haveRSS && !raceEnabled {
			Eventually(func() int64 { settle(); rss, _ := residentBytes(); return rss - rss0 }, 30*time.Second, 50*time.Millisecond).
				Should(BeNumerically("<", leftover), "the room made for the bodies goes back to the system")
			rss, _ := residentBytes()
			By(fmt.Sprintf("VmRSS +%d KiB", (rss-rss0)>>10))
		}
	})
})
