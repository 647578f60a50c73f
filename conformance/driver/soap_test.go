package driver_test

import (
	"context"
	"encoding/xml"
	"errors"
	"net/http"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/conformance/driver"
)

const (
	ns88   = "http://www.superoffice.net/ws/crm/NetServer/Services88"
	soap11 = "http://schemas.xmlsoap.org/soap/envelope/"
)

// soapAnswer wraps a response element of operation op in a SOAP 1.1
// envelope with a Succeeded header.
func soapAnswer(op, inner string) string {
	return `<s:Envelope xmlns:s="` + soap11 + `"><s:Header><Succeeded xmlns="` + ns88 + `">true</Succeeded></s:Header>` +
		`<s:Body><` + op + `Response xmlns="` + ns88 + `" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` + inner + `</` + op + `Response></s:Body></s:Envelope>`
}

// sampleXML is a Webhook as SOAP sends it.
const sampleXML = `<WebhookId>12</WebhookId><Name>hook &amp; co</Name>` +
	`<Events xmlns:a="http://schemas.microsoft.com/2003/10/Serialization/Arrays"><a:string>contact.created</a:string><a:string>sale.sold</a:string></Events>` +
	`<TargetUrl>https://t/x</TargetUrl><Secret xsi:nil="true"/><State>Active</State><Type>webhook</Type>` +
	`<Headers><StringKeyValuePair><Key>X-A</Key><Value>1</Value></StringKeyValuePair></Headers>` +
	`<Properties><StringObjectKeyValuePair><Key>n</Key><Value xsi:type="xsd:int" xmlns:xsd="http://www.w3.org/2001/XMLSchema">3</Value></StringObjectKeyValuePair>` +
	`<StringObjectKeyValuePair><Key>b</Key><Value xsi:type="xsd:boolean" xmlns:xsd="http://www.w3.org/2001/XMLSchema">true</Value></StringObjectKeyValuePair>` +
	`<StringObjectKeyValuePair><Key>s</Key><Value xsi:type="xsd:string" xmlns:xsd="http://www.w3.org/2001/XMLSchema">v</Value></StringObjectKeyValuePair></Properties>` +
	`<Registered>2025-05-14T14:11:02.4593434Z</Registered><RegisteredAssociate><AssociateId>5</AssociateId><Name>SAL</Name></RegisteredAssociate>` +
	`<Updated>0001-01-01T00:00:00</Updated><ErrorsEmail>ops@example.com</ErrorsEmail>`

var _ = Describe("SOAP driver", func() {
	var (
		f   *fake
		d   *driver.SOAPDriver
		ctx = context.Background()
	)
	BeforeEach(func() {
		f = newFake()
		f.contentType = "text/xml; charset=utf-8"
		var err error
		d, err = driver.NewSOAP(driver.Config{BaseURL: f.srv.URL + "/Cust1", Auth: driver.Auth{Scheme: "soticket", Token: "7T:t"}, AppToken: "app"})
		Expect(err).NotTo(HaveOccurred())
	})

	It("posts a SOAP 1.1 envelope with SOAPAction, ticket and app token", func() {
		f.answer(200, soapAnswer("GetWebhook", `<Response>`+sampleXML+`</Response>`))
		_, err := d.Get(ctx, 12)
		Expect(err).NotTo(HaveOccurred())
		r := f.last()
		Expect(r.Method).To(Equal(http.MethodPost))
		Expect(r.Path).To(Equal("/Cust1/Remote/Services88/Webhook.svc"))
		Expect(r.Header.Get("Content-Type")).To(Equal("text/xml; charset=utf-8"))
		Expect(r.Header.Get("SOAPAction")).To(Equal(`"` + ns88 + `/Webhook/GetWebhook"`))
		Expect(r.Header.Get("Authorization")).To(BeEmpty(), "the ticket travels in the SOAP header")
		var env struct {
			XMLName xml.Name
			Header  struct {
				Token  string `xml:"http://www.superoffice.net/ws/crm/NetServer/Services88 ApplicationToken"`
				Ticket string `xml:"http://www.superoffice.net/ws/crm/NetServer/Services88 Credentials>Ticket"`
			} `xml:"http://schemas.xmlsoap.org/soap/envelope/ Header"`
			Body struct {
				Op struct {
					XMLName xml.Name
					ID      int `xml:"http://www.superoffice.net/ws/crm/NetServer/Services88 WebhookId"`
				} `xml:",any"`
			} `xml:"http://schemas.xmlsoap.org/soap/envelope/ Body"`
		}
		Expect(xml.Unmarshal([]byte(r.Body), &env)).To(Succeed())
		Expect(env.XMLName).To(Equal(xml.Name{Space: soap11, Local: "Envelope"}))
		Expect(env.Header.Token).To(Equal("app"))
		Expect(env.Header.Ticket).To(Equal("7T:t"))
		Expect(env.Body.Op.XMLName).To(Equal(xml.Name{Space: ns88, Local: "GetWebhook"}))
		Expect(env.Body.Op.ID).To(Equal(12))
	})

	It("speaks SOAP 1.2 when asked", func() {
		d12, err := driver.NewSOAP(driver.Config{BaseURL: f.srv.URL, SOAPVersion: driver.SOAP12, Auth: driver.Auth{Scheme: "basic", User: "u", Password: "p"}})
		Expect(err).NotTo(HaveOccurred())
		f.answer(200, soapAnswer("CreateDefaultWebhook", `<Response>`+sampleXML+`</Response>`))
		_, err = d12.Default(ctx)
		Expect(err).NotTo(HaveOccurred())
		r := f.last()
		Expect(r.Header.Get("Content-Type")).To(Equal(`application/soap+xml; charset=utf-8; action="` + ns88 + `/Webhook/CreateDefaultWebhook"`))
		Expect(r.Header.Get("SOAPAction")).To(BeEmpty())
		Expect(r.Header.Get("Authorization")).To(HavePrefix("Basic "), "without a ticket the HTTP credentials are sent")
		Expect(r.Body).To(ContainSubstring(`xmlns:s="http://www.w3.org/2003/05/soap-envelope"`))
	})

	It("decodes every field of a Webhook", func() {
		f.answer(200, soapAnswer("GetWebhook", `<Response>`+sampleXML+`</Response>`))
		wh, err := d.Get(ctx, 12)
		Expect(err).NotTo(HaveOccurred())
		Expect(wh.ID).To(Equal(int32(12)))
		Expect(wh.Name).To(Equal("hook & co"))
		Expect(wh.Events).To(Equal([]string{"contact.created", "sale.sold"}))
		Expect(wh.IsNull(driver.FieldSecret)).To(BeTrue())
		Expect(wh.IsNull(driver.FieldUpdatedAssociate)).To(BeTrue(), "an absent element counts as nil")
		Expect(wh.Headers).To(Equal(map[string]string{"X-A": "1"}))
		Expect(wh.Properties).To(Equal(map[string]any{"n": float64(3), "b": true, "s": "v"}))
		Expect(wh.RegisteredAssociate).To(Equal(&driver.Associate{AssociateID: 5, Name: "SAL"}))
		Expect(wh.Registered.Year()).To(Equal(2025))
		Expect(wh.Updated.IsZero()).To(BeTrue())
		Expect(wh.Raw).To(ContainSubstring("<WebhookId>12</WebhookId>"))
	})

	It("answers nil for a nil Response", func() {
		f.answer(200, soapAnswer("GetWebhook", `<Response xsi:nil="true"/>`))
		wh, err := d.Get(ctx, 99)
		Expect(err).NotTo(HaveOccurred())
		Expect(wh).To(BeNil())
	})

	It("refuses an answer without the {Op}Response wrapper", func() {
		bare := `<s:Envelope xmlns:s="` + soap11 + `"><s:Header><Succeeded xmlns="` + ns88 + `">true</Succeeded></s:Header>` +
			`<s:Body><Response xmlns="` + ns88 + `">` + sampleXML + `</Response></s:Body></s:Envelope>`
		f.answer(200, bare)
		_, err := d.Get(ctx, 12)
		Expect(err).To(MatchError(ContainSubstring("<GetWebhookResponse> wrapper")))
		f.answer(200, soapAnswer("SaveWebhook", `<Response>`+sampleXML+`</Response>`))
		_, err = d.Get(ctx, 12)
		Expect(err).To(MatchError(ContainSubstring("holds <SaveWebhookResponse>")), "another operation's wrapper is refused too")
	})

	It("writes the Webhook in WSDL order with typed dictionary values", func() {
		f.answer(200, soapAnswer("SaveWebhook", `<Response>`+sampleXML+`</Response>`))
		_, err := d.Create(ctx, driver.Webhook{ID: 9, Name: "n", Events: []string{"a.b"}, TargetURL: "https://t", State: "Active", Type: "webhook",
			Headers: map[string]string{"X-A": "1"}, Properties: map[string]any{"i": float64(2), "s": "x", "f": 1.5}, ErrorsEmail: "e@x"})
		Expect(err).NotTo(HaveOccurred())
		body := f.last().Body
		Expect(f.last().Header.Get("SOAPAction")).To(HaveSuffix(`/Webhook/SaveWebhook"`))
		order := []string{"<wh:WebhookId>0<", "<wh:Name>", "<wh:Events><arr:string>a.b</arr:string>", "<wh:TargetUrl>", "<wh:State>Active<", "<wh:Type>", "<wh:Headers><wh:StringKeyValuePair><wh:Key>X-A<", "<wh:Properties>", "<wh:ErrorsEmail>"}
		pos := -1
		for _, o := range order {
			i := strings.Index(body, o)
			Expect(i).To(BeNumerically(">", pos), "%s after the previous element in %s", o, body)
			pos = i
		}
		Expect(body).To(ContainSubstring(`<wh:Key>i</wh:Key><wh:Value xsi:type="xsd:int">2</wh:Value>`))
		Expect(body).To(ContainSubstring(`<wh:Key>f</wh:Key><wh:Value xsi:type="xsd:double">1.5</wh:Value>`))
		Expect(body).To(ContainSubstring(`<wh:Key>s</wh:Key><wh:Value xsi:type="xsd:string">x</wh:Value>`))
		Expect(body).NotTo(ContainSubstring("<wh:Secret>"), "empty fields are left out")
	})

	It("lists, signals, tests and reads the last error", func() {
		f.answer(200, soapAnswer("GetAllWebhooks", `<Response><Webhook>`+sampleXML+`</Webhook><Webhook>`+sampleXML+`</Webhook></Response>`))
		list, err := d.List(ctx, driver.Filter{Event: "a.b"})
		Expect(err).NotTo(HaveOccurred())
		Expect(list).To(HaveLen(2))
		Expect(f.last().Body).To(ContainSubstring("<wh:EventFilter>a.b</wh:EventFilter><wh:StatusFilter>Unknown</wh:StatusFilter>"))
		f.answer(200, soapAnswer("SignalEvent", ``))
		Expect(d.Signal(ctx, "a.b", 4, map[string]any{"k": "v"})).To(Succeed())
		Expect(f.last().Body).To(ContainSubstring("<wh:EventName>a.b</wh:EventName><wh:PrimaryKey>4</wh:PrimaryKey><wh:Data>"))
		f.answer(200, soapAnswer("TestWebhook", `<Response><Success>true</Success><Message>ok</Message></Response>`))
		res, err := d.Test(ctx, driver.Webhook{Name: "x"})
		Expect(err).NotTo(HaveOccurred())
		Expect(res).To(Equal(&driver.TestResult{Success: true, Message: "ok"}))
		f.answer(200, soapAnswer("GetLastError", `<Response>HTTP 500 &lt;boom&gt;</Response>`))
		Expect(d.LastError(ctx, 4)).To(Equal("HTTP 500 <boom>"))
	})

	It("reports ExceptionInfo as an *Error", func() {
		f.answer(200, `<s:Envelope xmlns:s="`+soap11+`"><s:Header><ExceptionInfo xmlns="`+ns88+`"><Message>Webhook 9 not found</Message>`+
			`<ExceptionType>SoNotFoundException</ExceptionType></ExceptionInfo><Succeeded xmlns="`+ns88+`">false</Succeeded></s:Header>`+
			`<s:Body><GetWebhookResponse xmlns="`+ns88+`"/></s:Body></s:Envelope>`)
		_, err := d.Get(ctx, 9)
		de, ok := driver.AsError(err)
		Expect(ok).To(BeTrue(), "%v", err)
		Expect(de.Style).To(Equal(driver.SOAP))
		Expect(de.Fault).To(BeFalse())
		Expect(de.ErrorType).To(Equal("SoNotFoundException"))
		Expect(de.Message).To(Equal("Webhook 9 not found"))
	})

	It("reports Succeeded false without ExceptionInfo as an *Error", func() {
		f.answer(200, `<s:Envelope xmlns:s="`+soap11+`"><s:Header><Succeeded xmlns="`+ns88+`">false</Succeeded></s:Header><s:Body/></s:Envelope>`)
		_, ok := driver.AsError(d.Delete(ctx, 1))
		Expect(ok).To(BeTrue())
	})

	It("reports SOAP 1.1 and 1.2 Faults as an *Error", func() {
		f.answer(500, `<s:Envelope xmlns:s="`+soap11+`"><s:Body><s:Fault><faultcode>s:Client</faultcode><faultstring>bad ticket</faultstring></s:Fault></s:Body></s:Envelope>`)
		_, err := d.Default(ctx)
		de, ok := driver.AsError(err)
		Expect(ok).To(BeTrue())
		Expect(de.Fault).To(BeTrue())
		Expect(de.Status).To(Equal(500))
		Expect(de.ErrorType).To(Equal("s:Client"))
		Expect(de.Message).To(Equal("bad ticket"))
		f.answer(500, `<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope"><e:Body><e:Fault><e:Code><e:Value>e:Sender</e:Value></e:Code>`+
			`<e:Reason><e:Text xml:lang="en">denied</e:Text></e:Reason></e:Fault></e:Body></e:Envelope>`)
		_, err = d.Default(ctx)
		de, _ = driver.AsError(err)
		Expect(de.ErrorType).To(Equal("e:Sender"))
		Expect(de.Message).To(Equal("denied"))
	})

	It("reports a non-SOAP error answer with its status", func() {
		f.contentType = "text/html"
		f.answer(401, `<html>login</html>`)
		_, err := d.Default(ctx)
		Expect(driver.StatusOf(err)).To(Equal(401))
		f.answer(200, `not xml at all`)
		_, err = d.Default(ctx)
		Expect(err).To(HaveOccurred())
		_, ok := driver.AsError(err)
		Expect(ok).To(BeFalse())
	})

	It("has neither PATCH nor $select", func() {
		_, err := d.Patch(ctx, 1, driver.Patch{})
		Expect(errors.Is(err, driver.ErrUnsupported)).To(BeTrue())
		_, err = d.Get(ctx, 1, driver.Select("Name"))
		Expect(errors.Is(err, driver.ErrUnsupported)).To(BeTrue())
	})
})

var _ = Describe("ParseTime", func() {
	DescribeTable("reads .NET date-times",
		func(in string, ok bool) {
			_, err := driver.ParseTime(in)
			Expect(err == nil).To(Equal(ok))
		},
		Entry("UTC with 7 digits", "2018-07-05T11:58:18.5809908Z", true),
		Entry("an offset", "2025-05-14T16:11:02.4593434+02:00", true),
		Entry("no zone", "0001-01-01T00:00:00", true),
		Entry("garbage", "yesterday", false),
	)
})
