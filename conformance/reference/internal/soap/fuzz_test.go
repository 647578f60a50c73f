package soap_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/hookcheck/hookcheck/conformance/reference"
	"github.com/hookcheck/hookcheck/conformance/reference/internal/reftest"
	"github.com/hookcheck/hookcheck/conformance/reference/internal/soap"
)

// soapFuzzSeeds are real envelopes (every operation, both versions, the
// documentation's header placement) plus a few hostile shapes.
func soapFuzzSeeds() []string {
	bodies := []string{
		`<w:CreateDefaultWebhook/>`,
		`<w:SaveWebhook><w:Webhook><w:WebhookId>0</w:WebhookId><w:Name>n</w:Name><w:Events><arr:string>contact.created</arr:string></w:Events>` +
			`<w:TargetUrl>https://example.com/h</w:TargetUrl><w:State>Active</w:State><w:Type>webhook</w:Type>` +
			`<w:Headers><w:StringKeyValuePair><w:Key>X</w:Key><w:Value>1</w:Value></w:StringKeyValuePair></w:Headers>` +
			`<w:Properties><w:StringObjectKeyValuePair><w:Key>p</w:Key><w:Value xsi:type="xsd:int">1</w:Value></w:StringObjectKeyValuePair></w:Properties>` +
			`<w:Registered>2023-09-19T01:24:38Z</w:Registered><w:RegisteredAssociate xsi:nil="true"/></w:Webhook></w:SaveWebhook>`,
		`<w:DeleteWebhook><w:WebhookId>1</w:WebhookId></w:DeleteWebhook>`,
		`<w:GetWebhook><w:WebhookId>1</w:WebhookId></w:GetWebhook>`,
		`<w:GetAllWebhooks><w:NameFilter>a</w:NameFilter><w:EventFilter xsi:nil="true"/><w:StatusFilter>Stopped</w:StatusFilter></w:GetAllWebhooks>`,
		`<w:TestWebhook><w:Webhook><w:TargetUrl>https://x</w:TargetUrl></w:Webhook></w:TestWebhook>`,
		`<w:SignalEvent><w:EventName>a.b</w:EventName><w:PrimaryKey>3</w:PrimaryKey><w:Data><w:StringObjectKeyValuePair><w:Key>k</w:Key>` +
			`<w:Value xsi:type="arr:ArrayOfstring"><arr:string>v</arr:string></w:Value></w:StringObjectKeyValuePair></w:Data></w:SignalEvent>`,
		`<w:GetLastError><w:WebhookId>1</w:WebhookId></w:GetLastError>`,
	}
	var seeds []string
	for _, b := range bodies {
		seeds = append(seeds,
			reftest.SOAPEnvelope(11, reftest.SOAPNS88, reftest.SOAPCredentials("app", reftest.SOAPTicket), b),
			reftest.SOAPEnvelope(12, reftest.SOAPNS87, "", b))
	}
	docsPlacement := `<SOAP-ENV:Envelope xmlns:SOAP-ENV="` + reftest.SOAPEnv12 + `" xmlns:Webhook="` + reftest.SOAPNS88 + `">` +
		`<Webhook:ApplicationToken>t</Webhook:ApplicationToken><Webhook:Credentials><Webhook:Ticket>7T:x</Webhook:Ticket></Webhook:Credentials>` +
		`<SOAP-ENV:Body><Webhook:GetWebhook><Webhook:WebhookId>0</Webhook:WebhookId></Webhook:GetWebhook></SOAP-ENV:Body></SOAP-ENV:Envelope>`
	return append(seeds,
		docsPlacement,
		`<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>`,
		"<s:Envelope xmlns:s=\""+reftest.SOAPEnv11+"\"><s:Body><a>\xff</a></s:Body></s:Envelope>",
		strings.Repeat("<x>", 100),
		"",
	)
}

// FuzzSOAPEnvelope feeds arbitrary bytes to the envelope parser, the
// argument readers and the endpoint itself, and checks that nothing panics
// and that what the endpoint writes is always well-formed.
func FuzzSOAPEnvelope(f *testing.F) {
	for _, s := range soapFuzzSeeds() {
		f.Add([]byte(s))
	}
	// The zero-credential Auth refuses every caller, so no request reaches
	// the (absent) core.
	handler := soap.NewSOAPHandlerForTest(nil, reference.Auth{}, reftest.SOAPNS88)
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := soap.ParseSOAPEnvelopeForTest(data)
		if err == nil {
			if v.Version != 11 && v.Version != 12 {
				t.Fatalf("parsed with version %d", v.Version)
			}
			if v.Operation == "" {
				t.Fatal("parsed without an operation")
			}
		}
		_ = soap.ReadSOAPOperationForTest(data)

		// Any text survives as a fault reason and parses back.
		if _, err := soap.ParseSOAPEnvelopeForTest(soap.EncodeSOAPFault(12, true, string(data))); err != nil {
			t.Fatalf("fault with this reason is not a readable envelope: %v", err)
		}

		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodPost, reftest.SOAPPath88, bytes.NewReader(data))
		req.Header.Set("Content-Type", "text/xml; charset=utf-8")
		handler.ServeHTTP(rec, req)
		root, err := reftest.ParseSOAP(rec.Body.Bytes())
		if err != nil {
			t.Fatalf("status %d answer is not well-formed: %v\n%s", rec.Code, err, rec.Body.Bytes())
		}
		switch rec.Code {
		case http.StatusOK:
			if root.Path("Header", "Succeeded") == nil {
				t.Fatalf("200 answer without Succeeded:\n%s", rec.Body.Bytes())
			}
		case http.StatusInternalServerError:
			fault := root.Path("Body", "Fault")
			code := fault.Child("faultcode")
			if code == nil {
				code = fault.Path("Code", "Value")
			}
			if code == nil || (code.Text != "s:Client" && code.Text != "s:Sender") {
				t.Fatalf("500 answer is not a Client fault (a recovered panic?):\n%s", rec.Body.Bytes())
			}
		default:
			t.Fatalf("unexpected status %d:\n%s", rec.Code, rec.Body.Bytes())
		}
	})
}
