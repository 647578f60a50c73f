package fault_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/receiver/fault"
)

// statuses decides calls 1..n without event or headers and returns the
// statuses.
func statuses(s *fault.Script, n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = s.Decide(fault.Call{Nth: uint64(i + 1)}).Status
	}
	return out
}

// answered decides n calls and reports, per call, whether rule 0 answered.
func answered(s *fault.Script, n int) []bool {
	out := make([]bool, n)
	for i := range out {
		out[i] = s.Decide(fault.Call{Nth: uint64(i + 1)}).Rule == 0
	}
	return out
}

var _ = Describe("Decide", func() {
	It("answers 200 OK with an empty body when no rule applies, even for a nil script", func() {
		for _, s := range []*fault.Script{nil, compile(`[]`, fault.Limits{}), compile(`[{"match":{"event":"x"}}]`, fault.Limits{})} {
			p := s.Decide(fault.Call{Nth: 1})
			Expect(p.Rule).To(Equal(-1))
			Expect(p.Status).To(Equal(http.StatusOK))
			Expect(p.Body).To(BeEmpty())
			Expect(p.Delay).To(BeZero())
			Expect(p.Fault.Name()).To(Equal("status"))
		}
	})

	It("fails the first 9 calls with times 9, then answers 200", func() {
		s := compile(`[{"times":9,"respond":{"status":500}}]`, fault.Limits{})
		Expect(statuses(s, 11)).To(Equal([]int{500, 500, 500, 500, 500, 500, 500, 500, 500, 200, 200}))
	})

	It("selects calls by nth ranges", func() {
		s := compile(`[
			{"match":{"nth":"1-3"},"respond":{"status":501}},
			{"match":{"nth":"5"},"respond":{"status":502}},
			{"match":{"nth":"8-"},"respond":{"status":503}}
		]`, fault.Limits{})
		Expect(statuses(s, 10)).To(Equal([]int{501, 501, 501, 200, 502, 200, 200, 503, 503, 503}))
	})

	It("never answers with times 0", func() {
		Expect(statuses(compile(`[{"times":0,"respond":{"status":500}}]`, fault.Limits{}), 3)).To(Equal([]int{200, 200, 200}))
	})

	It("matches the event case-insensitively", func() {
		s := compile(`[{"match":{"event":"contact.created"},"respond":{"status":409}}]`, fault.Limits{})
		Expect(s.Decide(fault.Call{Event: "Contact.CREATED", Nth: 1}).Status).To(Equal(409))
		Expect(s.Decide(fault.Call{Event: "sale.created", Nth: 2}).Status).To(Equal(200))
		Expect(s.Decide(fault.Call{Nth: 3}).Status).To(Equal(200))
	})

	It("matches header names case-insensitively and values exactly", func() {
		s := compile(`[{"match":{"header":{"x-superoffice-tenant":"Cust1","X-Retry":"2"}},"respond":{"status":418}}]`, fault.Limits{})
		h := http.Header{"X-Superoffice-Tenant": {"Cust1"}, "X-Retry": {"1", "2"}}
		Expect(s.Decide(fault.Call{Header: h}).Status).To(Equal(418))
		Expect(s.Decide(fault.Call{Header: http.Header{"x-superoffice-tenant": {"Cust1"}, "x-retry": {"2"}}}).Status).To(Equal(418))
		Expect(s.Decide(fault.Call{Header: http.Header{"X-Superoffice-Tenant": {"cust1"}, "X-Retry": {"2"}}}).Status).To(Equal(200))
		Expect(s.Decide(fault.Call{Header: http.Header{"X-Superoffice-Tenant": {"Cust1"}}}).Status).To(Equal(200))
	})

	It("lets the first matching rule with uses left answer", func() {
		s := compile(`[
			{"match":{"event":"a"},"times":2,"respond":{"status":500}},
			{"match":{"event":"a"},"respond":{"status":503}},
			{"respond":{"status":202}}
		]`, fault.Limits{})
		var got []int
		var idx []int
		for i, ev := range []string{"a", "b", "a", "a", "b"} {
			p := s.Decide(fault.Call{Event: ev, Nth: uint64(i + 1)})
			got, idx = append(got, p.Status), append(idx, p.Rule)
		}
		Expect(got).To(Equal([]int{500, 202, 500, 503, 202}))
		Expect(idx).To(Equal([]int{0, 2, 0, 1, 2}))
	})

	Describe("probability", func() {
		It("repeats the same decisions for the same seed", func() {
			js := `[{"probability":0.5,"seed":7,"respond":{"status":500}}]`
			a := answered(compile(js, fault.Limits{}), 200)
			Expect(answered(compile(js, fault.Limits{}), 200)).To(Equal(a))
			Expect(answered(compile(`[{"probability":0.5,"seed":8,"respond":{"status":500}}]`, fault.Limits{}), 200)).NotTo(Equal(a))
			Expect(a).To(ContainElement(true))
			Expect(a).To(ContainElement(false))
		})

		It("is reproducible without a seed too", func() {
			js := `[{"probability":0.3}]`
			Expect(answered(compile(js, fault.Limits{}), 100)).To(Equal(answered(compile(js, fault.Limits{}), 100)))
		})

		It("never answers at 0 and always at 1", func() {
			Expect(answered(compile(`[{"probability":0}]`, fault.Limits{}), 500)).NotTo(ContainElement(true))
			Expect(answered(compile(`[{"probability":1}]`, fault.Limits{}), 500)).NotTo(ContainElement(false))
		})

		It("answers about p of the calls", func() {
			n := 0
			for _, ok := range answered(compile(`[{"probability":0.25,"seed":1}]`, fault.Limits{}), 4000) {
				if ok {
					n++
				}
			}
			Expect(n).To(BeNumerically("~", 1000, 150))
		})

		It("does not use up times when the draw skips the rule, and falls through to later rules", func() {
			s := compile(`[{"probability":0.5,"seed":3,"times":3,"respond":{"status":500}},{"respond":{"status":201}}]`, fault.Limits{})
			got := statuses(s, 100)
			n500, last500 := 0, 0
			for i, st := range got {
				Expect(st).To(BeElementOf(500, 201), "call %d", i+1)
				if st == 500 {
					n500, last500 = n500+1, i
				}
			}
			Expect(n500).To(Equal(3))
			Expect(got[:last500]).To(ContainElement(201), "a skipped draw before the last use shows skips keep the uses")
		})
	})

	It("adds jitter in [delay, delay+jitter), reproducibly, and clamps the sum", func() {
		js := `[{"seed":11,"respond":{"delay":"100ms","jitter":"50ms"}}]`
		a, b := compile(js, fault.Limits{}), compile(js, fault.Limits{})
		seen := map[time.Duration]bool{}
		for i := range 1000 {
			d := a.Decide(fault.Call{Nth: uint64(i + 1)}).Delay
			Expect(d).To(BeNumerically(">=", 100*time.Millisecond))
			Expect(d).To(BeNumerically("<", 150*time.Millisecond))
			Expect(b.Decide(fault.Call{Nth: uint64(i + 1)}).Delay).To(Equal(d))
			seen[d] = true
		}
		Expect(len(seen)).To(BeNumerically(">", 500))

		c := compile(`[{"respond":{"delay":"900ms","jitter":"900ms"}}]`, fault.Limits{MaxDelay: time.Second})
		for range 100 {
			Expect(c.Decide(fault.Call{}).Delay).To(BeNumerically("<=", time.Second))
		}
	})

	It("answers every call of a rule with the rule's header and body, whatever a writer did to an earlier answer", func() {
		s := compile(`[{"respond":{"headers":{"Retry-After":"5"},"body":"busy"}}]`, fault.Limits{})
		p := s.Decide(fault.Call{})
		first := httptest.NewRecorder()
		Expect(fault.Execute(context.Background(), first, httptest.NewRequest(http.MethodPost, "/", nil), &p)).To(Succeed())
		first.Header().Add("Retry-After", "9") // the header values the fault set are the rule's own: this must copy

		q := s.Decide(fault.Call{})
		Expect(q.Header.Values("Retry-After")).To(Equal([]string{"5"}))
		Expect(string(q.Body)).To(Equal("busy"))
		second := httptest.NewRecorder()
		Expect(fault.Execute(context.Background(), second, httptest.NewRequest(http.MethodPost, "/", nil), &q)).To(Succeed())
		Expect(second.Header().Values("Retry-After")).To(Equal([]string{"5"}))
		Expect(second.Body.String()).To(Equal("busy"))
		Expect(q.Response().Headers).To(Equal(map[string][]string{"Retry-After": {"5"}, "Content-Length": {"4"}}))
	})

	It("draws garbage bytes from the rule's seeded RNG", func() {
		js := `[{"seed":5,"fault":{"type":"garbage","bytes":32}}]`
		a, b := compile(js, fault.Limits{}).Decide(fault.Call{}), compile(js, fault.Limits{}).Decide(fault.Call{})
		Expect(a.Data).To(HaveLen(32))
		Expect(a.Data).To(Equal(b.Data))
		Expect(string(a.Data)).NotTo(HavePrefix("HTTP/"))
		Expect(compile(`[{"fault":"garbage"}]`, fault.Limits{}).Decide(fault.Call{}).Data).To(HaveLen(fault.DefaultGarbageBytes))
	})

	It("answers exactly times calls under concurrent use", func() {
		s := compile(`[{"times":9,"respond":{"status":500}}]`, fault.Limits{})
		var (
			wg   sync.WaitGroup
			mu   sync.Mutex
			hits int
		)
		for g := range 64 {
			wg.Go(func() {
				for i := range 20 {
					p := s.Decide(fault.Call{Nth: uint64(g*20 + i + 1)})
					if p.Rule == 0 {
						mu.Lock()
						hits++
						mu.Unlock()
					}
				}
			})
		}
		wg.Wait()
		Expect(hits).To(Equal(9))
	})
})
