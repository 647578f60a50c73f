package specs

import (
	"fmt"
	"net/http"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/conformance/driver"
	. "github.com/hookcheck/hookcheck/conformance/framework"
	"github.com/hookcheck/hookcheck/receiver/api"
)

// Spec area "state-events": webhook{id}.started/.stopped/.errors sent to a
// separate subscriber (spec §6, §9 #12, #13).
var _ = Describe("state-events", func() {
	if !Area() {
		return
	}
	// watched is a webhook and the subscriber of its state events.
	type watched struct {
		ch, sub *Channel
		hook    *driver.Webhook
	}
	// stateName returns the subscribed name of a state event of hook id.
	stateName := func(id int32, verb string) string { return fmt.Sprintf("webhook%d.%s", id, verb) }
	// watch creates a webhook and, after it (so its id is known), a
	// subscriber for its three state events on another channel.
	watchHook := func(s *Scenario) watched {
		GinkgoHelper()
		ch := s.Channel()
		wh := s.Create(s.Hook(ch))
		sub := s.Channel()
		s.Create(s.Hook(sub, func(w *driver.Webhook) {
			w.Events = []string{stateName(wh.ID, "started"), stateName(wh.ID, "stopped"), stateName(wh.ID, "errors")}
		}))
		return watched{ch: ch, sub: sub, hook: wh}
	}
	// gone makes the watched hook TooManyErrors with one 410 answer.
	gone := func(s *Scenario, w watched) {
		GinkgoHelper()
		w.ch.Script(Answer(w.hook.Events[0], http.StatusGone, 0))
		s.Signal(w.hook.Events[0], 1, nil)
		w.ch.AwaitDelivery(w.hook.Events[0], 0, 1)
	}
	// stopped stops the watched hook and returns the .stopped delivery.
	stopped := func(s *Scenario, w watched) api.Call {
		GinkgoHelper()
		s.SetState(w.hook.ID, driver.StateStopped)
		return w.sub.AwaitDelivery(stateName(w.hook.ID, "stopped"), 0, 1)[0]
	}

	Context("rest", func() {
		const st = driver.REST

		It("sends webhook{id}.stopped when a webhook is stopped", Clause("WH-SEV-001", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			w := watchHook(s)
			c := stopped(s, w)
			Expect(c.Header(HeaderEvent)).To(Equal(stateName(w.hook.ID, "stopped")))
		})

		It("sends webhook{id}.started when a webhook is reactivated", Clause("WH-SEV-002", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			w := watchHook(s)
			stopped(s, w)
			s.SetState(w.hook.ID, driver.StateActive)
			c := w.sub.AwaitDelivery(stateName(w.hook.ID, "started"), 0, 1)[0]
			Expect(Body(c).Get("Event").String()).To(Equal("webhook.started"))
		})

		It("sends webhook{id}.errors at the error threshold", Clause("WH-SEV-003", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			p := s.Profile()
			w := watchHook(s)
			w.ch.Script(Answer(w.hook.Events[0], 500, 0))
			s.Signal(w.hook.Events[0], 1, nil)
			w.ch.Await(w.hook.Events[0], 0, p.ErrorThreshold, p.FailuresWait(p.ErrorThreshold))
			c := w.sub.AwaitDelivery(stateName(w.hook.ID, "errors"), 0, 1)[0]
			Expect(Body(c).Get("Event").String()).To(Equal("webhook.errors"))
		})

		It("sends webhook{id}.errors on 410 Gone", Clause("WH-SEV-004", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			w := watchHook(s)
			gone(s, w)
			w.sub.AwaitDelivery(stateName(w.hook.ID, "errors"), 0, 1)
		})

		It("names the id in the header and not in the body Event", Clause("WH-SEV-005", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			w := watchHook(s)
			gone(s, w)
			for _, c := range []api.Call{w.sub.AwaitDelivery(stateName(w.hook.ID, "errors"), 0, 1)[0]} {
				b := Body(c)
				Expect(c.Header(HeaderEvent)).To(Equal(stateName(w.hook.ID, "errors")))
				Expect(b.Get("Event").String()).To(Equal("webhook.errors"))
				Expect(b.Get("Entity").Exists()).To(BeFalse(), "a state event has no Entity: %s", c.Body)
				ExpectPayloadFields(c, s.Profile(), true)
			}
		})

		It("carries the watched id as PrimaryKey and no Changes", Clause("WH-SEV-006", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			w := watchHook(s)
			b := Body(stopped(s, w))
			Expect(b.Get("PrimaryKey").Int()).To(Equal(int64(w.hook.ID)))
			Expect(b.Get("Changes").IsArray()).To(BeTrue())
			Expect(b.Get("Changes").Array()).To(BeEmpty())
		})

		It("carries the documented FieldValues", Clause("WH-SEV-007", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			w := watchHook(s)
			b := Body(stopped(s, w))
			fv := b.Get("FieldValues")
			Expect(fv.IsObject()).To(BeTrue(), "FieldValues is an object: %s", b.Raw)
			for _, k := range []string{"events", "registered", "registered_associate_id", "state", "updated", "updated_associate_id"} {
				Expect(fv.Get(k).Exists()).To(BeTrue(), "FieldValues.%s: %s", k, fv.Raw)
			}
			switch s.Profile().StateEventEvents {
			case "event-count":
				Expect(fv.Get("events").Int()).To(Equal(int64(len(w.hook.Events))), "FieldValues.events (--state-event-events event-count)")
			case "total-calls":
				Expect(fv.Get("events").Int()).To(BeNumerically(">=", 1), "FieldValues.events (--state-event-events total-calls)")
			}
		})

		It("reports the new state's number in FieldValues.state", Clause("WH-SEV-008", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			p := s.Profile()
			w := watchHook(s)
			Expect(Body(stopped(s, w)).Get("FieldValues.state").Int()).To(Equal(int64(p.StateNumber(driver.StateStopped))), "Stopped (--state-numbering %s)", p.StateNumbering)
			s.SetState(w.hook.ID, driver.StateActive)
			started := w.sub.AwaitDelivery(stateName(w.hook.ID, "started"), 0, 1)[0]
			Expect(Body(started).Get("FieldValues.state").Int()).To(Equal(int64(p.StateNumber(driver.StateActive))), "Active (--state-numbering %s)", p.StateNumbering)
			gone(s, w)
			errs := w.sub.AwaitDelivery(stateName(w.hook.ID, "errors"), 0, 1)[0]
			Expect(Body(errs).Get("FieldValues.state").Int()).To(Equal(int64(p.StateNumber(driver.StateTooManyErrors))), "TooManyErrors (--state-numbering %s)", p.StateNumbering)
		})

		It("does not send .started when a webhook is created Active", Clause("WH-SEV-009", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			// A subscriber for the ids the next webhooks will probably get:
			// ids are not promised to be sequential, so a miss skips.
			ch := s.Channel()
			probe := s.Create(s.Hook(ch))
			var names []string
			for id := probe.ID + 1; id <= probe.ID+40; id++ {
				names = append(names, stateName(id, "started"))
			}
			sub := s.Channel()
			s.Create(s.Hook(sub, func(w *driver.Webhook) { w.Events = names }))
			wh := s.Create(s.Hook(ch))
			if wh.ID <= probe.ID+1 || wh.ID > probe.ID+40 {
				SkipBecause(fmt.Sprintf("cannot predict webhook ids on this target (probe %d, new %d)", probe.ID, wh.ID))
			}
			if s.Profile().StartedOnCreate {
				sub.AwaitDelivery(stateName(wh.ID, "started"), 0, 1)
				return
			}
			s.SetState(wh.ID, driver.StateStopped)
			s.SetState(wh.ID, driver.StateActive)
			calls := sub.AwaitDelivery(stateName(wh.ID, "started"), 0, 1)
			Expect(Body(calls[0]).Get("FieldValues.state").Int()).To(Equal(int64(s.Profile().StateNumber(driver.StateActive))))
			sub.Quiet(stateName(wh.ID, "started"), 0, 1, "creating the webhook Active sent .started too")
		})

		It("does not send a webhook its own state events", Clause("WH-SEV-010", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			w := watchHook(s)
			self := *s.Get(w.hook.ID)
			self.Events = append(self.Events, stateName(w.hook.ID, "stopped"), stateName(w.hook.ID, "errors"))
			s.Update(self)
			stopped(s, w)
			s.SetState(w.hook.ID, driver.StateActive)
			w.sub.AwaitDelivery(stateName(w.hook.ID, "started"), 0, 1)
			gone(s, w)
			w.sub.AwaitDelivery(stateName(w.hook.ID, "errors"), 0, 1)
			w.ch.Quiet(stateName(w.hook.ID, "stopped"), 0, 0, "the stopped webhook got its own .stopped")
			Expect(w.ch.Events(stateName(w.hook.ID, "errors"), 0)).To(BeEmpty(), "the disabled webhook got its own .errors")
		})

		It("signs state events with the subscriber's secret", Clause("WH-SEV-011", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			w := watchHook(s)
			c := stopped(s, w)
			Expect(c.Signature).To(Equal(api.SignatureValid), "X-SuperOffice-Signature %q", c.Header(HeaderSignature))
		})
	})
})
