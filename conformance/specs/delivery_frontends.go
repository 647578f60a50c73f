package specs

import (
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/conformance/driver"
	. "github.com/hookcheck/hookcheck/conformance/framework"
	"github.com/hookcheck/hookcheck/receiver/api"
)

// headerValues returns every value of the header name (matched
// case-insensitively) a call carried.
func headerValues(c api.Call, name string) []string {
	var out []string
	for k, vs := range c.Headers {
		if strings.EqualFold(k, name) {
			out = append(out, vs...)
		}
	}
	return out
}

// Spec area "delivery", through every front end: a webhook created,
// updated and signalled through REST, Agents or SOAP gets its deliveries
// signed with the Secret given there, its custom Headers never replace
// the standard ones, and the event names its caller (spec §2.6, §4.2,
// §4.3, §4.6).
var _ = Describe("delivery", func() {
	if !Area() {
		return
	}
	ForStyles(driver.Styles, func(st driver.Style) {
		It("signs the deliveries with a Secret changed by an update", Clause("WH-DLV-020", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			ch := s.Channel()
			created := s.Create(s.Hook(ch, func(w *driver.Webhook) { w.Secret = "hookcheck-old-" + RandomHex(8) }))
			s.Signal(created.Events[0], 1, nil)
			before := ch.AwaitDelivery(created.Events[0], 0, 1)[0]
			Expect(before.Signature).To(Equal(api.SignatureInvalid), "a delivery signed with the first Secret does not verify with the channel's: %s", before.Signature)
			upd := *s.Get(created.ID)
			upd.Secret = ch.Secret
			s.Update(upd)
			s.Signal(created.Events[0], 2, nil)
			after := ch.AwaitDelivery(created.Events[0], before.Seq, 1)[0]
			Expect(after.Header(HeaderSignature)).NotTo(BeEmpty(), "the delivery after the update through %s carries X-SuperOffice-Signature", st)
			Expect(after.Signature).To(Equal(api.SignatureValid), "the delivery after the update through %s is signed with the new Secret", st)
		})

		It("never lets a custom header replace a standard one", Clause("WH-DLV-021", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			ch := s.Channel()
			forged := map[string]string{
				"X-SuperOffice-Signature": "Zm9yZ2Vk", "X-SuperOffice-Event": "forged.event", "X-SuperOffice-EventId": "00000000-0000-0000-0000-000000000000",
				"Content-Type": "text/plain", "User-Agent": "forged-agent", "X-Hookcheck-Custom": "kept",
			}
			wh := s.Create(s.Hook(ch, func(w *driver.Webhook) { w.Headers = forged }))
			s.Signal(wh.Events[0], 1, nil)
			calls := append(ch.Events(TestEvent, 0), ch.AwaitDelivery(wh.Events[0], 0, 1)...)
			for _, c := range calls {
				Expect(c.Header("X-Hookcheck-Custom")).To(Equal("kept"), "call #%d (%s) carries the other custom header", c.Seq, c.Event)
				Expect(c.Signature).To(Equal(api.SignatureValid), "call #%d (%s): a custom X-SuperOffice-Signature replaced the real one", c.Seq, c.Event)
				for name, bad := range forged {
					if name == "X-Hookcheck-Custom" {
						continue
					}
					Expect(headerValues(c, name)).NotTo(ContainElement(bad), "call #%d (%s): the custom %s was sent", c.Seq, c.Event, name)
					Expect(headerValues(c, name)).To(HaveLen(1), "call #%d (%s) carries one %s", c.Seq, c.Event, name)
				}
				ExpectJSONContentType(c)
				ExpectUserAgent(c)
				Expect(c.Header(HeaderEventID)).To(Equal(Body(c).Get("EventId").String()))
			}
			Expect(calls[len(calls)-1].Header(HeaderEvent)).To(Equal(wh.Events[0]))
		})

		It("names the calling associate as ChangedByAssociateId", Clause("WH-DLV-022", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			ch := s.Channel()
			wh := s.Create(s.Hook(ch))
			caller := Body(ch.Events(TestEvent, 0)[0]).Get("ChangedByAssociateId").Int()
			Expect(caller).To(BeNumerically(">", 0), "the save's test event names the calling associate")
			s.Signal(wh.Events[0], 1, nil)
			c := ch.AwaitDelivery(wh.Events[0], 0, 1)[0]
			Expect(Body(c).Get("ChangedByAssociateId").Int()).To(Equal(caller), "the event signalled through %s names its caller", st)
		})
	})
})

// Spec area "verification", through every front end: the save-time test
// event and TestWebhook's are signed with the Secret given there, and
// TestWebhook refuses a definition it cannot test (spec §3, §4.6).
var _ = Describe("verification", func() {
	if !Area() {
		return
	}
	ForStyles(driver.Styles, func(st driver.Style) {
		It("signs the save-time test event with the Secret saved there", Clause("WH-VER-005", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			ch := s.Channel()
			s.Create(s.Hook(ch))
			c := ch.Events(TestEvent, 0)[0]
			Expect(c.Header(HeaderSignature)).NotTo(BeEmpty(), "the test event of a save through %s carries X-SuperOffice-Signature", st)
			Expect(c.Signature).To(Equal(api.SignatureValid), "X-SuperOffice-Signature %q over the raw body", c.Header(HeaderSignature))
		})

		It("signs TestWebhook's test event", Clause("WH-VER-022", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			ch := s.Channel()
			res, err := s.D.Test(ctx, s.Hook(ch))
			Expect(err).NotTo(HaveOccurred(), "TestWebhook through %s", st)
			Expect(res.Success).To(BeTrue(), "TestWebhook through %s: %s", st, res.Message)
			calls := ch.Events(TestEvent, 0)
			Expect(calls).To(HaveLen(1), "TestWebhook sent one test event")
			Expect(calls[0].Header(HeaderSignature)).NotTo(BeEmpty(), "TestWebhook's test event through %s carries X-SuperOffice-Signature", st)
			Expect(calls[0].Signature).To(Equal(api.SignatureValid), "TestWebhook's test event through %s is signed with the definition's Secret", st)
		})

		It("refuses to test a definition without a TargetUrl", Clause("WH-VER-023", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			ch := s.Channel()
			in := s.Hook(ch, func(w *driver.Webhook) { w.TargetURL = "" })
			res, err := s.D.Test(ctx, in)
			Expect(err).To(HaveOccurred(), "TestWebhook through %s answered %+v for a definition without TargetUrl", st, res)
			ExpectErrorBody(ExpectRefused(err, "TestWebhook without TargetUrl through "+string(st)))
			Expect(ch.All()).To(BeEmpty(), "TestWebhook without TargetUrl sent something")
			Expect(s.Stored(in.Name)).To(BeFalse(), "TestWebhook stored the definition")
		})
	})
})
