package specs

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/conformance/driver"
	. "github.com/hookcheck/hookcheck/conformance/framework"
)

// Spec area "state": Active, Stopped and TooManyErrors, the error
// threshold, 410 Gone, reactivation, LastError and usage statistics (spec
// §1.3, §5).
var _ = Describe("state", func() {
	if !Area() {
		return
	}
	Context("rest", func() {
		const st = driver.REST

		// hooked creates a webhook for the scenario's "changed" event on a
		// new channel.
		hooked := func(s *Scenario, mods ...func(*driver.Webhook)) (*Channel, *driver.Webhook) {
			GinkgoHelper()
			ch := s.Channel()
			return ch, s.Create(s.Hook(ch, mods...))
		}

		It("stops deliveries when State is set to Stopped", Clause("WH-STA-001", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			ch, wh := hooked(s)
			sentinel := s.Sentinel(wh.Events[0])
			Expect(s.SetState(wh.ID, driver.StateStopped).State).To(Equal(driver.StateStopped))
			s.Signal(wh.Events[0], 1, nil)
			sentinel.AwaitDelivery(wh.Events[0], 0, 1)
			ch.Quiet(wh.Events[0], 0, 0, "a Stopped webhook got a delivery")
		})

		It("resumes deliveries when State is set back to Active", Clause("WH-STA-002", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			ch, wh := hooked(s)
			s.SetState(wh.ID, driver.StateStopped)
			Expect(s.SetState(wh.ID, driver.StateActive).State).To(Equal(driver.StateActive))
			s.Signal(wh.Events[0], 1, nil)
			ch.AwaitDelivery(wh.Events[0], 0, 1)
		})

		It("becomes TooManyErrors at the error threshold", Clause("WH-STA-003", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			p := s.Profile()
			ch, wh := hooked(s)
			ch.Script(Answer(wh.Events[0], 500, 0))
			s.Signal(wh.Events[0], 1, nil)
			ch.Await(wh.Events[0], 0, p.ErrorThreshold, p.FailuresWait(p.ErrorThreshold))
			s.AwaitState(wh.ID, driver.StateTooManyErrors, p.DeliveryWait)
		})

		It("stays Active one failure short of the threshold", Clause("WH-STA-004", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			p := s.Profile()
			t := p.ErrorThreshold
			if t-1 >= p.PayloadAttempts() {
				SkipBecause(fmt.Sprintf("one payload gets %d attempts, fewer than the %d failures this spec needs before a success", p.PayloadAttempts(), t-1))
			}
			ch, wh := hooked(s)
			ch.Script(Answer(wh.Events[0], 500, t-1))
			s.Signal(wh.Events[0], 1, nil)
			calls := ch.Await(wh.Events[0], 0, t, p.FailuresWait(t))
			Expect(calls[t-1].Response.Status).To(Equal(200), "attempt %d succeeds", t)
			Expect(s.State(wh.ID)).To(Equal(driver.StateActive), "%d failed attempts disabled the hook", t-1)
		})

		It("makes no attempt after TooManyErrors", Clause("WH-STA-005", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			p := s.Profile()
			t := p.ErrorThreshold
			ch, wh := hooked(s)
			ch.Script(Answer(wh.Events[0], 500, 0))
			s.Signal(wh.Events[0], 1, nil)
			calls := ch.Await(wh.Events[0], 0, t, p.FailuresWait(t))
			ch.Watch(wh.Events[0], calls[t-1].Seq, p.CycleSpan(), fmt.Sprintf("an attempt followed the %d-th failure", t))
			Expect(s.State(wh.ID)).To(Equal(driver.StateTooManyErrors))
		})

		It("disables the webhook at once on 410 Gone", Clause("WH-STA-006", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			p := s.Profile()
			ch, wh := hooked(s)
			ch.Script(Answer(wh.Events[0], http.StatusGone, 0))
			s.Signal(wh.Events[0], 1, nil)
			first := ch.AwaitDelivery(wh.Events[0], 0, 1)
			s.AwaitState(wh.ID, driver.StateTooManyErrors, p.DeliveryWait)
			ch.Watch(wh.Events[0], first[0].Seq, p.CycleSpan(), "the 410 was retried")
		})

		It("does not deliver to a TooManyErrors webhook", Clause("WH-STA-007", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			p := s.Profile()
			ch, wh := hooked(s)
			ch.Script(Answer(wh.Events[0], http.StatusGone, 0))
			s.Signal(wh.Events[0], 1, nil)
			ch.AwaitDelivery(wh.Events[0], 0, 1)
			s.AwaitState(wh.ID, driver.StateTooManyErrors, p.DeliveryWait)
			after := ch.Last()
			sentinel := s.Sentinel(wh.Events[0])
			s.Signal(wh.Events[0], 2, nil)
			sentinel.AwaitDelivery(wh.Events[0], 0, 1)
			ch.Quiet(wh.Events[0], after, 0, "a TooManyErrors webhook got a delivery")
		})

		It("resumes deliveries when a TooManyErrors webhook is set Active", Clause("WH-STA-008", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			p := s.Profile()
			ch, wh := hooked(s)
			ch.Script(Answer(wh.Events[0], http.StatusGone, 1))
			s.Signal(wh.Events[0], 1, nil)
			ch.AwaitDelivery(wh.Events[0], 0, 1)
			s.AwaitState(wh.ID, driver.StateTooManyErrors, p.DeliveryWait)
			Expect(s.SetState(wh.ID, driver.StateActive).State).To(Equal(driver.StateActive))
			after := ch.Last()
			s.Signal(wh.Events[0], 2, nil)
			c := ch.AwaitDelivery(wh.Events[0], after, 1)[0]
			Expect(Body(c).Get("PrimaryKey").Int()).To(Equal(int64(2)))
		})

		It("does not deliver events signalled while the webhook was not Active", Clause("WH-STA-009", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			ch := s.Channel()
			early, late := s.Event("early"), s.Event("late")
			wh := s.Create(s.Hook(ch, func(w *driver.Webhook) { w.Events = []string{early, late} }))
			s.SetState(wh.ID, driver.StateStopped)
			s.Signal(early, 1, nil)
			s.SetState(wh.ID, driver.StateActive)
			s.Signal(late, 2, nil)
			ch.AwaitDelivery(late, 0, 1)
			if s.Profile().QueueWhileInactive {
				ch.AwaitDelivery(early, 0, 1)
				return
			}
			ch.Quiet(early, 0, 0, "an event signalled while the webhook was Stopped was delivered after reactivation")
		})

		It("drops pending retries when the webhook is stopped", Clause("WH-STA-010", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			if s.Profile().QueueWhileInactive {
				SkipBecause("the profile keeps pending retries (--queue-while-inactive)")
			}
			p := s.Profile()
			ch, wh := hooked(s)
			hold := time.Second + p.Tolerance(0)
			ch.Script(AnswerAfter(wh.Events[0], 500, hold, 0))
			s.Signal(wh.Events[0], 1, nil)
			first := ch.AwaitDelivery(wh.Events[0], 0, 1)
			s.SetState(wh.ID, driver.StateStopped)
			ch.WatchAfter(wh.Events[0], first[0].Seq, time.Now(), hold+p.CycleSpan(), "a retry followed the stop")
		})

		It("drops pending retries when the webhook is deleted", Clause("WH-STA-011", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			if s.Profile().QueueWhileInactive {
				SkipBecause("the profile keeps pending retries (--queue-while-inactive)")
			}
			p := s.Profile()
			ch, wh := hooked(s)
			hold := time.Second + p.Tolerance(0)
			ch.Script(AnswerAfter(wh.Events[0], 500, hold, 0))
			s.Signal(wh.Events[0], 1, nil)
			first := ch.AwaitDelivery(wh.Events[0], 0, 1)
			Expect(s.D.Delete(ctx, wh.ID)).To(Succeed())
			ch.WatchAfter(wh.Events[0], first[0].Seq, time.Now(), hold+p.CycleSpan(), "a retry followed the delete")
		})

		It("returns the latest error response as LastError", Clause("WH-STA-012", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			p := s.Profile()
			ch, wh := hooked(s)
			token := "hookcheck-error-" + RandomHex(4)
			ch.Script(AnswerBody(wh.Events[0], 500, token, map[string]string{"X-Hookcheck-Why": "scripted"}, 0))
			s.Signal(wh.Events[0], 1, nil)
			ch.AwaitDelivery(wh.Events[0], 0, 1)
			Eventually(ctx, func() (string, error) { return s.D.LastError(ctx, wh.ID) }).
				WithTimeout(p.DeliveryWait).WithPolling(20*time.Millisecond).
				Should(And(ContainSubstring(token), ContainSubstring("scripted")), "LastError holds the body and headers of the error response")
		})

		It("keeps LastError within 4000 characters", Clause("WH-STA-013", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			p := s.Profile()
			ch, wh := hooked(s)
			ch.Script(AnswerBody(wh.Events[0], 500, strings.Repeat("hookcheck-", 700), nil, 0))
			s.Signal(wh.Events[0], 1, nil)
			ch.AwaitDelivery(wh.Events[0], 0, 1)
			var last string
			Eventually(ctx, func() (string, error) {
				var err error
				last, err = s.D.LastError(ctx, wh.ID)
				return last, err
			}).WithTimeout(p.DeliveryWait).WithPolling(20 * time.Millisecond).Should(ContainSubstring("hookcheck-"))
			Expect(len([]rune(last))).To(BeNumerically("<=", 4000), "LastError holds %d characters", len([]rune(last)))
		})

		It("returns an empty LastError for a webhook without errors", Clause("WH-STA-014", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			ch, wh := hooked(s)
			Expect(s.D.LastError(ctx, wh.ID)).To(BeEmpty())
			s.Signal(wh.Events[0], 1, nil)
			ch.AwaitDelivery(wh.Events[0], 0, 1)
			Expect(s.D.LastError(ctx, wh.ID)).To(BeEmpty(), "a successful delivery left an error")
		})

		It("counts calls and errors in the usage statistics", Clause("WH-STA-015", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			p := s.Profile()
			if p.UsageStats == "none" {
				SkipBecause("the target exposes no usage statistics (--usage-stats none)")
			}
			ch, wh := hooked(s)
			ch.Script(Answer(wh.Events[0], 500, 1))
			s.Signal(wh.Events[0], 1, nil)
			ch.Await(wh.Events[0], 0, 2, p.FailuresWait(2))
			Eventually(ctx, func() (usage, error) { return readUsage(s, wh.ID) }).
				WithTimeout(p.DeliveryWait).WithPolling(50*time.Millisecond).
				Should(SatisfyAll(
					HaveField("TotalCalls", BeNumerically(">=", 2)),
					HaveField("TotalErrors", BeNumerically(">=", 1)),
					HaveField("ConsecutiveErrors", BeZero()),
				), "usage statistics after one failed and one successful attempt")
		})
	})
})

// usage is the usage statistics of one webhook (spec §1.7).
type usage = Usage

// readUsage reads the usage statistics of webhook id for a spec.
func readUsage(s *Scenario, id int32) (usage, error) {
	return ReadUsage(s.Ctx(), RESTOf(s), s.Profile(), id)
}
