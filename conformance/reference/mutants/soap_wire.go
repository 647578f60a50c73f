package mutants

import (
	"bytes"
	"net/http"
	"regexp"
	"strings"

	"github.com/hookcheck/hookcheck/conformance/reference/server"
)

// soapWireMutants are SOAP front ends that get the documented envelope
// wrong (spec §2.5, §9 #20): credentials read only inside Header (so the
// pages' samples are anonymous), the empty wrapper of the one-way
// operations left out, mustUnderstand ignored or refused on every block,
// SOAP 1.2 answered in SOAP 1.1, and Services87 answering in the
// Services88 namespace.
func soapWireMutants() []Mutant {
	return []Mutant{
		{
			Name:        "soap-credentials-only-in-header",
			Component:   "WithMiddleware(soap)",
			Description: "SOAP reads ApplicationToken and Credentials only inside <Header>, so the documented samples (which put them straight into <Envelope>) arrive without credentials",
			Clauses:     clauses("WH-WIRE-001", "WH-WIRE-002", "WH-WIRE-003", "WH-WIRE-004", "WH-WIRE-005", "WH-WIRE-006", "WH-WIRE-007", "WH-WIRE-008", "WH-WIRE-009"),
			Apply: withHandler(server.WithMiddleware(server.FrontSOAP, rewriteRequest(
				func(_ *http.Request, body []byte) bool { return !soapHeaderElement.Match(body) },
				func(body []byte) []byte { return soapOutsideCredentials.ReplaceAll(body, nil) }))),
		},
		{
			Name:        "soap-empty-wrapper-dropped",
			Component:   "WithMiddleware(soap)",
			Description: "SOAP SignalEvent and DeleteWebhook answer an empty <Body> instead of the empty <{Op}Response> the pages show",
			Clauses:     clauses("WH-WIRE-006", "WH-WIRE-008"),
			Apply: withHandler(server.WithMiddleware(server.FrontSOAP, rewriteAnswer(soapOp("SignalEvent", "DeleteWebhook"),
				func(_ []byte, status int, body []byte) (int, []byte) {
					return status, soapEmptyOneWay.ReplaceAll(body, nil)
				}))),
		},
		{
			Name:        "soap12-response-unwrapped",
			Component:   "WithMiddleware(soap)",
			Description: "SOAP 1.2 answers (the version of the documented samples) put <Response> straight into the Body, without the <{Op}Response> wrapper; one-way operations answer an empty Body",
			Clauses:     clauses("WH-WIRE-001", "WH-WIRE-002", "WH-WIRE-003", "WH-WIRE-004", "WH-WIRE-005", "WH-WIRE-006", "WH-WIRE-007", "WH-WIRE-008", "WH-WIRE-009", "WH-WIRE-012"),
			Apply: withHandler(server.WithMiddleware(server.FrontSOAP, rewriteAnswer(
				func(r *http.Request, _ []byte) bool {
					return strings.HasPrefix(r.Header.Get("Content-Type"), "application/soap+xml")
				},
				func(_ []byte, status int, body []byte) (int, []byte) {
					return status, soapEmptyWrapper.ReplaceAll(soapWrapper.ReplaceAll(body, nil), nil)
				}))),
		},
		{
			Name:        "soap-mustunderstand-ignored",
			Component:   "WithMiddleware(soap)",
			Description: "SOAP processes a call whatever header blocks carry mustUnderstand, instead of answering a MustUnderstand Fault for the ones it does not understand",
			Clauses:     clauses("WH-WIRE-010"),
			Apply: withHandler(server.WithMiddleware(server.FrontSOAP, rewriteRequest(
				func(_ *http.Request, body []byte) bool { return soapMustUnderstand.Match(body) },
				func(body []byte) []byte { return soapMustUnderstand.ReplaceAll(body, nil) }))),
		},
		{
			Name:        "soap-mustunderstand-refused",
			Component:   "WithMiddleware(soap)",
			Description: "SOAP answers a MustUnderstand Fault for every header block with mustUnderstand and for any WS-Addressing block, its own TimeZone and Credentials included",
			Clauses:     clauses("WH-WIRE-011"),
			Apply: withHandler(server.WithMiddleware(server.FrontSOAP, func(next http.Handler) http.Handler {
				return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					body := requestBody(r)
					if r.Method != http.MethodPost || !(soapMustUnderstand.Match(body) || bytes.Contains(body, []byte("http://www.w3.org/2005/08/addressing"))) {
						next.ServeHTTP(w, r)
						return
					}
					soap12 := strings.HasPrefix(r.Header.Get("Content-Type"), "application/soap+xml")
					writeMustUnderstandFault(w, soap12)
				})
			})),
		},
		{
			Name:        "soap12-answered-as-soap11",
			Component:   "WithMiddleware(soap)",
			Description: "SOAP answers a SOAP 1.2 request (application/soap+xml) with a SOAP 1.1 envelope as text/xml",
			Clauses:     clauses("WH-WIRE-012"),
			Apply: withHandler(server.WithMiddleware(server.FrontSOAP, func(next http.Handler) http.Handler {
				change := rewriteAnswer(func(r *http.Request, _ []byte) bool {
					return strings.HasPrefix(r.Header.Get("Content-Type"), "application/soap+xml")
				}, func(_ []byte, status int, body []byte) (int, []byte) {
					return status, bytes.ReplaceAll(body, []byte("http://www.w3.org/2003/05/soap-envelope"), []byte("http://schemas.xmlsoap.org/soap/envelope/"))
				})(next)
				return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					if strings.HasPrefix(r.Header.Get("Content-Type"), "application/soap+xml") {
						w = contentTypeOverride{ResponseWriter: w, contentType: "text/xml; charset=utf-8"}
					}
					change.ServeHTTP(w, r)
				})
			})),
		},
		{
			Name:        "soap87-answers-in-services88",
			Component:   "WithMiddleware(soap)",
			Description: "the Services87 endpoint answers in the Services88 namespace",
			Clauses:     clauses("WH-WIRE-009"),
			Apply: withHandler(server.WithMiddleware(server.FrontSOAP, rewriteAnswer(
				func(r *http.Request, _ []byte) bool {
					return strings.Contains(strings.ToLower(r.URL.Path), "/services87/")
				},
				func(_ []byte, status int, body []byte) (int, []byte) {
					return status, bytes.ReplaceAll(body, []byte("NetServer/Services87"), []byte("NetServer/Services88"))
				}))),
		},
	}
}

var (
	// soapHeaderElement finds a SOAP <Header> start tag.
	soapHeaderElement = regexp.MustCompile(`<(?:[\w.-]+:)?Header[\s>/]`)
	// soapOutsideCredentials finds the ApplicationToken and Credentials
	// elements of an envelope without a Header.
	soapOutsideCredentials = regexp.MustCompile(`(?s)<(?:[\w.-]+:)?(ApplicationToken|Credentials)[\s>].*?</(?:[\w.-]+:)?(?:ApplicationToken|Credentials)>`)
	// soapEmptyOneWay finds the empty wrapper of SignalEvent and DeleteWebhook.
	soapEmptyOneWay = regexp.MustCompile(`<(?:[\w.-]+:)?(?:SignalEvent|DeleteWebhook)Response(?:\s[^>]*)?/>`)
	// soapEmptyWrapper finds an empty {Op}Response element.
	soapEmptyWrapper = regexp.MustCompile(`<(?:[\w.-]+:)?\w+Response(?:\s[^>]*)?/>`)
	// soapMustUnderstand finds a mustUnderstand attribute set to true.
	soapMustUnderstand = regexp.MustCompile(`\s(?:[\w.-]+:)?mustUnderstand\s*=\s*["'](?:1|true)["']`)
)

// writeMustUnderstandFault answers a MustUnderstand Fault in SOAP 1.2 or 1.1.
func writeMustUnderstandFault(w http.ResponseWriter, soap12 bool) {
	var body string
	if soap12 {
		w.Header().Set("Content-Type", "application/soap+xml; charset=utf-8")
		body = `<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><s:Fault>` +
			`<s:Code><s:Value>s:MustUnderstand</s:Value></s:Code><s:Reason><s:Text xml:lang="en">header not understood</s:Text></s:Reason></s:Fault></s:Body></s:Envelope>`
	} else {
		w.Header().Set("Content-Type", "text/xml; charset=utf-8")
		body = `<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault>` +
			`<faultcode>s:MustUnderstand</faultcode><faultstring xml:lang="en">header not understood</faultstring></s:Fault></s:Body></s:Envelope>`
	}
	w.WriteHeader(http.StatusInternalServerError)
	_, _ = w.Write([]byte(body)) // a failed write means the client went away
}

// contentTypeOverride is a ResponseWriter whose answers carry contentType.
type contentTypeOverride struct {
	http.ResponseWriter
	contentType string
}

// WriteHeader implements http.ResponseWriter.
func (c contentTypeOverride) WriteHeader(status int) {
	c.ResponseWriter.Header().Set("Content-Type", c.contentType)
	c.ResponseWriter.WriteHeader(status)
}
