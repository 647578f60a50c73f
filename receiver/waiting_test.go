package receiver_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/tidwall/gjson"

	"github.com/hookcheck/hookcheck/receiver"
	"github.com/hookcheck/hookcheck/receiver/api"
	"github.com/hookcheck/hookcheck/receiver/client"
)

// queryResult is what a query run in the background returns.
type queryResult struct {
	list    api.CallList
	err     error
	elapsed time.Duration
}

// queryInBackground runs c.Calls in a goroutine and delivers its result.
func queryInBackground(ctx context.Context, c *client.Client, id string, q client.CallQuery) <-chan queryResult {
	out := make(chan queryResult, 1)
	go func() {
		start := time.Now()
		list, err := c.Calls(ctx, id, q)
		out <- queryResult{list, err, time.Since(start)}
	}()
	return out
}

var _ = Describe("Waiting for calls", func() {
	var (
		rv *receiver.Receiver
		c  *client.Client
		ch api.Channel
		hc *http.Client
	)

	BeforeEach(func() {
		rv, c = startReceiver(receiver.Config{})
		ch = newChannel(c, api.ChannelRequest{})
		hc = freshClient(callWait)
	})

	// send posts a call with an optional event.
	send := func(body, event string) {
		GinkgoHelper()
		var h http.Header
		if event != "" {
			h = hdr("X-SuperOffice-Event", event)
		}
		Expect(post(hc, ch.URL, []byte(body), h)).To(Equal(http.StatusOK))
	}

	It("blocks until min calls have arrived", func() {
		done := queryInBackground(specCtx(), c, ch.ID, client.CallQuery{Min: 3, Wait: 30 * time.Second})
		send("1", "")
		send("2", "")
		Consistently(done, 300*time.Millisecond).ShouldNot(Receive(), "the query returned with fewer than min calls")
		send("3", "")
		var res queryResult
		Eventually(done, callWait).Should(Receive(&res))
		Expect(res.err).NotTo(HaveOccurred())
		Expect(res.list.Calls).To(HaveLen(3))
		Expect(res.elapsed).To(BeNumerically("<", 30*time.Second))
	})

	It("wakes a waiting query as soon as a call arrives, with no polling tick", func() {
		done := queryInBackground(specCtx(), c, ch.ID, client.CallQuery{Wait: 30 * time.Second})
		// Give the query the chance to be parked on the server; it must not
		// return on its own.
		Consistently(done, 100*time.Millisecond).ShouldNot(Receive())
		sent := time.Now()
		send(`{"n":"wake"}`, "")
		var res queryResult
		Eventually(done, callWait).Should(Receive(&res))
		Expect(res.err).NotTo(HaveOccurred())
		Expect(time.Since(sent)).To(BeNumerically("<", 2*time.Second), "the query was not woken by the call")
		Expect(res.list.Calls).To(HaveLen(1))
		Expect(res.list.Calls[0].Body).To(Equal(`{"n":"wake"}`))
	})

	It("returns at once, without waiting, when enough calls are already there", func() {
		send("1", "")
		start := time.Now()
		list, err := c.Calls(specCtx(), ch.ID, client.CallQuery{Wait: 30 * time.Second})
		Expect(err).NotTo(HaveOccurred())
		Expect(list.Calls).To(HaveLen(1))
		Expect(time.Since(start)).To(BeNumerically("<", 5*time.Second))
	})

	It("keeps only calls after the given seq, and waits for the next one past the end", func() {
		for i := 1; i <= 5; i++ {
			send(fmt.Sprint(i), "")
		}
		list, err := c.Calls(specCtx(), ch.ID, client.CallQuery{After: 3})
		Expect(err).NotTo(HaveOccurred())
		Expect(list.Calls).To(HaveLen(2))
		Expect(list.Calls[0].Seq).To(BeEquivalentTo(4))
		Expect(list.Calls[1].Seq).To(BeEquivalentTo(5))
		Expect(list.Last).To(BeEquivalentTo(5))

		done := queryInBackground(specCtx(), c, ch.ID, client.CallQuery{After: 5, Wait: 30 * time.Second})
		Consistently(done, 100*time.Millisecond).ShouldNot(Receive())
		send("6", "")
		var res queryResult
		Eventually(done, callWait).Should(Receive(&res))
		Expect(res.err).NotTo(HaveOccurred())
		Expect(res.list.Calls).To(HaveLen(1))
		Expect(res.list.Calls[0].Body).To(Equal("6"))
	})

	It("caps the answer at limit", func() {
		for i := 1; i <= 4; i++ {
			send(fmt.Sprint(i), "")
		}
		list, err := c.Calls(specCtx(), ch.ID, client.CallQuery{Limit: 2})
		Expect(err).NotTo(HaveOccurred())
		Expect(list.Calls).To(HaveLen(2))
		Expect(list.Calls[1].Seq).To(BeEquivalentTo(2))
	})

	It("filters by event, case-insensitively", func() {
		send("a", "contact.changed")
		send("b", "sale.created")
		send("c", "Contact.Changed")
		send("d", "")
		list, err := c.Calls(specCtx(), ch.ID, client.CallQuery{Event: "CONTACT.CHANGED"})
		Expect(err).NotTo(HaveOccurred())
		Expect(list.Calls).To(HaveLen(2))
		Expect(list.Calls[0].Body).To(Equal("a"))
		Expect(list.Calls[1].Body).To(Equal("c"))
	})

	It("keeps waiting through calls of other events when filtering by event", func() {
		done := queryInBackground(specCtx(), c, ch.ID, client.CallQuery{Event: "sale.deleted", Wait: 30 * time.Second})
		send("other", "contact.changed")
		Consistently(done, 300*time.Millisecond).ShouldNot(Receive(), "a call of another event ended the wait")
		send("mine", "Sale.Deleted")
		var res queryResult
		Eventually(done, callWait).Should(Receive(&res))
		Expect(res.err).NotTo(HaveOccurred())
		Expect(res.list.Calls).To(HaveLen(1))
		Expect(res.list.Calls[0].Body).To(Equal("mine"))
	})

	It("answers with whatever matches when the wait ends", func() {
		send("1", "")
		start := time.Now()
		list, err := c.Calls(specCtx(), ch.ID, client.CallQuery{Min: 5, Wait: 300 * time.Millisecond})
		Expect(err).NotTo(HaveOccurred())
		Expect(time.Since(start)).To(BeNumerically(">=", 300*time.Millisecond))
		Expect(list.Calls).To(HaveLen(1))

		_, err = c.WaitCalls(specCtx(), ch.ID, 0, 5, 100*time.Millisecond)
		Expect(err).To(MatchError(ContainSubstring("1 of 5 calls")))
	})

	Context("with MaxWait set", func() {
		It("clamps a longer wait to MaxWait", func() {
			_, small := startReceiver(receiver.Config{MaxWait: 200 * time.Millisecond})
			id := newChannel(small, api.ChannelRequest{}).ID
			start := time.Now()
			list, err := small.Calls(specCtx(), id, client.CallQuery{Wait: time.Hour})
			elapsed := time.Since(start)
			Expect(err).NotTo(HaveOccurred())
			Expect(list.Calls).To(BeEmpty())
			Expect(elapsed).To(BeNumerically(">=", 200*time.Millisecond))
			Expect(elapsed).To(BeNumerically("<", 10*time.Second), "wait=1h was not clamped")
		})
	})

	Describe("a client that goes away", func() {
		It("ends the query on the client's side when its context is cancelled", func() {
			ctx, cancel := context.WithCancel(specCtx())
			done := queryInBackground(ctx, c, ch.ID, client.CallQuery{Wait: 30 * time.Second})
			Consistently(done, 100*time.Millisecond).ShouldNot(Receive())
			cancel()
			var res queryResult
			Eventually(done, callWait).Should(Receive(&res))
			Expect(errors.Is(res.err, context.Canceled)).To(BeTrue(), "got %v", res.err)
		})

		It("ends the query on the server's side at once", func() {
			// A raw client that sends the query and then closes its sending
			// half: the server sees the client go and must answer at once
			// with what it has, instead of holding the query for 30 s.
			conn, err := net.Dial("tcp", hostPort(rv.URL()))
			Expect(err).NotTo(HaveOccurred())
			defer conn.Close()
			_, err = fmt.Fprintf(conn, "GET /_hookcheck/channels/%s/calls?wait=30s HTTP/1.1\r\nHost: %s\r\n\r\n", ch.ID, hostPort(rv.URL()))
			Expect(err).NotTo(HaveOccurred())
			Expect(conn.(*net.TCPConn).CloseWrite()).To(Succeed())
			Expect(conn.SetReadDeadline(time.Now().Add(callWait))).To(Succeed())
			start := time.Now()
			raw, err := io.ReadAll(conn)
			Expect(err).NotTo(HaveOccurred(), "the server held the query of a departed client")
			Expect(time.Since(start)).To(BeNumerically("<", callWait))
			head, body, found := strings.Cut(string(raw), "\r\n\r\n")
			Expect(found).To(BeTrue())
			Expect(head).To(HavePrefix("HTTP/1.1 200"))
			Expect(gjson.Get(body, "calls").IsArray()).To(BeTrue())
			Expect(gjson.Get(body, "calls.#").Int()).To(BeZero())
		})
	})
})
