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

// Spec area "verification": the save-time test event and the URL check,
// and TestWebhook (spec §3, §1.6).
var _ = Describe("verification", func() {
	if !Area() {
		return
	}
	// refusedSave creates a webhook at ch under a script that breaks the
	// test event, and checks the save is refused and nothing stored.
	refusedSave := func(s *Scenario, ch *Channel, what string) *driver.Error {
		GinkgoHelper()
		in := s.Hook(ch)
		_, err := s.TryCreate(nil, in)
		de := ExpectRefused(err, "save while the target "+what)
		Expect(s.Stored(in.Name)).To(BeFalse(), "the webhook was stored although the target %s", what)
		return de
	}

	Context("rest", func() {
		const st = driver.REST

		It("posts the test event before storing", Clause("WH-VER-001", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			ch := s.Channel()
			in := s.Hook(ch)
			s.Create(in)
			calls := ch.Events(TestEvent, 0)
			Expect(calls).To(HaveLen(1), "one test event reached the target by the time the save answered%s", DescribeCalls(ch.All()))
			Expect(calls[0].Method).To(Equal(http.MethodPost))
			Expect(calls[0].Path).To(Equal("/hooks/" + ch.ID))
		})

		It("sends the test event with the documented headers", Clause("WH-VER-002", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			ch := s.Channel()
			s.Create(s.Hook(ch))
			c := ch.Events(TestEvent, 0)[0]
			ExpectJSONContentType(c)
			ExpectUserAgent(c)
			Expect(c.Header(HeaderEvent)).To(Equal("test"))
			Expect(strings.ToLower(c.Header(HeaderHookTest))).To(Equal("true"), "X-Hook-Test: true")
		})

		It("sends the same EventId in the header and the body of the test event", Clause("WH-VER-003", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			ch := s.Channel()
			s.Create(s.Hook(ch))
			c := ch.Events(TestEvent, 0)[0]
			Expect(c.Header(HeaderEventID)).NotTo(BeEmpty(), "X-SuperOffice-EventId is sent")
			Expect(Body(c).Get("EventId").String()).To(Equal(c.Header(HeaderEventID)))
		})

		It("sends the documented test event body", Clause("WH-VER-004", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			ch := s.Channel()
			in := s.Hook(ch)
			s.Create(in)
			c := ch.Events(TestEvent, 0)[0]
			b := ExpectPayloadFields(c, s.Profile(), false)
			Expect(Strings(b.Get("Changes"))).To(BeEmpty(), "Changes is []")
			Expect(b.Get("Event").String()).To(Equal("test"))
			Expect(b.Get("PrimaryKey").Int()).To(BeZero())
			Expect(b.Get("Entity").String()).To(Equal("test"))
			Expect(b.Get("WebhookName").String()).To(Equal(in.Name))
		})

		It("refuses the save when the target answers 500", Clause("WH-VER-006", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			ch := s.Channel(WithScript(Answer("", 500, 0)))
			refusedSave(s, ch, "answers 500")
			Expect(ch.Events(TestEvent, 0)).NotTo(BeEmpty(), "the refusal followed a test event")
		})

		It("refuses the save when the target answers 404", Clause("WH-VER-007", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			ch := s.Channel(WithScript(Answer("", 404, 0)))
			refusedSave(s, ch, "answers 404")
			Expect(ch.Events(TestEvent, 0)).NotTo(BeEmpty(), "the refusal followed a test event")
		})

		It("treats a 2xx other than 200 as the profile says", Clause("WH-VER-008", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			ch := s.Channel(WithScript(Answer("", 201, 0)))
			if s.Profile().Success == "2xx" {
				s.Create(s.Hook(ch))
				return
			}
			refusedSave(s, ch, "answers 201 Created")
		})

		It("refuses the save when the target does not answer in time", Clause("WH-VER-009", st), Label(LabelSlow), func(ctx SpecContext) {
			s := Begin(ctx, st)
			p := s.Profile()
			s.Expecting("the save fails once the target's HTTP timeout (%s) passes", p.TargetTimeout)
			ch := s.Channel(WithScript(Delay("", p.TargetTimeout+max(2*time.Second, p.TargetTimeout/2), 0)))
			refusedSave(s, ch, fmt.Sprintf("answers only after its timeout of %s", p.TargetTimeout))
		}, SpecTimeout(5*time.Minute))

		It("refuses the save when the target resets the connection", Clause("WH-VER-010", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			ch := s.Channel(WithScript(FaultRule("", "reset", 0)))
			refusedSave(s, ch, "resets the connection")
		})

		It("refuses a plain-http TargetUrl", Clause("WH-VER-011", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			if !s.Profile().RequireHTTPS {
				SkipBecause("the profile allows plain-http targets (--require-https=false)")
			}
			ch := s.Channel()
			if !strings.HasPrefix(ch.HTTPURL, "http://") {
				SkipBecause("the receiver has no plain-http address the target could be given")
			}
			in := s.Hook(ch, func(w *driver.Webhook) { w.TargetURL = ch.HTTPURL })
			_, err := s.TryCreate(nil, in)
			ExpectRefused(err, "save with http TargetUrl "+ch.HTTPURL)
			Expect(s.Stored(in.Name)).To(BeFalse(), "the http webhook was stored")
			Expect(ch.Events("", 0)).To(BeEmpty(), "the target sent the test event over plain http")
		})

		It("verifies the URL again on update", Clause("WH-VER-014", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			if !s.Profile().VerifyOnUpdate {
				SkipBecause("the profile says only creates are checked (--verify-on-update=false)")
			}
			ch := s.Channel()
			created := s.Create(s.Hook(ch))
			ch.Script(Answer(TestEvent, 500, 0))
			upd := *created
			upd.Name = s.Name()
			_, err := s.D.Update(ctx, upd)
			ExpectRefused(err, "update while the target answers 500")
			Expect(s.Get(created.ID).Name).To(Equal(created.Name), "the refused update changed the webhook")
			Expect(ch.Events(TestEvent, 0)).To(HaveLen(2), "the update sent a test event")
		})

		It("verifies the URL of a webhook saved as Stopped", Clause("WH-VER-015", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			if !s.Profile().VerifyOnUpdate {
				SkipBecause("the profile narrows the URL check (--verify-on-update=false)")
			}
			ch := s.Channel(WithScript(Answer("", 500, 0)))
			in := s.Hook(ch, func(w *driver.Webhook) { w.State = driver.StateStopped })
			_, err := s.TryCreate(nil, in)
			ExpectRefused(err, "save with State Stopped while the target answers 500")
			Expect(s.Stored(in.Name)).To(BeFalse())
		})

		It("stores a crmscript webhook without an HTTP check", Clause("WH-VER-016", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			in := s.Hook(nil, func(w *driver.Webhook) {
				w.Type = "crmscript"
				w.TargetURL = "hookcheck_" + s.Entity
			})
			got := s.Create(in)
			again := s.Get(got.ID)
			Expect(again.Type).To(Equal("crmscript"))
			Expect(again.TargetURL).To(Equal(in.TargetURL))
		})

		It("does not send X-Hook-Test on deliveries", Clause("WH-VER-020", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			ch := s.Channel()
			in := s.Hook(ch)
			s.Create(in)
			s.Signal(in.Events[0], 7, nil)
			c := ch.AwaitDelivery(in.Events[0], 0, 1)[0]
			Expect(c.Header(HeaderHookTest)).To(BeEmpty(), "a delivery carried X-Hook-Test")
		})

		It("does not follow a redirect of the test event", Clause("WH-VER-021", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			if s.Profile().Redirects == "any" {
				SkipBecause("the profile does not pin redirect handling (--redirects any)")
			}
			elsewhere := s.Channel()
			ch := s.Channel(WithScript(AnswerBody("", http.StatusFound, "", map[string]string{"Location": elsewhere.URL}, 0)))
			refusedSave(s, ch, "answers 302 Found")
			Expect(elsewhere.Events("", 0)).To(BeEmpty(), "the target followed the redirect")
		})
	})

	for _, st := range driver.Styles {
		Context(string(st), func() {
			It("reports a refused save as an error", Clause("WH-VER-013", st), func(ctx SpecContext) {
				s := Begin(ctx, st)
				ch := s.Channel(WithScript(Answer("", 500, 0)))
				de := refusedSave(s, ch, "answers 500")
				ExpectErrorBody(de)
				if code := s.Profile().SaveErrorStatus; code != 0 && st != driver.SOAP {
					Expect(de.Status).To(Equal(code), "status of the refused save (--save-error-status)")
				}
			})

			It("sends the test event on TestWebhook and stores nothing", Clause("WH-VER-017", st), func(ctx SpecContext) {
				s := Begin(ctx, st)
				ch := s.Channel()
				in := s.Hook(ch)
				_, err := s.D.Test(ctx, in)
				Expect(err).NotTo(HaveOccurred())
				calls := ch.Events(TestEvent, 0)
				Expect(calls).To(HaveLen(1), "TestWebhook sent one test event")
				Expect(strings.ToLower(calls[0].Header(HeaderHookTest))).To(Equal("true"))
				Expect(Body(calls[0]).Get("WebhookName").String()).To(Equal(in.Name))
				Expect(s.Stored(in.Name)).To(BeFalse(), "TestWebhook stored the webhook")
			})

			It("answers Success true when the target answers 200", Clause("WH-VER-018", st), func(ctx SpecContext) {
				s := Begin(ctx, st)
				ch := s.Channel()
				res, err := s.D.Test(ctx, s.Hook(ch))
				Expect(err).NotTo(HaveOccurred())
				Expect(res.Success).To(BeTrue(), "Success; Message %q", res.Message)
			})

			It("answers Success false and the target's answer otherwise", Clause("WH-VER-019", st), func(ctx SpecContext) {
				s := Begin(ctx, st)
				token := "hookcheck-refusal-" + RandomHex(4)
				ch := s.Channel(WithScript(AnswerBody("", 500, token, map[string]string{"X-Hookcheck-Reason": "scripted"}, 0)))
				res, err := s.D.Test(ctx, s.Hook(ch))
				Expect(err).NotTo(HaveOccurred())
				Expect(res.Success).To(BeFalse())
				Expect(res.Message).To(ContainSubstring(token), "Message holds the response body")
				Expect(res.Message).To(ContainSubstring("scripted"), "Message holds the response headers")
			})
		})
	}
})
