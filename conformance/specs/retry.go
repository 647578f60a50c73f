package conformance

import (
	"strconv"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/conformance/driver"
	"github.com/hookcheck/hookcheck/receiver/api"
)

// Spec area "retry": the attempts of a failing delivery, their timing,
// EventIds and retry header (spec §5, §9 #2–#5).
var _ = Describe("retry", func() {
	if !enterArea() {
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
				Expect(calls[i].EventID).To(Equal(calls[0].EventID), "attempt %d belongs to the first cycle%s", i+1, describeCalls(calls))
			}
			Expect(calls[n].EventID).NotTo(Equal(calls[0].EventID), "the cycle has more than %d attempts%s", n, describeCalls(calls))
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
				s.Expecting("attempt %d %s after attempt %d (±%s)", i+1, wantText, i, human(p.Tolerance(want)))
				low, high := p.DelayBounds(want)
				Expect(got).To(BeDuration(">=", low), "attempt %d came %s after attempt %d; the delay is %s%s", i+1, human(got), i, wantText, describeCalls(calls))
				Expect(got).To(BeDuration("<=", high), "attempt %d came %s after attempt %d; the delay is %s%s", i+1, human(got), i, wantText, describeCalls(calls))
			}
		})

		It("keeps one EventId within a cycle", Clause("WH-RTY-003", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			p := s.Profile()
			n := p.AttemptsPerCycle
			ch, wh := scripted(s, Answer(s.Event("changed"), 500, n-1))
			calls := ch.Await(wh.Events[0], 0, n, p.FailuresWait(n))
			for _, c := range calls {
				Expect(c.EventID).To(Equal(calls[0].EventID), "call #%d%s", c.Seq, describeCalls(calls))
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
			Expect(calls[n].EventID).NotTo(Equal(calls[0].EventID), "the new cycle reused the EventId%s", describeCalls(calls))
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
				Expect(got).To(Equal(want), "X-SuperOffice-Retry of call #%d (attempt %d of its cycle, --retry-header %s)%s", c.Seq, attempt+1, p.RetryHeader, describeCalls(calls))
			}
		})

		It("stops retrying once the target answers 200", Clause("WH-RTY-006", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			p := s.Profile()
			ch, wh := scripted(s, Answer(s.Event("changed"), 500, 1))
			calls := ch.Await(wh.Events[0], 0, 2, p.FailuresWait(2))
			Expect(calls[1].Response.Status).To(Equal(200))
			watch(ch, wh.Events[0], calls[1].Seq, p.CycleSpan(), "an attempt followed the 200")
		})

		It("counts a 2xx other than 200 as the profile says", Clause("WH-RTY-007", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			p := s.Profile()
			ch, wh := scripted(s, Answer(s.Event("changed"), 202, 1))
			if p.Success == "2xx" {
				first := ch.AwaitDelivery(wh.Events[0], 0, 1)
				watch(ch, wh.Events[0], first[0].Seq, p.CycleSpan(), "202 Accepted counts as success (--success 2xx) but was retried")
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

// watch fails the spec when a call for event arrives after seq within the
// quiet period plus extra (a retry that could still be scheduled).
func watch(ch *Channel, event string, after uint64, extra time.Duration, why string) {
	GinkgoHelper()
	p := ch.s.Env.Profile
	wait := p.QuietPeriod + extra + p.Tolerance(extra)
	list, err := ch.s.Env.RV.Calls(ch.s.ctx, ch.ID, callQuery(after, 1, wait, event))
	Expect(err).NotTo(HaveOccurred())
	Expect(list.Calls).To(BeEmpty(), "%s%s", why, describeCalls(list.Calls))
}

// watchAfter is watch for a change answered at answered (a stop, a
// delete): the spec drops pending retries (§9 #7), but an attempt already
// under way when the answer arrived cannot be called back and may still
// land. So a call counts against the target only when the receiver got it
// later than answered plus the profile's tolerance; the receiver's arrival
// times and answered come from the same clock, and the order in which a
// loaded machine happens to report the events does not matter.
func watchAfter(ch *Channel, event string, after uint64, answered time.Time, extra time.Duration, why string) {
	GinkgoHelper()
	p := ch.s.Env.Profile
	wait := p.QuietPeriod + extra + p.Tolerance(extra)
	deadline := answered.Add(p.Tolerance(0))
	end := time.Now().Add(wait)
	var late []api.Call
	for seen := 0; len(late) == 0; {
		remaining := time.Until(end)
		if remaining <= 0 {
			break
		}
		list, err := ch.s.Env.RV.Calls(ch.s.ctx, ch.ID, callQuery(after, seen+1, remaining, event))
		Expect(err).NotTo(HaveOccurred())
		for _, c := range list.Calls {
			if c.ReceivedAt.After(deadline) {
				late = append(late, c)
			}
		}
		if len(list.Calls) <= seen {
			break
		}
		seen = len(list.Calls)
	}
	Expect(late).To(BeEmpty(), "%s (answered at %s, tolerance %s)%s", why, answered.Format("15:04:05.000"), p.Tolerance(0), describeCalls(late))
}
