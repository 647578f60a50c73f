package fault_test

import (
	"errors"
	"net"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/receiver/fault"
)

var _ = Describe("hang", func() {
	It("never answers; the client times out and the handler returns after it gives up", func() {
		h := newHarness(`[{"fault":"hang"}]`, fault.Limits{}, false)
		o := h.post(h.client(200*time.Millisecond), nil)
		var ne net.Error
		Expect(errors.As(o.err, &ne)).To(BeTrue(), "want a net.Error, got %v", o.err)
		Expect(ne.Timeout()).To(BeTrue())
		Expect(o.elapsed).To(BeNumerically(">=", 200*time.Millisecond))
		s := h.result(2 * time.Second)
		Expect(s.err).NotTo(HaveOccurred())
		Expect(s.resp.Status).To(BeZero())
		Expect(s.resp.Fault).To(Equal("hang"))
	})

	It("closes the connection without an answer once MaxDelay elapses, over TLS too", func() {
		h := newHarness(`[{"fault":"hang"}]`, fault.Limits{MaxDelay: 150 * time.Millisecond}, true)
		o := h.post(h.client(5*time.Second), nil)
		Expect(o.err).To(HaveOccurred())
		Expect(o.err.Error()).NotTo(ContainSubstring("Timeout"))
		Expect(o.elapsed).To(BeNumerically(">=", 150*time.Millisecond))
		Expect(o.elapsed).To(BeNumerically("<", 150*time.Millisecond+slack))
		Expect(h.result(time.Second).resp.Status).To(BeZero())
	})

	It("hangs for fault.duration when given", func() {
		h := newHarness(`[{"fault":{"type":"hang","duration":"100ms"}}]`, fault.Limits{}, false)
		o := h.post(h.client(5*time.Second), nil)
		Expect(o.err).To(HaveOccurred())
		Expect(o.elapsed).To(BeNumerically(">=", 100*time.Millisecond))
		Expect(o.elapsed).To(BeNumerically("<", 100*time.Millisecond+slack))
	})

	It("returns promptly when the receiver stops", func() {
		h := newHarness(`[{"fault":"hang"}]`, fault.Limits{}, false)
		done := make(chan outcome, 1)
		go func() {
			defer GinkgoRecover()
			done <- h.post(h.client(0), nil)
		}()
		Eventually(h.nth.Load).Should(Equal(uint64(1)))
		h.cancel()
		s := h.result(time.Second)
		Expect(s.err).To(MatchError(ContainSubstring("receiver stopping")))
		var o outcome
		Eventually(done).WithTimeout(time.Second).Should(Receive(&o))
		Expect(o.err).To(HaveOccurred())
	})
})
