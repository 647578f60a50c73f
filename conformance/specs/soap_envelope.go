package specs

import (
	"strconv"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/conformance/driver"
	. "github.com/hookcheck/hookcheck/conformance/framework"
)

// The WS-Addressing namespace (BasicHttpBinding has no addressing).
const wsAddressingNS = "http://www.w3.org/2005/08/addressing"

// otherSOAPVersion returns the SOAP version the run's driver does not speak.
func otherSOAPVersion(v string) string {
	if v == driver.SOAP12 {
		return driver.SOAP11
	}
	return driver.SOAP12
}

// soapIn returns a SOAP driver of the run's target speaking version v.
func soapIn(s *Scenario, v string) *driver.SOAPDriver {
	GinkgoHelper()
	SOAPOf(s) // skips without SOAP
	d, err := s.Env.DriverWith(driver.SOAP, func(c *driver.Config) { c.SOAPVersion = v })
	Expect(err).NotTo(HaveOccurred())
	return d.(*driver.SOAPDriver)
}

// mustUnderstandValue is the true value of mustUnderstand in version v
// ("1" in SOAP 1.1, "true" in SOAP 1.2).
func mustUnderstandValue(v string) string {
	if v == driver.SOAP12 {
		return "true"
	}
	return "1"
}

// Spec area "crud", the SOAP envelope rules: mustUnderstand header blocks,
// WS-Addressing, and SOAP 1.1 beside 1.2 (spec §2.5, §9 #20; SOAP 1.1 §4.2.3,
// SOAP 1.2 part 1 §5.2.3).
var _ = Describe("crud", func() {
	if !Area() {
		return
	}
	Context("soap", func() {
		const st = driver.SOAP

		It("refuses a call whose Header holds a block it does not understand with mustUnderstand, with a MustUnderstand Fault and no side effect", Clause("WH-WIRE-010", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			for _, v := range []string{driver.SOAP11, driver.SOAP12} {
				d := soapIn(s, v)
				name := s.Name()
				hook := s.Hook(s.Channel(), func(w *driver.Webhook) { w.Name = name })
				header := `<x:Transaction xmlns:x="urn:hookcheck:unknown" s:mustUnderstand="` + mustUnderstandValue(v) + `">5</x:Transaction>`
				resp, err := d.Do(ctx, "SaveWebhook", d.EnvelopeWithHeader("SaveWebhook", header, soapWebhookXML(hook)))
				Expect(err).NotTo(HaveOccurred())
				_, err = d.Reply("SaveWebhook", resp)
				de := ExpectRefused(err, "SOAP "+v+" SaveWebhook with a mustUnderstand block the service does not know")
				Expect(de.Fault).To(BeTrue(), "SOAP %s: a header block not understood is a Fault, not an ExceptionInfo: %s", v, de.Body)
				Expect(de.ErrorType).To(HaveSuffix("MustUnderstand"), "SOAP %s: the fault code is MustUnderstand: %s", v, de.Body)
				Expect(s.Stored(name)).To(BeFalse(), "SOAP %s: the call was not processed", v)
			}
		})

		It("serves mustUnderstand on its own header blocks, ignores WS-Addressing and blocks for another role", Clause("WH-WIRE-011", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			for _, v := range []string{driver.SOAP11, driver.SOAP12} {
				d := soapIn(s, v)
				cfg := d.Config()
				mu := `s:mustUnderstand="` + mustUnderstandValue(v) + `"`
				role := `s:actor="urn:hookcheck:elsewhere"`
				if v == driver.SOAP12 {
					role = `s:role="urn:hookcheck:elsewhere"`
				}
				header := `<wh:TimeZone ` + mu + `><wh:SoTimeZoneId>0</wh:SoTimeZoneId><wh:SoTimeZoneLocationCode>UTC</wh:SoTimeZoneLocationCode></wh:TimeZone>` +
					`<a:Action xmlns:a="` + wsAddressingNS + `">` + cfg.SOAPNamespace + `/Webhook/SaveWebhook</a:Action>` +
					`<a:MessageID xmlns:a="` + wsAddressingNS + `">urn:uuid:` + RandomHex(16) + `</a:MessageID>` +
					`<a:To xmlns:a="` + wsAddressingNS + `">` + xmlEscape(cfg.SOAPURL) + `</a:To>` +
					`<x:Audit xmlns:x="urn:hookcheck:unknown" ` + mu + ` ` + role + `>1</x:Audit>`
				name := s.Name()
				hook := s.Hook(s.Channel(), func(w *driver.Webhook) { w.Name = name })
				resp, err := d.Do(ctx, "SaveWebhook", d.EnvelopeWithHeader("SaveWebhook", header, soapWebhookXML(hook)))
				Expect(err).NotTo(HaveOccurred())
				r, err := d.Reply("SaveWebhook", resp)
				Expect(err).NotTo(HaveOccurred(), "SOAP %s: TimeZone with mustUnderstand is a documented header; WS-Addressing without mustUnderstand and a block for another role are ignored", v)
				wh, err := r.Webhook()
				Expect(err).NotTo(HaveOccurred())
				Expect(wh).NotTo(BeNil())
				s.Own(wh.ID)
				Expect(wh.Name).To(Equal(name), "SOAP %s: the save was processed", v)
			}
		})

		for _, v := range []string{driver.SOAP11, driver.SOAP12} {
			It("answers SOAP "+v+" in SOAP "+v+": its envelope namespace and media type, through save, read, signal and delete", Clause("WH-WIRE-012", st), func(ctx SpecContext) {
				s := Begin(ctx, st)
				d := soapIn(s, v)
				ch := s.Channel()
				hook := s.Hook(ch)
				wantNS := driver.SOAPEnvelopeNS(v)
				wantType := "text/xml"
				if v == driver.SOAP12 {
					wantType = "application/soap+xml"
				}
				call := func(op, inner string) *driver.SOAPReply {
					resp, err := d.Do(ctx, op, d.Envelope(op, inner))
					Expect(err).NotTo(HaveOccurred())
					r, err := d.Reply(op, resp)
					Expect(err).NotTo(HaveOccurred(), "SOAP %s %s", v, op)
					Expect(r.EnvelopeNS).To(Equal(wantNS), "SOAP %s %s: the answer's Envelope namespace", v, op)
					Expect(r.ContentType).To(HavePrefix(wantType), "SOAP %s %s: the answer's Content-Type", v, op)
					return r
				}
				wh, err := call("SaveWebhook", soapWebhookXML(hook)).Webhook()
				Expect(err).NotTo(HaveOccurred())
				Expect(wh).NotTo(BeNil())
				s.Own(wh.ID)
				id := "<wh:WebhookId>" + strconv.Itoa(int(wh.ID)) + "</wh:WebhookId>"
				got, err := call("GetWebhook", id).Webhook()
				Expect(err).NotTo(HaveOccurred())
				Expect(got.Name).To(Equal(hook.Name))
				after := ch.Last()
				call("SignalEvent", "<wh:EventName>"+s.Event("changed")+"</wh:EventName><wh:PrimaryKey>7</wh:PrimaryKey>")
				ch.AwaitDelivery(s.Event("changed"), after, 1)
				call("DeleteWebhook", id)
				Expect(Absent(s.REST.Get(ctx, wh.ID))).To(BeTrue())
			})
		}
	})
})
