package specs

import (
	"embed"
	"fmt"
	"strconv"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/conformance/driver"
	. "github.com/hookcheck/hookcheck/conformance/framework"
)

// soapSamples are the request envelopes of the SOAP reference pages, byte
// for byte (a copy of fixtures/soap; see its README for the source path
// of each file).
//
//go:embed soapsamples
var soapSamples embed.FS

// The services of the samples and their namespaces (spec §2.5).
const (
	services88 = "Services88"
	services87 = "Services87"
)

// The placeholders every sample carries in its credential elements.
const (
	sampleTicket   = `<Webhook:Ticket>7T:1234abcxyzExample==</Webhook:Ticket>`
	sampleAppToken = `<Webhook:ApplicationToken>1234567-1234-9876</Webhook:ApplicationToken>`
	sampleID       = `<Webhook:WebhookId xsi:type="xsd:int">0</Webhook:WebhookId>`
)

// sampleEdit replaces Old, which must occur exactly N times (1 when N is
// 0), with New: the one way a spec changes a sample, so everything it does
// not name stays as documented.
type sampleEdit struct {
	Old, New string
	N        int
}

// soapSample reads the sample of op on service and applies edits; a
// placeholder that is not where the page puts it fails the spec (the
// fixture changed).
func soapSample(service, op string, edits ...sampleEdit) []byte {
	data, err := soapSamples.ReadFile("soapsamples/" + service + "/" + op + ".xml")
	Expect(err).NotTo(HaveOccurred(), "the %s %s sample", service, op)
	s := string(data)
	for _, e := range edits {
		n := e.N
		if n == 0 {
			n = 1
		}
		Expect(strings.Count(s, e.Old)).To(Equal(n), "the %s %s sample holds %q %d time(s)", service, op, e.Old, n)
		s = strings.ReplaceAll(s, e.Old, e.New)
	}
	return []byte(s)
}

// sampleText is an edit of an empty string element of the samples
// (`<Webhook:name xsi:type="xsd:string"></Webhook:name>`) to text.
func sampleText(name, text string, n int) sampleEdit {
	return sampleEdit{
		Old: `<Webhook:` + name + ` xsi:type="xsd:string"></Webhook:` + name + `>`,
		New: `<Webhook:` + name + ` xsi:type="xsd:string">` + xmlEscape(text) + `</Webhook:` + name + `>`,
		N:   n,
	}
}

// sampleCaller is the SOAP 1.2 driver a sample is replayed through: the
// endpoint and namespace of service, the target's ticket and app token.
type sampleCaller struct {
	d       *driver.SOAPDriver
	s       *Scenario
	service string
	creds   []sampleEdit
}

// samplesOf returns the caller of service's samples, skipping the spec
// when the target's credentials have no ticket (the samples carry
// Credentials/Ticket) or its SOAP URL does not name Services88 (the
// Services87 endpoint cannot be derived from it).
func samplesOf(s *Scenario, service string) *sampleCaller {
	cfg := SOAPOf(s).Config()
	ticket := cfg.Auth.Ticket()
	if ticket == "" {
		SkipBecause("the documented SOAP samples authenticate with Credentials/Ticket; the target's credentials hold no ticket (--auth soticket:TICKET)")
	}
	url, ns := cfg.SOAPURL, cfg.SOAPNamespace
	if service == services87 {
		if !strings.Contains(url, services88) {
			SkipBecause(fmt.Sprintf("the Services87 endpoint is derived from the SOAP URL by its Services88 segment, and %s has none", url))
		}
		url = strings.Replace(url, services88, services87, 1)
		ns = strings.Replace(ns, services88, services87, 1)
	}
	d, err := s.Env.DriverWith(driver.SOAP, func(c *driver.Config) {
		c.SOAPVersion, c.SOAPURL, c.SOAPNamespace = driver.SOAP12, url, ns
	})
	Expect(err).NotTo(HaveOccurred())
	creds := []sampleEdit{{Old: sampleTicket, New: `<Webhook:Ticket>` + xmlEscape(ticket) + `</Webhook:Ticket>`}}
	if cfg.AppToken != "" {
		creds = append(creds, sampleEdit{Old: sampleAppToken, New: `<Webhook:ApplicationToken>` + xmlEscape(cfg.AppToken) + `</Webhook:ApplicationToken>`})
	}
	return &sampleCaller{d: d.(*driver.SOAPDriver), s: s, service: service, creds: creds}
}

// replay posts op's sample with the credentials and edits substituted and
// returns the checked answer: a SOAP 1.2 envelope of application/soap+xml
// whose Body starts with the <{op}Response> wrapper in the service's
// namespace.
func (c *sampleCaller) replay(op string, edits ...sampleEdit) *driver.SOAPReply {
	env := soapSample(c.service, op, append(append([]sampleEdit{}, c.creds...), edits...)...)
	resp, err := c.d.Do(c.s.Ctx(), op, env)
	Expect(err).NotTo(HaveOccurred(), "POST the %s %s sample", c.service, op)
	r, err := c.d.Reply(op, resp)
	Expect(err).NotTo(HaveOccurred(), "the answer to the %s %s sample", c.service, op)
	Expect(r.EnvelopeNS).To(Equal(driver.SOAPEnvelopeNS(driver.SOAP12)), "a SOAP 1.2 request is answered in SOAP 1.2")
	Expect(r.ContentType).To(HavePrefix("application/soap+xml"), "SOAP 1.2 answers are application/soap+xml")
	Expect(r.WrapperNS).To(Equal(c.d.Config().SOAPNamespace), "<%sResponse> is in the %s namespace", op, c.service)
	return r
}

// withResponse asserts that the wrapper holds exactly the <Response>
// element.
func withResponse(r *driver.SOAPReply) {
	Expect(r.Children).To(Equal([]string{"Response"}), "<%s> holds <Response> and nothing else", r.Wrapper)
}

// emptyWrapper asserts that the wrapper holds no element (the operation
// answers nothing).
func emptyWrapper(r *driver.SOAPReply) {
	Expect(r.Children).To(BeEmpty(), "<%s> is empty, as the page shows", r.Wrapper)
}

// sampleHook are the edits that fill the blanks of a sample Webhook with
// a definition aimed at ch: name, event, TargetUrl, a header and a
// property (the state, the type, the secret, the e-mail and the dates stay
// as the page has them).
func sampleHook(s *Scenario, ch *Channel, name, event string, v88 bool) []sampleEdit {
	edits := []sampleEdit{
		sampleText("Name", name, 3),
		{Old: `<NetServerServicesNN2:string xsi:type="xsd:string"></NetServerServicesNN2:string>`, New: `<NetServerServicesNN2:string xsi:type="xsd:string">` + event + `</NetServerServicesNN2:string>`},
		sampleText("TargetUrl", ch.URL, 1),
		{Old: `<Webhook:Key xsi:type="xsd:string"></Webhook:Key>
       <Webhook:Value xsi:type="xsd:string"></Webhook:Value>`, New: `<Webhook:Key xsi:type="xsd:string">X-Hookcheck-Sample</Webhook:Key>
       <Webhook:Value xsi:type="xsd:string">sample</Webhook:Value>`},
		{Old: `<Webhook:Key xsi:type="xsd:string"></Webhook:Key>
       <Webhook:Value xsi:type="xsd:anyType"></Webhook:Value>`, New: `<Webhook:Key xsi:type="xsd:string">hookcheckSample</Webhook:Key>
       <Webhook:Value xsi:type="xsd:anyType"></Webhook:Value>`},
	}
	nn := "87"
	if v88 {
		nn = "88"
	}
	edits[1].Old = strings.ReplaceAll(edits[1].Old, "NN", nn)
	edits[1].New = strings.ReplaceAll(edits[1].New, "NN", nn)
	return edits
}

// sampleSignal are the edits of a SignalEvent sample: the event name and
// a data key (PrimaryKey stays 0, which the spec allows).
func sampleSignal(event string) []sampleEdit {
	return []sampleEdit{
		sampleText("EventName", event, 1),
		{Old: `<Webhook:Key xsi:type="xsd:string"></Webhook:Key>`, New: `<Webhook:Key xsi:type="xsd:string">sample_field</Webhook:Key>`},
	}
}

// idEdit puts id into a sample's one WebhookId.
func idEdit(id int32) sampleEdit {
	return sampleEdit{Old: sampleID, New: `<Webhook:WebhookId xsi:type="xsd:int">` + strconv.Itoa(int(id)) + `</Webhook:WebhookId>`}
}

// Spec area "crud", the documented SOAP wire: every request sample of the
// Services88 pages and the Services87 SaveWebhook and SignalEvent pages,
// replayed byte for byte after the credentials, ids and blank strings are
// filled in (SOAP 1.2, ApplicationToken and Credentials outside Header, as
// the pages have them), answered with the {Op}Response wrapper (spec
// §2.5, §9 #20).
var _ = Describe("crud", func() {
	if !Area() {
		return
	}
	Context("soap", func() {
		const st = driver.SOAP

		It("answers the CreateDefaultWebhook sample with the defaults in <CreateDefaultWebhookResponse><Response>", Clause("WH-WIRE-001", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			r := samplesOf(s, services88).replay("CreateDefaultWebhook")
			withResponse(r)
			wh, err := r.Webhook()
			Expect(err).NotTo(HaveOccurred())
			Expect(wh).NotTo(BeNil(), "the Response holds a Webhook")
			Expect(wh.ID).To(BeZero())
			Expect(wh.State).To(Equal(driver.StateActive))
			Expect(wh.Type).To(Equal("webhook"))
			Expect(wh.Events).To(Equal([]string{"contact.created", "contact.deleted"}), "the documented default events (§1.2)")
		})

		It("stores the SaveWebhook sample and answers the stored Webhook in <SaveWebhookResponse><Response>", Clause("WH-WIRE-002", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			ch := s.Channel()
			name, event := s.Name(), s.Event("changed")
			r := samplesOf(s, services88).replay("SaveWebhook", sampleHook(s, ch, name, event, true)...)
			withResponse(r)
			wh, err := r.Webhook()
			Expect(err).NotTo(HaveOccurred())
			Expect(wh).NotTo(BeNil(), "the Response holds the saved Webhook")
			s.Own(wh.ID)
			Expect(wh.ID).To(BeNumerically(">", 0), "WebhookId 0 created a webhook")
			Expect(wh.Name).To(Equal(name))
			read := s.Get(wh.ID)
			Expect(read.Events).To(Equal([]string{event}))
			Expect(read.TargetURL).To(Equal(ch.URL))
			Expect(read.Headers).To(HaveKeyWithValue("X-Hookcheck-Sample", "sample"))
			Expect(read.Registered.Year()).NotTo(Equal(2023), "Registered is the server's, not the sample's 2023-09-19 (§9 #27)")
		})

		It("answers the GetWebhook sample with the Webhook in <GetWebhookResponse><Response>", Clause("WH-WIRE-003", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			created := s.Create(s.Hook(s.Channel()))
			r := samplesOf(s, services88).replay("GetWebhook", idEdit(created.ID))
			withResponse(r)
			wh, err := r.Webhook()
			Expect(err).NotTo(HaveOccurred())
			Expect(wh).NotTo(BeNil())
			Expect(wh.ID).To(Equal(created.ID))
			Expect(wh.Name).To(Equal(created.Name))
		})

		It("answers the GetAllWebhooks sample with an ArrayOfWebhook in <GetAllWebhooksResponse><Response>", Clause("WH-WIRE-004", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			created := s.Create(s.Hook(s.Channel()))
			r := samplesOf(s, services88).replay("GetAllWebhooks", sampleText("NameFilter", created.Name, 1))
			withResponse(r)
			list, err := r.Webhooks()
			Expect(err).NotTo(HaveOccurred())
			Expect(IDs(list)).To(Equal([]int32{created.ID}), "NameFilter from the sample, StatusFilter Unknown (= all), EventFilter empty (= any)")
		})

		It("tests the TestWebhook sample's target and answers a WebhookResult in <TestWebhookResponse><Response>", Clause("WH-WIRE-005", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			ch := s.Channel()
			after := ch.Last()
			name := s.Name()
			r := samplesOf(s, services88).replay("TestWebhook", sampleHook(s, ch, name, s.Event("changed"), true)...)
			withResponse(r)
			Expect(r.ResponseChild("Success")).To(Equal("true"), "the receiver answered the test event 200 OK")
			ch.Await("test", after, 1, s.Profile().DeliveryWait)
			Expect(s.Stored(name)).To(BeFalse(), "TestWebhook stores nothing")
		})

		It("delivers the SignalEvent sample's event and answers an empty <SignalEventResponse>", Clause("WH-WIRE-006", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			ch := s.Channel()
			s.Create(s.Hook(ch))
			after := ch.Last()
			r := samplesOf(s, services88).replay("SignalEvent", sampleSignal(s.Event("changed"))...)
			emptyWrapper(r)
			calls := ch.AwaitDelivery(s.Event("changed"), after, 1)
			Expect(Body(calls[0]).Get("PrimaryKey").Int()).To(BeZero(), "the sample's PrimaryKey 0")
		})

		It("answers the GetLastError sample with a string in <GetLastErrorResponse><Response>", Clause("WH-WIRE-007", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			created := s.Create(s.Hook(s.Channel()))
			r := samplesOf(s, services88).replay("GetLastError", idEdit(created.ID))
			withResponse(r)
			text, _ := r.ResponseText()
			Expect(strings.TrimSpace(text)).To(BeEmpty(), "a hook that never failed has no last error")
		})

		It("deletes the DeleteWebhook sample's id and answers an empty <DeleteWebhookResponse>", Clause("WH-WIRE-008", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			created := s.Create(s.Hook(s.Channel()))
			r := samplesOf(s, services88).replay("DeleteWebhook", idEdit(created.ID))
			emptyWrapper(r)
			Expect(Absent(s.REST.Get(ctx, created.ID))).To(BeTrue(), "webhook %d is gone", created.ID)
		})

		It("serves the Services87 SaveWebhook and SignalEvent samples at Remote/Services87/Webhook.svc in the Services87 namespace", Clause("WH-WIRE-009", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			ch := s.Channel()
			c := samplesOf(s, services87)
			name, event := s.Name(), s.Event("changed")
			r := c.replay("SaveWebhook", sampleHook(s, ch, name, event, false)...)
			withResponse(r)
			wh, err := r.Webhook()
			Expect(err).NotTo(HaveOccurred())
			Expect(wh).NotTo(BeNil())
			s.Own(wh.ID)
			Expect(wh.Name).To(Equal(name))
			Expect(s.Get(wh.ID).Events).To(Equal([]string{event}), "the Services87 save is the same store (§2.6)")
			after := ch.Last()
			emptyWrapper(c.replay("SignalEvent", sampleSignal(event)...))
			ch.AwaitDelivery(event, after, 1)
		})
	})
})
