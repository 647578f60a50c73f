package specs

import (
	"strconv"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/conformance/driver"
	. "github.com/hookcheck/hookcheck/conformance/framework"
	"github.com/hookcheck/hookcheck/receiver/api"
)

// Spec area "retry": the attempts of a failing delivery, their timing,
// EventIds and retry header (spec §5, §9 #2–#5).
var _ = Describe("retry", func() {
	if !Area() {
		return
	}
	// scripted creates a webhook for the scenario's "changed" event, then
	// scripts its channel (after the save, so the test event passes),
	// signals the event once and returns the channel and the event.
	scripted := func(s *Scenario, rules ...api.Rule) (*Channel, *driver.Webhook) {
		GinkgoHelper()
		ch := s.Channel()
		wh := s.Create(s.Hook(ch))
		ch.Script(rules...)
		s.Signal(wh.Events[0], 1, nil)
		return ch, wh
	}

	Context("rest", func() {
		const st = driver.REST

		It("retries a failed delivery up to the attempts of a cycle", Clause("WH-RTY-001", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			p := s.Profile()
			n := p.AttemptsPerCycle
			p.NeedFailures(n + 1)
			s.Expecting("%d attempts with one EventId, then a new cycle", n)
			ch, wh := scripted(s, Answer(s.Event("changed"), 500, n+1))
			calls := ch.Await(wh.Events[0], 0, n+1, p.FailuresWait(n+1))
			for i := 1; i < n; i++ {
				Expect(calls[i].EventID).To(Equal(calls[0].EventID), "attempt %d belongs to the first cycle%s", i+1, DescribeCalls(calls))
			}
			Expect(calls[n].EventID).NotTo(Equal(calls[0].EventID), "the cycle has more than %d attempts%s", n, DescribeCalls(calls))
		})

		It("waits the retry delays between attempts", Clause("WH-RTY-002", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			p := s.Profile()
			n := p.AttemptsPerCycle
			ch, wh := scripted(s, Answer(s.Event("changed"), 500, n))
			calls := ch.Await(wh.Events[0], 0, n, p.FailuresWait(n))
			for i := 1; i < n; i++ {
				want := p.RetryDelay(i + 1)
				wantText := p.ScaledText(p.SpecRetryDelay(i + 1))
				got := calls[i].ReceivedAt.Sub(calls[i-1].ReceivedAt)
				s.Expecting("attempt %d %s after attempt %d (±%s)", i+1, wantText, i, Human(p.Tolerance(want)))
				low, high := p.DelayBounds(want)
				Expect(got).To(BeDuration(">=", low), "attempt %d came %s after attempt %d; the delay is %s%s", i+1, Human(got), i, wantText, DescribeCalls(calls))
				Expect(got).To(BeDuration("<=", high), "attempt %d came %s after attempt %d; the delay is %s%s", i+1, Human(got), i, wantText, DescribeCalls(calls))
			}
		})

		It("keeps one EventId within a cycle", Clause("WH-RTY-003", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			p := s.Profile()
			n := p.AttemptsPerCycle
			ch, wh := scripted(s, Answer(s.Event("changed"), 500, n-1))
			calls := ch.Await(wh.Events[0], 0, n, p.FailuresWait(n))
			for _, c := range calls {
				Expect(c.EventID).To(Equal(calls[0].EventID), "call #%d%s", c.Seq, DescribeCalls(calls))
				Expect(Body(c).Get("EventId").String()).To(Equal(calls[0].EventID), "body EventId of call #%d", c.Seq)
			}
		})

		It("gives the next cycle a new EventId", Clause("WH-RTY-004", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			p := s.Profile()
			n := p.AttemptsPerCycle
			p.NeedFailures(n)
			ch, wh := scripted(s, Answer(s.Event("changed"), 500, n))
			calls := ch.Await(wh.Events[0], 0, n+1, p.FailuresWait(n+1))
			Expect(calls[n].EventID).NotTo(Equal(calls[0].EventID), "the new cycle reused the EventId%s", DescribeCalls(calls))
			Expect(Body(calls[n]).Get("EventId").String()).To(Equal(calls[n].EventID))
		})

		It("counts retries in X-SuperOffice-Retry", Clause("WH-RTY-005", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			p := s.Profile()
			if p.RetryHeader == "any" {
				SkipBecause("the profile does not pin X-SuperOffice-Retry (--retry-header any)")
			}
			n := p.AttemptsPerCycle
			p.NeedFailures(n)
			ch, wh := scripted(s, Answer(s.Event("changed"), 500, n))
			calls := ch.Await(wh.Events[0], 0, n+1, p.FailuresWait(n+1))
			for i, c := range calls {
				attempt := i % n // 0-based attempt within its cycle
				got := c.Header(HeaderRetry)
				want := strconv.Itoa(attempt)
				if p.RetryHeader == "count" && attempt == 0 {
					want = ""
				}
				Expect(got).To(Equal(want), "X-SuperOffice-Retry of call #%d (attempt %d of its cycle, --retry-header %s)%s", c.Seq, attempt+1, p.RetryHeader, DescribeCalls(calls))
			}
		})

		It("stops retrying once the target answers 200", Clause("WH-RTY-006", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			p := s.Profile()
			ch, wh := scripted(s, Answer(s.Event("changed"), 500, 1))
			calls := ch.Await(wh.Events[0], 0, 2, p.FailuresWait(2))
			Expect(calls[1].Response.Status).To(Equal(200))
			ch.Watch(wh.Events[0], calls[1].Seq, p.CycleSpan(), "an attempt followed the 200")
		})

		It("counts a 2xx other than 200 as the profile says", Clause("WH-RTY-007", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			p := s.Profile()
			ch, wh := scripted(s, Answer(s.Event("changed"), 202, 1))
			if p.Success == "2xx" {
				first := ch.AwaitDelivery(wh.Events[0], 0, 1)
				ch.Watch(wh.Events[0], first[0].Seq, p.CycleSpan(), "202 Accepted counts as success (--success 2xx) but was retried")
				return
			}
			calls := ch.Await(wh.Events[0], 0, 2, p.FailuresWait(2))
			Expect(calls[1].EventID).To(Equal(calls[0].EventID), "the 202 was retried in the same cycle")
		})

		It("retries after a connection reset", Clause("WH-RTY-008", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			p := s.Profile()
			ch, wh := scripted(s, FaultRule(s.Event("changed"), "reset", 1))
			calls := ch.Await(wh.Events[0], 0, 2, p.FailuresWait(2))
			Expect(calls[0].Response.Fault).To(Equal("reset"))
			Expect(calls[1].EventID).To(Equal(calls[0].EventID), "the retry belongs to the same cycle")
		})

		It("retries after a timeout", Clause("WH-RTY-009", st), Label(LabelSlow), func(ctx SpecContext) {
			s := Begin(ctx, st)
			p := s.Profile()
			hold := p.TargetTimeout + max(2*time.Second, p.TargetTimeout/2)
			ch, wh := scripted(s, AnswerAfter(s.Event("changed"), 200, hold, 1))
			calls := ch.Await(wh.Events[0], 0, 2, p.TargetTimeout+p.FailuresWait(2))
			Expect(calls[1].ReceivedAt.Sub(calls[0].ReceivedAt)).To(BeDuration(">=", p.TargetTimeout-p.TargetTimeout/20),
				"the retry came before the timeout of %s passed", p.TargetTimeout)
			Expect(calls[1].EventID).To(Equal(calls[0].EventID), "the retry belongs to the same cycle")
		}, SpecTimeout(5*time.Minute))

		It("resets the consecutive error count on success", Clause("WH-RTY-010", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			p := s.Profile()
			t := p.ErrorThreshold
			p.NeedFailures(t - 1)
			s.Expecting("after %d failures and a 200, another %d failures leave the hook Active", t-1, t-1)
			ch := s.Channel()
			first, second := s.Event("first"), s.Event("second")
			wh := s.Create(s.Hook(ch, func(w *driver.Webhook) { w.Events = []string{first, second} }))
			ch.Script(Answer(first, 500, t-1), Answer(second, 500, t-1))
			s.Signal(first, 1, nil)
			ch.Await(first, 0, t, p.FailuresWait(t))
			Expect(s.State(wh.ID)).To(Equal(driver.StateActive))
			s.Signal(second, 2, nil)
			calls := ch.Await(second, 0, t, p.FailuresWait(t))
			Expect(calls[t-1].Response.Status).To(Equal(200))
			Expect(s.State(wh.ID)).To(Equal(driver.StateActive), "the failures before the 200 still counted")
		})

		It("signs every retry", Clause("WH-RTY-011", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			p := s.Profile()
			n := min(3, p.AttemptsPerCycle)
			ch, wh := scripted(s, Answer(s.Event("changed"), 500, n-1))
			for _, c := range ch.Await(wh.Events[0], 0, n, p.FailuresWait(n)) {
				Expect(c.Signature).To(Equal(api.SignatureValid), "call #%d (retry header %q)", c.Seq, c.Header(HeaderRetry))
			}
		})
	})
})
