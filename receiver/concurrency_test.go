package receiver_test

import (
	"fmt"
	"net/http"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/receiver"
	"github.com/hookcheck/hookcheck/receiver/api"
	"github.com/hookcheck/hookcheck/receiver/client"
)

var _ = Describe("Concurrent calls", func() {
	const workers, perWorker = 50, 20
	var (
		c  *client.Client
		hc *http.Client
	)

	BeforeEach(func() {
		_, c = startReceiver(receiver.Config{})
		// Connections are reused, so 1000 calls do not exhaust ports.
		hc = &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: workers}}
		DeferCleanup(hc.CloseIdleConnections)
	})

	// hammer runs workers goroutines that each send perWorker calls with
	// unique bodies to the URL target(w) and returns the first failure.
	hammer := func(target func(w int) string) error {
		var (
			wg       sync.WaitGroup
			firstErr atomic.Pointer[error]
		)
		fail := func(err error) { firstErr.CompareAndSwap(nil, &err) }
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range perWorker {
					body := fmt.Appendf(nil, `{"worker":%d,"call":%d}`, w, i)
					resp, _, err := sendCall(hc, http.MethodPost, target(w), body, nil)
					if err != nil {
						fail(err)
						return
					}
					if resp.StatusCode != http.StatusOK {
						fail(fmt.Errorf("worker %d call %d: status %d", w, i, resp.StatusCode))
						return
					}
				}
			}()
		}
		wg.Wait()
		if p := firstErr.Load(); p != nil {
			return *p
		}
		return nil
	}

	// readers keeps control-API readers busy until stop is closed, so the
	// race detector sees reads racing the writes; it returns their errors.
	readers := func(id string, stop <-chan struct{}) <-chan error {
		errs := make(chan error, 4)
		var wg sync.WaitGroup
		for r := range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				var after uint64
				exports := 0
				for {
					select {
					case <-stop:
						return
					default:
					}
					var err error
					switch r {
					case 0:
						var list api.CallList
						list, err = c.Calls(specCtx(), id, client.CallQuery{After: after, Wait: 50 * time.Millisecond})
						if n := len(list.Calls); n > 0 {
							after = list.Calls[n-1].Seq
						}
					case 1:
						// A few exports race the writers; more would only
						// slow the spec down, as the journal grows.
						if exports++; exports > 5 {
							<-stop
							return
						}
						_, err = c.Export(specCtx(), id, "har")
					case 2:
						_, err = c.Channels(specCtx())
					default:
						_, err = c.Health(specCtx())
					}
					if err != nil {
						errs <- err
						return
					}
				}
			}()
		}
		go func() { wg.Wait(); close(errs) }()
		return errs
	}

	It("records every call to one channel exactly once, numbered 1..1000 without gaps", func() {
		ch := newChannel(c, api.ChannelRequest{})
		stop := make(chan struct{})
		readErrs := readers(ch.ID, stop)
		Expect(hammer(func(int) string { return ch.URL })).To(Succeed())
		close(stop)
		for err := range readErrs {
			Expect(err).NotTo(HaveOccurred())
		}

		list, err := c.Calls(specCtx(), ch.ID, client.CallQuery{Min: workers * perWorker, Wait: callWait})
		Expect(err).NotTo(HaveOccurred())
		Expect(list.Calls).To(HaveLen(workers * perWorker))
		Expect(list.Last).To(BeEquivalentTo(workers * perWorker))
		bodies := map[string]bool{}
		for i, call := range list.Calls {
			Expect(call.Seq).To(BeEquivalentTo(i+1), "seq out of order or with a gap")
			Expect(bodies).NotTo(HaveKey(call.Body), "call recorded twice")
			bodies[call.Body] = true
		}
		for w := range workers {
			for i := range perWorker {
				Expect(bodies).To(HaveKey(fmt.Sprintf(`{"worker":%d,"call":%d}`, w, i)))
			}
		}
	})

	It("keeps separate channels apart, each numbered 1..20 in its sender's order", func() {
		chans := make([]api.Channel, workers)
		for w := range chans {
			chans[w] = newChannel(c, api.ChannelRequest{ID: fmt.Sprintf("worker-%02d", w)})
		}
		Expect(hammer(func(w int) string { return chans[w].URL })).To(Succeed())

		for w, ch := range chans {
			list := allCalls(c, ch.ID)
			Expect(list.Calls).To(HaveLen(perWorker), "channel %s", ch.ID)
			for i, call := range list.Calls {
				Expect(call.Seq).To(BeEquivalentTo(i + 1))
				Expect(call.Body).To(Equal(fmt.Sprintf(`{"worker":%d,"call":%d}`, w, i)))
			}
		}
		h, err := c.Health(specCtx())
		Expect(err).NotTo(HaveOccurred())
		Expect(h.Calls).To(Equal(workers * perWorker))
		Expect(h.Channels).To(Equal(workers))
	})

	It("applies a script's times exactly under concurrency", func() {
		ch := newChannel(c, api.ChannelRequest{Script: []api.Rule{{Times: ptr(100), Respond: &api.Respond{Status: http.StatusTeapot}}}})
		var teapots atomic.Int64
		var wg sync.WaitGroup
		for range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer GinkgoRecover()
				for range perWorker {
					resp, _, err := sendCall(hc, http.MethodPost, ch.URL, []byte(`{}`), nil)
					Expect(err).NotTo(HaveOccurred())
					if resp.StatusCode == http.StatusTeapot {
						teapots.Add(1)
					}
				}
			}()
		}
		wg.Wait()
		Expect(teapots.Load()).To(BeEquivalentTo(100))
		// The rule answered exactly the first 100 calls by seq.
		list, err := c.Calls(specCtx(), ch.ID, client.CallQuery{Min: workers * perWorker, Wait: callWait})
		Expect(err).NotTo(HaveOccurred())
		var ruled []uint64
		for _, call := range list.Calls {
			if call.Response.Rule == 0 {
				ruled = append(ruled, call.Seq)
			}
		}
		sort.Slice(ruled, func(i, j int) bool { return ruled[i] < ruled[j] })
		Expect(ruled).To(HaveLen(100))
		Expect(ruled[0]).To(BeEquivalentTo(1))
		Expect(ruled[99]).To(BeEquivalentTo(100))
	})
})
