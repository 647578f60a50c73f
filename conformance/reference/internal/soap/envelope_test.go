package soap_test

import (
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/conformance/reference/internal/reftest"
	"github.com/hookcheck/hookcheck/conformance/reference/internal/soap"
)

var _ = Describe("SOAP envelope parser", func() {
	const getBody = `<w:GetWebhook><w:WebhookId>7</w:WebhookId></w:GetWebhook>`

	It("reads a SOAP 1.1 envelope with the credentials in Header", func() {
		env := reftest.SOAPEnvelope(11, reftest.SOAPNS88, reftest.SOAPCredentials("app-1", reftest.SOAPTicket), getBody)
		v, err := soap.ParseSOAPEnvelopeForTest([]byte(env))
		Expect(err).NotTo(HaveOccurred())
		Expect(v).To(Equal(soap.SOAPEnvelopeView{
			Version: 11, AppToken: "app-1", Ticket: reftest.SOAPTicket,
			Operation: "{" + reftest.SOAPNS88 + "}GetWebhook",
		}))
	})

	It("reads the TimeZone header's location code", func() {
		tz := `<w:TimeZone><w:SoTimeZoneId>3</w:SoTimeZoneId><w:SoTimeZoneLocationCode>AU-QLD</w:SoTimeZoneLocationCode></w:TimeZone>`
		env := reftest.SOAPEnvelope(11, reftest.SOAPNS88, reftest.SOAPCredentials("", reftest.SOAPTicket)+tz, getBody)
		v, err := soap.ParseSOAPEnvelopeForTest([]byte(env))
		Expect(err).NotTo(HaveOccurred())
		Expect(v.TimeZone).To(Equal("AU-QLD"))
	})

	It("lists the mustUnderstand blocks addressed to it that it does not understand", func() {
		header := reftest.SOAPCredentials("", reftest.SOAPTicket) +
			`<x:A xmlns:x="urn:x" s:mustUnderstand="1">1</x:A>` + // not understood
			`<x:B xmlns:x="urn:x" s:mustUnderstand="0">1</x:B>` + // optional
			`<x:C xmlns:x="urn:x" s:mustUnderstand="1" s:actor="urn:other">1</x:C>` + // for another actor
			`<x:D xmlns:x="urn:x" s:mustUnderstand="1" s:actor="http://schemas.xmlsoap.org/soap/actor/next">1</x:D>` + // for the next node: us
			`<w:TimeZone s:mustUnderstand="1"><w:SoTimeZoneLocationCode>UTC</w:SoTimeZoneLocationCode></w:TimeZone>` + // understood
			`<w:Transaction s:mustUnderstand="1">1</w:Transaction>` // service namespace, but not a documented header
		v, err := soap.ParseSOAPEnvelopeForTest([]byte(reftest.SOAPEnvelope(11, reftest.SOAPNS88, header, getBody)))
		Expect(err).NotTo(HaveOccurred())
		Expect(v.NotUnderstood).To(Equal([]string{"{urn:x}A", "{urn:x}D", "{" + reftest.SOAPNS88 + "}Transaction"}))
	})

	It("reads mustUnderstand=\"true\" and the SOAP 1.2 roles", func() {
		header := `<x:A xmlns:x="urn:x" s:mustUnderstand="true">1</x:A>` +
			`<x:B xmlns:x="urn:x" s:mustUnderstand="true" s:role="http://www.w3.org/2003/05/soap-envelope/role/none">1</x:B>` +
			`<x:C xmlns:x="urn:x" s:mustUnderstand="true" s:role="http://www.w3.org/2003/05/soap-envelope/role/ultimateReceiver">1</x:C>`
		v, err := soap.ParseSOAPEnvelopeForTest([]byte(reftest.SOAPEnvelope(12, reftest.SOAPNS88, header, getBody)))
		Expect(err).NotTo(HaveOccurred())
		Expect(v.NotUnderstood).To(Equal([]string{"{urn:x}A", "{urn:x}C"}))
	})

	It("reads a SOAP 1.2 envelope", func() {
		env := reftest.SOAPEnvelope(12, reftest.SOAPNS87, reftest.SOAPCredentials("", reftest.SOAPTicket), getBody)
		v, err := soap.ParseSOAPEnvelopeForTest([]byte(env))
		Expect(err).NotTo(HaveOccurred())
		Expect(v.Version).To(Equal(12))
		Expect(v.Ticket).To(Equal(reftest.SOAPTicket))
		Expect(v.AppToken).To(BeEmpty())
		Expect(v.Operation).To(Equal("{" + reftest.SOAPNS87 + "}GetWebhook"))
	})

	It("tolerates the documentation's header elements placed straight in Envelope (spec §9 #20)", func() {
		env := `<?xml version="1.0" encoding="UTF-8"?>
<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://www.w3.org/2003/05/soap-envelope"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema"
 xmlns:Webhook="` + reftest.SOAPNS88 + `">
  <Webhook:ApplicationToken>1234567-1234-9876</Webhook:ApplicationToken>
  <Webhook:Credentials>
    <Webhook:Ticket>7T:1234abcxyzExample==</Webhook:Ticket>
  </Webhook:Credentials>
 <SOAP-ENV:Body>
   <Webhook:GetWebhook><Webhook:WebhookId xsi:type="xsd:int">0</Webhook:WebhookId></Webhook:GetWebhook>
 </SOAP-ENV:Body>
</SOAP-ENV:Envelope>`
		v, err := soap.ParseSOAPEnvelopeForTest([]byte(env))
		Expect(err).NotTo(HaveOccurred())
		Expect(v.Version).To(Equal(12))
		Expect(v.AppToken).To(Equal("1234567-1234-9876"))
		Expect(v.Ticket).To(Equal("7T:1234abcxyzExample=="))
		Expect(v.Operation).To(HaveSuffix("}GetWebhook"))
	})

	It("prefers the credentials in Header over stray ones", func() {
		env := strings.Replace(
			reftest.SOAPEnvelope(11, reftest.SOAPNS88, reftest.SOAPCredentials("in-header", "7T:header"), getBody),
			"<s:Body>", reftest.SOAPCredentials("stray", "7T:stray")+"<s:Body>", 1)
		v, err := soap.ParseSOAPEnvelopeForTest([]byte(env))
		Expect(err).NotTo(HaveOccurred())
		Expect(v.AppToken).To(Equal("in-header"))
		Expect(v.Ticket).To(Equal("7T:header"))
	})

	It("treats a nil ticket as no ticket and ignores comments and the XML declaration", func() {
		env := reftest.SOAPEnvelope(11, reftest.SOAPNS88,
			`<!-- hello --><w:Credentials><w:Ticket xsi:nil="true"/></w:Credentials>`, getBody)
		v, err := soap.ParseSOAPEnvelopeForTest([]byte(env))
		Expect(err).NotTo(HaveOccurred())
		Expect(v.Ticket).To(BeEmpty())
	})

	DescribeTable("refuses what is not a SOAP envelope",
		func(doc, wantInError string) {
			_, err := soap.ParseSOAPEnvelopeForTest([]byte(doc))
			Expect(err).To(HaveOccurred())
			Expect(err.Error()).To(ContainSubstring(wantInError))
		},
		Entry("plain text", "hello", "malformed XML"),
		Entry("empty body", "", "no element"),
		Entry("JSON", `{"WebhookId":1}`, "malformed XML"),
		Entry("another root", `<foo/>`, "not a SOAP 1.1 or 1.2 Envelope"),
		Entry("Envelope in a foreign namespace", `<Envelope xmlns="urn:x"><Body/></Envelope>`, "not a SOAP 1.1 or 1.2 Envelope"),
		Entry("SOAP Body as root", `<s:Body xmlns:s="`+reftest.SOAPEnv11+`"/>`, "not Envelope"),
		Entry("no Body", `<s:Envelope xmlns:s="`+reftest.SOAPEnv11+`"><s:Header/></s:Envelope>`, "no Body"),
		Entry("empty Body", `<s:Envelope xmlns:s="`+reftest.SOAPEnv11+`"><s:Body> </s:Body></s:Envelope>`, "Body is empty"),
		Entry("two Bodies", `<s:Envelope xmlns:s="`+reftest.SOAPEnv11+`"><s:Body><a/></s:Body><s:Body><a/></s:Body></s:Envelope>`, "more than one Body"),
		Entry("two Headers", `<s:Envelope xmlns:s="`+reftest.SOAPEnv11+`"><s:Header/><s:Header/><s:Body><a/></s:Body></s:Envelope>`, "more than one Header"),
		Entry("unclosed element", `<s:Envelope xmlns:s="`+reftest.SOAPEnv11+`"><s:Body><a>`, "malformed XML"),
		Entry("mismatched end tag", `<s:Envelope xmlns:s="`+reftest.SOAPEnv11+`"><s:Body></a></s:Envelope>`, "malformed XML"),
		Entry("a second root", `<s:Envelope xmlns:s="`+reftest.SOAPEnv11+`"><s:Body><a/></s:Body></s:Envelope><x/>`, "after the document element"),
		Entry("text outside the root", `<s:Envelope xmlns:s="`+reftest.SOAPEnv11+`"><s:Body><a/></s:Body></s:Envelope>junk`, "outside the document element"),
		Entry("a DOCTYPE", `<!DOCTYPE s:Envelope><s:Envelope xmlns:s="`+reftest.SOAPEnv11+`"><s:Body><a/></s:Body></s:Envelope>`, "DTDs"),
		Entry("billion laughs", `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>`+
			`<s:Envelope xmlns:s="`+reftest.SOAPEnv11+`"><s:Body><a>&lol2;</a></s:Body></s:Envelope>`, "DTDs"),
		Entry("an external entity", `<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><s:Envelope xmlns:s="`+reftest.SOAPEnv11+`"><s:Body><a>&xxe;</a></s:Body></s:Envelope>`, "DTDs"),
		Entry("an undeclared entity", `<s:Envelope xmlns:s="`+reftest.SOAPEnv11+`"><s:Body><a>&lol;</a></s:Body></s:Envelope>`, "malformed XML"),
		Entry("invalid UTF-8", "<s:Envelope xmlns:s=\""+reftest.SOAPEnv11+"\"><s:Body><a>\xff\xfe</a></s:Body></s:Envelope>", "not valid UTF-8"),
		Entry("a non-UTF-8 encoding", `<?xml version="1.0" encoding="ISO-8859-1"?><s:Envelope xmlns:s="`+reftest.SOAPEnv11+`"><s:Body><a/></s:Body></s:Envelope>`, "malformed XML"),
	)

	Describe("limits", func() {
		const head = `<s:Envelope xmlns:s="` + reftest.SOAPEnv11 + `"><s:Body><op>`
		const tail = `</op></s:Body></s:Envelope>`

		nested := func(levels int) string {
			return head + strings.Repeat("<x>", levels) + strings.Repeat("</x>", levels) + tail
		}

		It("accepts nesting up to the depth limit and refuses one level more", func() {
			// Envelope, Body and op are three levels.
			_, err := soap.ParseSOAPEnvelopeWithLimits([]byte(nested(5)), 1<<20, 8, 1000)
			Expect(err).NotTo(HaveOccurred())
			_, err = soap.ParseSOAPEnvelopeWithLimits([]byte(nested(6)), 1<<20, 8, 1000)
			Expect(err).To(HaveOccurred())
			Expect(soap.IsSOAPLimitError(err)).To(BeTrue())
			Expect(err.Error()).To(ContainSubstring("nested deeper than 8"))
		})

		It("accepts elements and attributes up to the node limit and refuses one more", func() {
			// Envelope with its xmlns:s attribute, Body and op are four nodes.
			doc := func(items int) []byte {
				return []byte(head + strings.Repeat("<i/>", items) + tail)
			}
			_, err := soap.ParseSOAPEnvelopeWithLimits(doc(6), 1<<20, 8, 10)
			Expect(err).NotTo(HaveOccurred())
			_, err = soap.ParseSOAPEnvelopeWithLimits(doc(7), 1<<20, 8, 10)
			Expect(soap.IsSOAPLimitError(err)).To(BeTrue())
		})

		It("refuses a body larger than the byte limit", func() {
			_, err := soap.ParseSOAPEnvelopeWithLimits([]byte(nested(1)), 10, 8, 1000)
			Expect(soap.IsSOAPLimitError(err)).To(BeTrue())
		})

		It("refuses 10,000 levels of nesting quickly under the default limits", func() {
			start := time.Now()
			_, err := soap.ParseSOAPEnvelopeForTest([]byte(nested(10_000)))
			Expect(soap.IsSOAPLimitError(err)).To(BeTrue())
			Expect(time.Since(start)).To(BeNumerically("<", 2*time.Second))
		})

		It("refuses a one-million-element array under the default limits", func() {
			_, _, maxNodes := soap.SOAPDefaultLimits()
			doc := head + `<w:Events xmlns:w="urn:x">` + strings.Repeat("<a/>", 1_000_000) + `</w:Events>` + tail
			start := time.Now()
			_, err := soap.ParseSOAPEnvelopeForTest([]byte(doc))
			Expect(soap.IsSOAPLimitError(err)).To(BeTrue())
			Expect(err.Error()).To(ContainSubstring("more than"))
			Expect(maxNodes).To(BeNumerically("<", 1_000_000))
			Expect(time.Since(start)).To(BeNumerically("<", 5*time.Second))
		})
	})
})
