package soap_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/conformance/reference"
	"github.com/hookcheck/hookcheck/conformance/reference/internal/reftest"
	"github.com/hookcheck/hookcheck/conformance/reference/server"
)

// Helpers of the end-to-end SOAP tests: a reference service behind
// server.NewHandler, a target, and readers of the answers.

// soapTestTarget is a webhook target: it answers every call with its
// current status and records the X-SuperOffice-Event of each call.
type soapTestTarget struct {
	URL    string
	status atomic.Int32
	mu     sync.Mutex
	events []string
}

// newSOAPTestTarget starts a target answering 200; it stops with the spec.
func newSOAPTestTarget() *soapTestTarget {
	t := &soapTestTarget{}
	t.status.Store(http.StatusOK)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		t.mu.Lock()
		t.events = append(t.events, r.Header.Get("X-SuperOffice-Event"))
		t.mu.Unlock()
		status := int(t.status.Load())
		w.WriteHeader(status)
		if status != http.StatusOK {
			_, _ = io.WriteString(w, "target says no")
		}
	}))
	DeferCleanup(srv.Close)
	t.URL = srv.URL + "/hook"
	return t
}

// Events returns the events received so far.
func (t *soapTestTarget) Events() []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]string(nil), t.events...)
}

// soapTestEnv is a service behind the package handler, reached over HTTP.
type soapTestEnv struct {
	base   string
	target *soapTestTarget
}

// newSOAPTestEnv starts a service (plain-http targets allowed) behind
// NewHandler.
func newSOAPTestEnv(opts reference.Options) *soapTestEnv {
	GinkgoHelper()
	opts.AllowHTTP = true
	if opts.TimeScale == 0 {
		opts.TimeScale = 0.01
	}
	if opts.HTTPTimeout == 0 {
		opts.HTTPTimeout = 10 * time.Second
	}
	svc, err := reference.New(opts)
	Expect(err).NotTo(HaveOccurred())
	DeferCleanup(svc.Close)
	auth := reference.Auth{Ticket: reftest.SOAPTicket, User: "soap", Password: "pw"}
	srv := httptest.NewServer(server.NewHandler(svc, auth))
	DeferCleanup(srv.Close)
	return &soapTestEnv{base: srv.URL, target: newSOAPTestTarget()}
}

// call sends op with body in version to the Services88 endpoint with the
// ticket (and token, when not empty) in Header; it expects an HTTP 200.
func (e *soapTestEnv) call(ctx context.Context, version int, token, op, body string) *reftest.SOAPReply {
	GinkgoHelper()
	return e.callAt(ctx, reftest.SOAPPath88, reftest.SOAPNS88, version, token, op, body)
}

// callAt is call for any endpoint path and namespace.
func (e *soapTestEnv) callAt(ctx context.Context, path, ns string, version int, token, op, body string) *reftest.SOAPReply {
	GinkgoHelper()
	env := reftest.SOAPEnvelope(version, ns, reftest.SOAPCredentials(token, reftest.SOAPTicket), body)
	reply, err := reftest.SOAPPost(ctx, e.base+path, version, ns, op, env, nil)
	Expect(err).NotTo(HaveOccurred())
	Expect(reply.Status).To(Equal(http.StatusOK), string(reply.Raw))
	if version == 12 {
		Expect(reply.ContentType).To(HavePrefix("application/soap+xml"))
		Expect(reply.Root.Name.Space).To(Equal(reftest.SOAPEnv12))
	} else {
		Expect(reply.ContentType).To(HavePrefix("text/xml"))
		Expect(reply.Root.Name.Space).To(Equal(reftest.SOAPEnv11))
	}
	return reply
}

// ok asserts Succeeded=true with a nil ExceptionInfo.
func soapTestOK(reply *reftest.SOAPReply) {
	GinkgoHelper()
	Expect(reply.Succeeded()).To(Equal("true"), string(reply.Raw))
	Expect(reply.Exception().Nil()).To(BeTrue())
}

// soapTestFailed asserts Succeeded=false, the ExceptionType and an empty
// response element for op.
func soapTestFailed(reply *reftest.SOAPReply, op, exceptionType string) {
	GinkgoHelper()
	Expect(reply.Succeeded()).To(Equal("false"), string(reply.Raw))
	Expect(reply.Exception().Nil()).To(BeFalse())
	Expect(reply.Exception().Child("ExceptionType").Text).To(Equal(exceptionType), string(reply.Raw))
	Expect(reply.Exception().Child("Message").Text).NotTo(BeEmpty())
	Expect(reply.Body().Child(op + "Response")).NotTo(BeNil())
	Expect(reply.Body().Child(op + "Response").Children).To(BeEmpty())
}

// rest sends a REST request with the SoTicket scheme and decodes the JSON
// answer (numbers as json.Number).
func (e *soapTestEnv) rest(ctx context.Context, method, path, token string) (int, any) {
	GinkgoHelper()
	req, err := http.NewRequestWithContext(ctx, method, e.base+path, nil)
	Expect(err).NotTo(HaveOccurred())
	req.Header.Set("Authorization", "SoTicket "+reftest.SOAPTicket)
	if token != "" {
		req.Header.Set("SO-AppToken", token)
	}
	resp, err := http.DefaultClient.Do(req)
	Expect(err).NotTo(HaveOccurred())
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	Expect(err).NotTo(HaveOccurred())
	if len(bytes.TrimSpace(data)) == 0 {
		return resp.StatusCode, nil
	}
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	var v any
	Expect(d.Decode(&v)).To(Succeed(), string(data))
	return resp.StatusCode, v
}

// soapTestHookBody is a SaveWebhook/TestWebhook Webhook element.
func soapTestHookBody(id, name, url, state string, events ...string) string {
	var b strings.Builder
	b.WriteString("<w:Webhook><w:WebhookId>" + id + "</w:WebhookId><w:Name>" + name + "</w:Name><w:Events>")
	for _, ev := range events {
		b.WriteString("<arr:string>" + ev + "</arr:string>")
	}
	b.WriteString("</w:Events><w:TargetUrl>" + url + "</w:TargetUrl><w:Secret xsi:nil=\"true\"/>")
	b.WriteString("<w:State>" + state + "</w:State><w:Type>webhook</w:Type>")
	b.WriteString("<w:Headers><w:StringKeyValuePair><w:Key>X-Tenant</w:Key><w:Value>t1</w:Value></w:StringKeyValuePair></w:Headers>")
	b.WriteString(`<w:Properties><w:StringObjectKeyValuePair><w:Key>count</w:Key><w:Value xsi:type="xsd:int">7</w:Value></w:StringObjectKeyValuePair>`)
	b.WriteString(`<w:StringObjectKeyValuePair><w:Key>flag</w:Key><w:Value xsi:type="xsd:boolean">true</w:Value></w:StringObjectKeyValuePair>`)
	b.WriteString(`<w:StringObjectKeyValuePair><w:Key>label</w:Key><w:Value xsi:type="xsd:string">L</w:Value></w:StringObjectKeyValuePair></w:Properties>`)
	b.WriteString("</w:Webhook>")
	return b.String()
}

// soapTestNumberFields and soapTestBoolFields type the record fields when a
// SOAP answer is turned into the JSON shape for comparison.
var (
	soapTestNumberFields = map[string]bool{"WebhookId": true, "AssociateId": true, "PersonId": true, "Rank": true, "GroupIdx": true, "EjUserId": true}
	soapTestBoolFields   = map[string]bool{"Deleted": true, "Success": true}
)

// soapTestPlain turns a SOAP record (Webhook, Associate, WebhookResult) into
// the value REST returns for it in JSON, so the two can be compared.
func soapTestPlain(n *reftest.SOAPNode) any {
	if n == nil || n.Nil() {
		return nil
	}
	out := map[string]any{}
	for _, c := range n.Children {
		name := c.Name.Local
		switch {
		case c.Nil():
			out[name] = nil
		case soapTestNumberFields[name]:
			out[name] = json.Number(c.Text)
		case soapTestBoolFields[name]:
			out[name] = c.Text == "true"
		case name == "Events":
			items := []any{}
			for _, s := range c.Children {
				items = append(items, s.Text)
			}
			out[name] = items
		case name == "Headers" || name == "ExtraFields" || name == "CustomFields":
			m := map[string]any{}
			for _, p := range c.Children {
				m[p.Child("Key").Text] = p.Child("Value").Text
			}
			out[name] = m
		case name == "Properties":
			m := map[string]any{}
			for _, p := range c.Children {
				v := p.Child("Value")
				switch t := v.AttrValue(reftest.XSI, "type"); {
				case v.Nil():
					m[p.Child("Key").Text] = nil
				case t == "xs:int" || t == "xs:long" || t == "xs:double":
					m[p.Child("Key").Text] = json.Number(v.Text)
				case t == "xs:boolean":
					m[p.Child("Key").Text] = v.Text == "true"
				default:
					m[p.Child("Key").Text] = v.Text
				}
			}
			out[name] = m
		case name == "RegisteredAssociate" || name == "UpdatedAssociate":
			out[name] = soapTestPlain(c)
		default:
			out[name] = c.Text
		}
	}
	return out
}

// soapTestWithoutLinks drops REST's _Links from a single-item answer.
func soapTestWithoutLinks(v any) any {
	if m, ok := v.(map[string]any); ok {
		delete(m, "_Links")
	}
	return v
}
