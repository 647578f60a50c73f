package specs

import (
	"context"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/conformance/driver"
	. "github.com/hookcheck/hookcheck/conformance/framework"
)

// Spec area "security": authentication on every front end, signatures
// only with a secret, and Online app isolation (spec §2.1, §4.6, §8).
var _ = Describe("security", func() {
	if !Area() {
		return
	}
	// withAuth returns a driver of style st that sends auth instead of the
	// run's credentials.
	withAuth := func(s *Scenario, st driver.Style, auth driver.Auth) driver.Driver {
		GinkgoHelper()
		d, err := s.Env.DriverWith(st, func(c *driver.Config) { c.Auth = auth })
		Expect(err).NotTo(HaveOccurred())
		return d
	}
	// expectUnauthorised checks that every kind of call through d is
	// refused.
	expectUnauthorised := func(s *Scenario, d driver.Driver, id int32, what string) {
		GinkgoHelper()
		_, err := d.Default(s.Ctx())
		de := ExpectRefused(err, "Default "+what)
		if d.Style() != driver.SOAP {
			Expect(de.Status).To(Equal(401), "Default %s", what)
			ExpectErrorBody(de)
		}
		_, err = d.List(s.Ctx(), driver.Filter{})
		ExpectRefused(err, "List "+what)
		_, err = d.Get(s.Ctx(), id)
		ExpectRefused(err, "Get "+what)
		_, err = d.LastError(s.Ctx(), id)
		ExpectRefused(err, "LastError "+what)
	}

	for _, st := range driver.Styles {
		Context(string(st), func() {
			It("rejects calls without credentials", Clause("WH-SEC-001", st), func(ctx SpecContext) {
				s := Begin(ctx, st)
				wh := s.CreateVia(s.REST, s.Hook(s.Channel()))
				expectUnauthorised(s, withAuth(s, st, driver.Auth{}), wh.ID, "without credentials")
			})

			It("rejects calls with wrong credentials", Clause("WH-SEC-002", st), func(ctx SpecContext) {
				s := Begin(ctx, st)
				wh := s.CreateVia(s.REST, s.Hook(s.Channel()))
				expectUnauthorised(s, withAuth(s, st, s.Env.Target.AuthFor(st).Wrong()), wh.ID, "with wrong credentials")
			})

			It("lets a rejected call change nothing", Clause("WH-SEC-003", st), func(ctx SpecContext) {
				s := Begin(ctx, st)
				intruder := withAuth(s, st, s.Env.Target.AuthFor(st).Wrong())
				ch := s.Channel()
				existing := s.CreateVia(s.REST, s.Hook(ch))
				in := s.Hook(ch)
				_, err := s.TryCreate(intruder, in)
				ExpectRefused(err, "save with wrong credentials")
				Expect(s.Stored(in.Name)).To(BeFalse(), "a webhook was stored with wrong credentials")
				upd := *existing
				upd.Name = s.Name()
				_, err = intruder.Update(ctx, upd)
				ExpectRefused(err, "update with wrong credentials")
				ExpectRefused(intruder.Delete(ctx, existing.ID), "delete with wrong credentials")
				Expect(s.Get(existing.ID).Name).To(Equal(existing.Name), "the webhook changed")
				_, err = intruder.Test(ctx, in)
				ExpectRefused(err, "TestWebhook with wrong credentials")
				ExpectRefused(intruder.Signal(ctx, existing.Events[0], 1, nil), "SignalEvent with wrong credentials")
				Expect(ch.Events(TestEvent, 0)).To(HaveLen(1), "a rejected call sent a test event")
				sentinel := s.Sentinel(s.Event("sentinel"))
				s.Signal(s.Event("sentinel"), 1, nil)
				sentinel.AwaitDelivery(s.Event("sentinel"), 0, 1)
				ch.Quiet(existing.Events[0], 0, 0, "a rejected SignalEvent was delivered")
			})

			It("isolates the webhooks of other apps", Clause("WH-SEC-005", st), func(ctx SpecContext) {
				s := Begin(ctx, st)
				if !s.Profile().Online {
					SkipBecause("the target is on-site: app isolation applies Online only (pass --online)")
				}
				other, err := s.Env.DriverWith(st, func(c *driver.Config) { c.AppToken = "hookcheck-other-app-" + RandomHex(4) })
				Expect(err).NotTo(HaveOccurred())
				ch := s.Channel()
				mine := s.CreateVia(s.D, s.Hook(ch))
				token := "hookcheck-private-" + RandomHex(4)
				ch.Script(AnswerBody(mine.Events[0], 500, token, nil, 1))
				s.Signal(mine.Events[0], 1, nil)
				ch.Await(mine.Events[0], 0, 2, s.Profile().FailuresWait(2))
				Eventually(ctx, func() (string, error) { return s.D.LastError(ctx, mine.ID) }).
					WithTimeout(s.Profile().DeliveryWait).WithPolling(20 * time.Millisecond).Should(ContainSubstring(token))
				list, err := other.List(ctx, driver.Filter{})
				if err == nil {
					Expect(IDs(list)).NotTo(ContainElement(mine.ID), "another app lists the webhook")
				}
				got, err := other.Get(ctx, mine.ID)
				Expect(Absent(got, err)).To(BeTrue(), "another app reads the webhook")
				upd := *mine
				upd.Name = s.Name()
				_, err = other.Update(ctx, upd)
				Expect(err).To(HaveOccurred(), "another app saved over the webhook")
				Expect(other.Delete(ctx, mine.ID)).NotTo(Succeed(), "another app deleted the webhook")
				text, err := other.LastError(ctx, mine.ID)
				Expect(err != nil || text == "").To(BeTrue(), "another app read the webhook's LastError: %q", text)
				if st == driver.REST {
					Expect(err).To(HaveOccurred(), "REST LastError of another app's webhook is refused like an unknown id")
				}
				again := s.Get(mine.ID)
				Expect(again.Name).To(Equal(mine.Name), "the webhook changed")
				theirs, err := other.Create(ctx, s.Hook(ch))
				if err == nil && theirs != nil {
					DeferCleanup(func() { _ = other.Delete(context.WithoutCancel(ctx), theirs.ID) })
					mineList, err := s.D.List(ctx, driver.Filter{})
					Expect(err).NotTo(HaveOccurred())
					Expect(IDs(mineList)).NotTo(ContainElement(theirs.ID), "the other app's webhook is listed to this app")
					Expect(IDs(mineList)).To(ContainElement(mine.ID))
					Expect(other.Delete(ctx, theirs.ID)).To(Succeed(), "the other app deletes its own webhook")
				}
			})
		})
	}

	Context("rest", func() {
		const st = driver.REST

		It("sends no signature without a secret", Clause("WH-SEC-004", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			ch := s.Channel(NoSecret())
			wh := s.Create(s.Hook(ch))
			Expect(wh.Secret).To(BeEmpty())
			s.Signal(wh.Events[0], 1, nil)
			for _, c := range append(ch.Events(TestEvent, 0), ch.AwaitDelivery(wh.Events[0], 0, 1)...) {
				Expect(c.Header(HeaderSignature)).To(BeEmpty(), "call #%d (%s) carries a signature without a secret", c.Seq, c.Event)
			}
		})
	})
})
