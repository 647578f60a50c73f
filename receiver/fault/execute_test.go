package fault_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/receiver/fault"
)

// slack is the upper timing tolerance for a shared 2-core CI machine
// running -race with other packages in parallel. The lower bounds carry the
// claims (a delay is never cut short); the upper ones only catch an answer
// that is absurdly late. The exact fidelity is measured by make bench.
const slack = 400 * time.Millisecond

var _ = Describe("Execute", func() {
	It("waits the delay before answering", func() {
		h := newHarness(`[{"respond":{"status":503,"delay":"150ms"}}]`, fault.Limits{}, false)
		o := h.post(h.client(0), nil)
		Expect(o.err).NotTo(HaveOccurred())
		Expect(o.resp.StatusCode).To(Equal(503))
		Expect(o.elapsed).To(BeNumerically(">=", 150*time.Millisecond))
		Expect(o.elapsed).To(BeNumerically("<", 150*time.Millisecond+slack))
		Expect(h.result(time.Second).resp.DelayMs).To(Equal(int64(150)))
	})

	It("waits delay plus a jitter in [0, jitter), as recorded", func() {
		h := newHarness(`[{"seed":99,"respond":{"delay":"100ms","jitter":"100ms"}}]`, fault.Limits{}, false)
		c := h.client(0)
		for range 3 {
			o := h.post(c, nil)
			Expect(o.err).NotTo(HaveOccurred())
			s := h.result(time.Second)
			Expect(s.plan.Delay).To(BeNumerically(">=", 100*time.Millisecond))
			Expect(s.plan.Delay).To(BeNumerically("<", 200*time.Millisecond))
			Expect(s.resp.DelayMs).To(Equal(s.plan.Delay.Milliseconds()))
			Expect(o.elapsed).To(BeNumerically(">=", s.plan.Delay))
			Expect(o.elapsed).To(BeNumerically("<", s.plan.Delay+slack))
		}
	})

	It("applies the delay before a fault", func() {
		h := newHarness(`[{"respond":{"delay":"120ms"},"fault":"close"}]`, fault.Limits{}, false)
		o := h.post(h.client(0), nil)
		Expect(o.err).To(HaveOccurred())
		Expect(o.elapsed).To(BeNumerically(">=", 120*time.Millisecond))
		Expect(h.result(time.Second).resp.Fault).To(Equal("close"))
	})

	It("stops the delay when the client goes away, without answering", func() {
		h := newHarness(`[{"respond":{"delay":"5s"}}]`, fault.Limits{}, false)
		o := h.post(h.client(100*time.Millisecond), nil)
		Expect(o.err).To(HaveOccurred())
		s := h.result(2 * time.Second)
		Expect(s.err).To(MatchError(ContainSubstring("client went away")))
		Expect(s.resp.Status).To(BeZero())
	})

	It("stops the delay when the receiver stops, dropping the connection instead of answering 200", func() {
		h := newHarness(`[{"respond":{"status":500,"delay":"5s"}}]`, fault.Limits{}, false)
		done := make(chan outcome, 1)
		go func() {
			defer GinkgoRecover()
			done <- h.post(h.client(0), nil)
		}()
		Eventually(h.nth.Load).Should(Equal(uint64(1)))
		start := time.Now()
		h.cancel()
		s := h.result(time.Second)
		Expect(time.Since(start)).To(BeNumerically("<", 2*time.Second), "well before the 5 s delay ends")
		Expect(s.err).To(MatchError(ContainSubstring("receiver stopping")))
		var o outcome
		Eventually(done).WithTimeout(time.Second).Should(Receive(&o))
		Expect(o.err).To(HaveOccurred())
		Expect(o.resp).To(BeNil())
	})

	It("reports a clear error when the connection cannot be taken over", func() {
		for _, name := range fault.Known() {
			if name == "slow-body" {
				continue
			}
			p := compile(`[{"fault":"`+name+`"}]`, fault.Limits{}).Decide(fault.Call{})
			r := httptest.NewRequest(http.MethodPost, "/hooks/x", nil)
			err := fault.Execute(context.Background(), httptest.NewRecorder(), r, &p)
			Expect(err).To(MatchError(ContainSubstring("the receiver must serve HTTP/1.x")), name)
			Expect(err).To(MatchError(http.ErrNotSupported), name)
			Expect(err).To(MatchError(HavePrefix("fault " + name + ": ")))
		}
	})
})
