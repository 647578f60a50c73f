package reference_test

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
)

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
	auth := reference.Auth{Ticket: soapTestTick, User: "soap", Password: "pw"}
	srv := httptest.NewServer(reference.NewHandler(svc, auth))
	DeferCleanup(srv.Close)
	return &soapTestEnv{base: srv.URL, target: newSOAPTestTarget()}
}

// call sends op with body in version to the Services88 endpoint with the
// ticket (and token, when not empty) in Header; it expects an HTTP 200.
func (e *soapTestEnv) call(ctx context.Context, version int, token, op, body string) *soapTestReply {
	GinkgoHelper()
	return e.callAt(ctx, soapTestPath, soapTestNS88, version, token, op, body)
}

// callAt is call for any endpoint path and namespace.
func (e *soapTestEnv) callAt(ctx context.Context, path, ns string, version int, token, op, body string) *soapTestReply {
	GinkgoHelper()
	env := soapTestEnvelope(version, ns, soapTestCredentials(token, soapTestTick), body)
	reply, err := soapTestPost(ctx, e.base+path, version, ns, op, env, nil)
	Expect(err).NotTo(HaveOccurred())
	Expect(reply.Status).To(Equal(http.StatusOK), string(reply.Raw))
	if version == 12 {
		Expect(reply.ContentType).To(HavePrefix("application/soap+xml"))
		Expect(reply.Root.Name.Space).To(Equal(soapTestEnv12))
	} else {
		Expect(reply.ContentType).To(HavePrefix("text/xml"))
		Expect(reply.Root.Name.Space).To(Equal(soapTestEnv11))
	}
	return reply
}

// ok asserts Succeeded=true with a nil ExceptionInfo.
func soapTestOK(reply *soapTestReply) {
	GinkgoHelper()
	Expect(reply.Succeeded()).To(Equal("true"), string(reply.Raw))
	Expect(reply.Exception().Nil()).To(BeTrue())
}

// soapTestFailed asserts Succeeded=false, the ExceptionType and an empty
// response element for op.
func soapTestFailed(reply *soapTestReply, op, exceptionType string) {
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
	req.Header.Set("Authorization", "SoTicket "+soapTestTick)
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
func soapTestPlain(n *soapTestNode) any {
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
				switch t := v.AttrValue(soapTestXSI, "type"); {
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

var _ = Describe("SOAP front end over the core", func() {
	var e *soapTestEnv

	BeforeEach(func() {
		e = newSOAPTestEnv(reference.Options{})
	})

	// create saves a new hook through SOAP and returns its Response.
	create := func(ctx context.Context, token, name string, events ...string) *soapTestNode {
		GinkgoHelper()
		reply := e.call(ctx, 11, token, "SaveWebhook",
			"<w:SaveWebhook>"+soapTestHookBody("0", name, e.target.URL, "Active", events...)+"</w:SaveWebhook>")
		soapTestOK(reply)
		resp := reply.Response("SaveWebhook")
		Expect(resp.Child("WebhookId").Text).NotTo(Equal("0"))
		return resp
	}

	DescribeTable("CreateDefaultWebhook returns the documented defaults (spec §1.2), as REST does",
		func(ctx SpecContext, version int) {
			reply := e.call(ctx, version, "", "CreateDefaultWebhook", `<w:CreateDefaultWebhook/>`)
			soapTestOK(reply)
			resp := reply.Response("CreateDefaultWebhook")
			Expect(resp.Names()).To(Equal(soapTestWebhookFields))
			Expect(resp.Child("State").Text).To(Equal("Active"))
			Expect(resp.Child("Type").Text).To(Equal("webhook"))
			Expect(resp.Child("Name").Nil()).To(BeTrue())
			Expect(resp.Child("Registered").Text).To(Equal("0001-01-01T00:00:00"))
			status, rest := e.rest(ctx, http.MethodGet, "/api/v1/Webhook/default", "")
			Expect(status).To(Equal(http.StatusOK))
			Expect(soapTestPlain(resp)).To(Equal(soapTestWithoutLinks(rest)))
		},
		Entry("SOAP 1.1", 11),
		Entry("SOAP 1.2", 12),
	)

	DescribeTable("SaveWebhook creates a hook that REST returns identically",
		func(ctx SpecContext, version int) {
			reply := e.call(ctx, version, "", "SaveWebhook",
				"<w:SaveWebhook>"+soapTestHookBody("0", "soap hook", e.target.URL, "Active", "contact.created", "sale.changed")+"</w:SaveWebhook>")
			soapTestOK(reply)
			resp := reply.Response("SaveWebhook")
			Expect(resp.Names()).To(Equal(soapTestWebhookFields))
			id := resp.Child("WebhookId").Text
			Expect(id).NotTo(Equal("0"))
			Expect(resp.Child("Registered").Text).NotTo(Equal("0001-01-01T00:00:00"))
			Expect(resp.Child("RegisteredAssociate").Child("AssociateId").Text).To(Equal("5"))
			Expect(e.target.Events()).To(ContainElement("test")) // the save-time URL check (spec §3)

			status, rest := e.rest(ctx, http.MethodGet, "/api/v1/Webhook/"+id, "")
			Expect(status).To(Equal(http.StatusOK))
			Expect(soapTestPlain(resp)).To(Equal(soapTestWithoutLinks(rest)))

			got := e.call(ctx, version, "", "GetWebhook", `<w:GetWebhook><w:WebhookId>`+id+`</w:WebhookId></w:GetWebhook>`)
			soapTestOK(got)
			Expect(soapTestPlain(got.Response("GetWebhook"))).To(Equal(soapTestPlain(resp)))
		},
		Entry("SOAP 1.1", 11),
		Entry("SOAP 1.2", 12),
	)

	It("SaveWebhook with an id updates the hook", func(ctx SpecContext) {
		id := create(ctx, "", "before", "contact.created").Child("WebhookId").Text
		reply := e.call(ctx, 12, "", "SaveWebhook",
			"<w:SaveWebhook>"+soapTestHookBody(id, "after", e.target.URL, "Stopped", "person.created")+"</w:SaveWebhook>")
		soapTestOK(reply)
		resp := reply.Response("SaveWebhook")
		Expect(resp.Child("WebhookId").Text).To(Equal(id))
		Expect(resp.Child("Name").Text).To(Equal("after"))
		Expect(resp.Child("State").Text).To(Equal("Stopped"))
		Expect(resp.Child("UpdatedAssociate").Nil()).To(BeFalse())
		_, rest := e.rest(ctx, http.MethodGet, "/api/v1/Webhook/"+id, "")
		Expect(soapTestPlain(resp)).To(Equal(soapTestWithoutLinks(rest)))
	})

	It("SaveWebhook reports a failed URL check through ExceptionInfo and stores nothing", func(ctx SpecContext) {
		e.target.status.Store(http.StatusInternalServerError)
		reply := e.call(ctx, 11, "", "SaveWebhook",
			"<w:SaveWebhook>"+soapTestHookBody("0", "bad", e.target.URL, "Active", "contact.created")+"</w:SaveWebhook>")
		soapTestFailed(reply, "SaveWebhook", "WebhookVerificationException")
		list := e.call(ctx, 11, "", "GetAllWebhooks", `<w:GetAllWebhooks/>`)
		soapTestOK(list)
		Expect(list.Response("GetAllWebhooks").Children).To(BeEmpty())
	})

	It("SaveWebhook without a Webhook reports ExceptionInfo", func(ctx SpecContext) {
		soapTestFailed(e.call(ctx, 11, "", "SaveWebhook", `<w:SaveWebhook/>`), "SaveWebhook", "ArgumentException")
	})

	It("GetWebhook of a missing id answers a nil Response (spec §9 #18)", func(ctx SpecContext) {
		reply := e.call(ctx, 11, "", "GetWebhook", `<w:GetWebhook><w:WebhookId>999</w:WebhookId></w:GetWebhook>`)
		soapTestOK(reply)
		Expect(reply.Response("GetWebhook")).NotTo(BeNil())
		Expect(reply.Response("GetWebhook").Nil()).To(BeTrue())
	})

	It("GetAllWebhooks filters like REST", func(ctx SpecContext) {
		create(ctx, "", "alpha", "contact.created")
		beta := create(ctx, "", "beta", "sale.changed").Child("WebhookId").Text
		e.call(ctx, 11, "", "SaveWebhook",
			"<w:SaveWebhook>"+soapTestHookBody(beta, "beta", e.target.URL, "Stopped", "sale.changed")+"</w:SaveWebhook>")

		cases := []struct{ soap, query string }{
			{``, ``},
			{`<w:NameFilter>ALPHA</w:NameFilter>`, `?nameFilter=ALPHA`},
			{`<w:EventFilter>sale.changed</w:EventFilter>`, `?eventFilter=sale.changed`},
			{`<w:StatusFilter>Stopped</w:StatusFilter>`, `?statusFilter=Stopped`},
			{`<w:StatusFilter>Active</w:StatusFilter>`, `?statusFilter=Active`},
		}
		sizes := []int{}
		for _, c := range cases {
			reply := e.call(ctx, 12, "", "GetAllWebhooks", `<w:GetAllWebhooks>`+c.soap+`</w:GetAllWebhooks>`)
			soapTestOK(reply)
			items := []any{}
			for _, wh := range reply.Response("GetAllWebhooks").Children {
				Expect(wh.Name.Local).To(Equal("Webhook"))
				items = append(items, soapTestPlain(wh))
			}
			status, rest := e.rest(ctx, http.MethodGet, "/api/v1/Webhook"+c.query, "")
			Expect(status).To(Equal(http.StatusOK))
			Expect(items).To(Equal(rest), c.query)
			sizes = append(sizes, len(items))
		}
		Expect(sizes).To(Equal([]int{2, 1, 1, 1, 1}))
	})

	It("TestWebhook pings the target, reports the result and stores nothing", func(ctx SpecContext) {
		reply := e.call(ctx, 11, "", "TestWebhook",
			"<w:TestWebhook>"+soapTestHookBody("0", "probe", e.target.URL, "Active", "contact.created")+"</w:TestWebhook>")
		soapTestOK(reply)
		res := reply.Response("TestWebhook")
		Expect(res.Names()).To(Equal([]string{"TableRight", "FieldProperties", "Success", "Message"}))
		Expect(res.Child("Success").Text).To(Equal("true"))
		Expect(e.target.Events()).To(Equal([]string{"test"}))

		e.target.status.Store(http.StatusBadGateway)
		reply = e.call(ctx, 12, "", "TestWebhook",
			"<w:TestWebhook>"+soapTestHookBody("0", "probe", e.target.URL, "Active", "contact.created")+"</w:TestWebhook>")
		soapTestOK(reply)
		Expect(reply.Response("TestWebhook").Child("Success").Text).To(Equal("false"))
		Expect(reply.Response("TestWebhook").Child("Message").Text).To(ContainSubstring("target says no"))

		list := e.call(ctx, 11, "", "GetAllWebhooks", `<w:GetAllWebhooks/>`)
		Expect(list.Response("GetAllWebhooks").Children).To(BeEmpty())
	})

	It("SignalEvent delivers to subscribed hooks and answers an empty response", func(ctx SpecContext) {
		create(ctx, "", "listener", "window.closed")
		reply := e.call(ctx, 12, "", "SignalEvent", `<w:SignalEvent><w:EventName>window.closed</w:EventName><w:PrimaryKey>12</w:PrimaryKey>`+
			`<w:Data><w:StringObjectKeyValuePair><w:Key>size</w:Key><w:Value xsi:type="xsd:int">3</w:Value></w:StringObjectKeyValuePair></w:Data></w:SignalEvent>`)
		soapTestOK(reply)
		Expect(reply.Body().Child("SignalEventResponse").Children).To(BeEmpty())
		Eventually(e.target.Events).WithContext(ctx).Should(ContainElement("window.closed"))
	})

	It("GetLastError answers \"\" without errors, the error text after one, and nil for an unknown id", func(ctx SpecContext) {
		id := create(ctx, "", "flaky", "window.closed").Child("WebhookId").Text
		lastError := func() *soapTestNode {
			reply := e.call(ctx, 11, "", "GetLastError", `<w:GetLastError><w:WebhookId>`+id+`</w:WebhookId></w:GetLastError>`)
			soapTestOK(reply)
			return reply.Response("GetLastError")
		}
		first := lastError()
		Expect(first.Nil()).To(BeFalse())
		Expect(first.Text).To(BeEmpty())

		e.target.status.Store(http.StatusInternalServerError)
		soapTestOK(e.call(ctx, 11, "", "SignalEvent", `<w:SignalEvent><w:EventName>window.closed</w:EventName><w:PrimaryKey>1</w:PrimaryKey></w:SignalEvent>`))
		Eventually(func() string { return lastError().Text }).WithContext(ctx).Should(ContainSubstring("target says no"))
		_, rest := e.rest(ctx, http.MethodGet, "/api/v1/Webhook/"+id+"/LastError", "")
		Expect(lastError().Text).To(Equal(rest))

		unknown := e.call(ctx, 12, "", "GetLastError", `<w:GetLastError><w:WebhookId>4242</w:WebhookId></w:GetLastError>`)
		soapTestOK(unknown)
		Expect(unknown.Response("GetLastError").Nil()).To(BeTrue())
	})

	It("DeleteWebhook removes the hook; deleting it again reports SoNotFoundException", func(ctx SpecContext) {
		id := create(ctx, "", "doomed", "contact.created").Child("WebhookId").Text
		reply := e.call(ctx, 11, "", "DeleteWebhook", `<w:DeleteWebhook><w:WebhookId>`+id+`</w:WebhookId></w:DeleteWebhook>`)
		soapTestOK(reply)
		Expect(reply.Body().Child("DeleteWebhookResponse").Children).To(BeEmpty())
		Expect(e.call(ctx, 11, "", "GetWebhook", `<w:GetWebhook><w:WebhookId>`+id+`</w:WebhookId></w:GetWebhook>`).
			Response("GetWebhook").Nil()).To(BeTrue())
		status, _ := e.rest(ctx, http.MethodGet, "/api/v1/Webhook/"+id, "")
		Expect(status).To(Equal(http.StatusNotFound))
		again := e.call(ctx, 12, "", "DeleteWebhook", `<w:DeleteWebhook><w:WebhookId>`+id+`</w:WebhookId></w:DeleteWebhook>`)
		soapTestFailed(again, "DeleteWebhook", "SoNotFoundException")
	})

	It("serves Services87 identically apart from the namespace", func(ctx SpecContext) {
		id := create(ctx, "", "shared", "contact.created").Child("WebhookId").Text
		reply := e.callAt(ctx, soapTestPath7, soapTestNS87, 11, "", "GetWebhook",
			`<w:GetWebhook><w:WebhookId>`+id+`</w:WebhookId></w:GetWebhook>`)
		soapTestOK(reply)
		resp := reply.Response("GetWebhook")
		Expect(resp.Name.Space).To(Equal(soapTestNS87))
		Expect(reply.Root.Path("Header", "Succeeded").Name.Space).To(Equal(soapTestNS87))
		got88 := e.call(ctx, 11, "", "GetWebhook", `<w:GetWebhook><w:WebhookId>`+id+`</w:WebhookId></w:GetWebhook>`)
		Expect(soapTestPlain(resp)).To(Equal(soapTestPlain(got88.Response("GetWebhook"))))

		// An 88 operation sent to the 87 endpoint is unknown there.
		env := soapTestEnvelope(11, soapTestNS88, soapTestCredentials("", soapTestTick), `<w:CreateDefaultWebhook/>`)
		wrong, err := soapTestPost(ctx, e.base+soapTestPath7, 11, soapTestNS88, "", env, nil)
		Expect(err).NotTo(HaveOccurred())
		Expect(wrong.Status).To(Equal(http.StatusInternalServerError))
		_, reason, isFault := wrong.Fault()
		Expect(isFault).To(BeTrue())
		Expect(reason).To(ContainSubstring("unknown operation"))
	})

	It("gives the WSDL the address the client called, tenant prefix included", func(ctx SpecContext) {
		svc, err := reference.New(reference.Options{AllowHTTP: true})
		Expect(err).NotTo(HaveOccurred())
		DeferCleanup(svc.Close)
		srv := httptest.NewServer(reference.NewHandler(svc, reference.Auth{Ticket: soapTestTick}, reference.WithPathPrefix("/Cust12345")))
		DeferCleanup(srv.Close)
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/Cust12345"+soapTestPath+"?wsdl", nil)
		Expect(err).NotTo(HaveOccurred())
		reply, err := soapTestDo(req)
		Expect(err).NotTo(HaveOccurred())
		Expect(reply.Status).To(Equal(http.StatusOK))
		Expect(string(reply.Raw)).To(ContainSubstring(`location="` + srv.URL + "/Cust12345" + soapTestPath + `"`))
	})

	It("accepts the documentation's header placement and an Authorization header instead of a ticket", func(ctx SpecContext) {
		docs := `<SOAP-ENV:Envelope xmlns:SOAP-ENV="` + soapTestEnv12 + `" xmlns:Webhook="` + soapTestNS88 + `">` +
			`<Webhook:Credentials><Webhook:Ticket>` + soapTestTick + `</Webhook:Ticket></Webhook:Credentials>` +
			`<SOAP-ENV:Body><Webhook:CreateDefaultWebhook/></SOAP-ENV:Body></SOAP-ENV:Envelope>`
		reply, err := soapTestPost(ctx, e.base+soapTestPath, 12, soapTestNS88, "CreateDefaultWebhook", docs, nil)
		Expect(err).NotTo(HaveOccurred())
		soapTestOK(reply)

		bare := soapTestEnvelope(11, soapTestNS88, "", `<w:CreateDefaultWebhook/>`)
		reply, err = soapTestPost(ctx, e.base+soapTestPath, 11, soapTestNS88, "CreateDefaultWebhook", bare,
			http.Header{"Authorization": {"Basic c29hcDpwdw=="}}) // soap:pw
		Expect(err).NotTo(HaveOccurred())
		soapTestOK(reply)
	})

	It("reports a missing or wrong ticket through ExceptionInfo and runs nothing", func(ctx SpecContext) {
		env := soapTestEnvelope(11, soapTestNS88, soapTestCredentials("", "7T:nope"),
			"<w:SaveWebhook>"+soapTestHookBody("0", "sneaky", e.target.URL, "Active", "contact.created")+"</w:SaveWebhook>")
		reply, err := soapTestPost(ctx, e.base+soapTestPath, 11, soapTestNS88, "SaveWebhook", env, nil)
		Expect(err).NotTo(HaveOccurred())
		Expect(reply.Status).To(Equal(http.StatusOK))
		soapTestFailed(reply, "SaveWebhook", "UnauthorizedAccessException")
		Expect(e.target.Events()).To(BeEmpty())
	})

	Describe("Online isolation (spec §8)", func() {
		BeforeEach(func() {
			e = newSOAPTestEnv(reference.Options{Online: true})
		})

		It("scopes every call to the ApplicationToken header", func(ctx SpecContext) {
			id := create(ctx, "app-A", "mine", "contact.created").Child("WebhookId").Text
			get := `<w:GetWebhook><w:WebhookId>` + id + `</w:WebhookId></w:GetWebhook>`

			Expect(e.call(ctx, 11, "app-A", "GetWebhook", get).Response("GetWebhook").Nil()).To(BeFalse())
			other := e.call(ctx, 12, "app-B", "GetWebhook", get)
			soapTestOK(other)
			Expect(other.Response("GetWebhook").Nil()).To(BeTrue())
			Expect(e.call(ctx, 11, "app-B", "GetAllWebhooks", `<w:GetAllWebhooks/>`).Response("GetAllWebhooks").Children).To(BeEmpty())
			Expect(e.call(ctx, 11, "app-A", "GetAllWebhooks", `<w:GetAllWebhooks/>`).Response("GetAllWebhooks").Children).To(HaveLen(1))

			// Without the SOAP header, the SO-AppToken HTTP header names the app.
			bare := soapTestEnvelope(11, soapTestNS88, soapTestCredentials("", soapTestTick), get)
			viaHTTP, err := soapTestPost(ctx, e.base+soapTestPath, 11, soapTestNS88, "GetWebhook", bare,
				http.Header{"So-Apptoken": {"app-A"}})
			Expect(err).NotTo(HaveOccurred())
			soapTestOK(viaHTTP)
			Expect(viaHTTP.Response("GetWebhook").Child("WebhookId").Text).To(Equal(id))

			status, _ := e.rest(ctx, http.MethodGet, "/api/v1/Webhook/"+id, "app-A")
			Expect(status).To(Equal(http.StatusOK))

			soapTestFailed(e.call(ctx, 11, "", "GetAllWebhooks", `<w:GetAllWebhooks/>`), "GetAllWebhooks", "SoAccessDeniedException")
		})
	})
})
