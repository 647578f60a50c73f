package fault_test

import (
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/receiver/fault"
)

var _ = Describe("Plan.Planned", func() {
	It("reports the status line a plain answer will send, before Execute", func() {
		s := compile(`[{"respond":{"status":429,"headers":{"Retry-After":"5"},"body":"wait","delay":"20ms"}}]`, fault.Limits{})
		p := s.Decide(fault.Call{Nth: 1})
		r := p.Planned()
		Expect(r.Status).To(Equal(429))
		Expect(r.Headers).To(HaveKeyWithValue("Retry-After", []string{"5"}))
		Expect(r.Body).To(Equal("wait"))
		Expect(r.DelayMs).To(BeEquivalentTo(20))
		Expect(r.Fault).To(BeEmpty())
		Expect(r.Rule).To(Equal(0))
		Expect(p.Response().Status).To(BeZero(), "nothing was sent yet")
	})

	It("reports the default 200 when no rule applies", func() {
		p := compile(`[]`, fault.Limits{}).Decide(fault.Call{Nth: 1})
		r := p.Planned()
		Expect(r.Status).To(Equal(200))
		Expect(r.Rule).To(Equal(-1))
	})

	It("reports no status for faults that send none, and the status for slow-body", func() {
		s := compile(`[{"match":{"nth":"1"},"fault":"reset"},{"match":{"nth":"2"},"respond":{"status":202,"body":"abc"},"fault":{"type":"slow-body","duration":"10ms"}}]`, fault.Limits{})
		p1, p2 := s.Decide(fault.Call{Nth: 1}), s.Decide(fault.Call{Nth: 2})
		reset := p1.Planned()
		Expect(reset.Status).To(BeZero())
		Expect(reset.Fault).To(Equal("reset"))
		slow := p2.Planned()
		Expect(slow.Status).To(Equal(202))
		Expect(slow.Fault).To(Equal("slow-body"))
		Expect(slow.Body).To(Equal("abc"))
	})
})
