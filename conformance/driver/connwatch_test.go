package driver_test

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/conformance/driver"
)

// countingWatcher counts what a watched client reports.
type countingWatcher struct {
	mu               sync.Mutex
	answered, failed int
}

func (w *countingWatcher) Answered() { w.mu.Lock(); w.answered++; w.mu.Unlock() }

func (w *countingWatcher) ConnFailed(error) { w.mu.Lock(); w.failed++; w.mu.Unlock() }

func (w *countingWatcher) counts() (int, int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.answered, w.failed
}

var _ = Describe("WatchClient", func() {
	It("reports every answer, whatever its status, and every call nothing answered", func() {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusInternalServerError) }))
		DeferCleanup(srv.Close)
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		Expect(err).NotTo(HaveOccurred())
		closed := "http://" + ln.Addr().String()
		Expect(ln.Close()).To(Succeed())

		w := &countingWatcher{}
		c := driver.WatchClient(nil, w)
		resp, err := c.Get(srv.URL)
		Expect(err).NotTo(HaveOccurred())
		Expect(resp.Body.Close()).To(Succeed())
		_, err = c.Get(closed)
		Expect(err).To(HaveOccurred())
		Expect(driver.ConnectionLost(err)).To(BeTrue(), "%v", err)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, closed, nil)
		Expect(err).NotTo(HaveOccurred())
		_, err = c.Do(req)
		Expect(err).To(HaveOccurred())
		answered, failed := w.counts()
		Expect(answered).To(Equal(1))
		Expect(failed).To(Equal(1), "a call its caller cancelled is not the target's silence")
	})

	It("does not call a refusal of the target's own a lost connection", func() {
		Expect(driver.ConnectionLost(context.Canceled)).To(BeFalse())
		Expect(driver.ConnectionLost(&driver.Error{Status: 401})).To(BeFalse())
	})
})
