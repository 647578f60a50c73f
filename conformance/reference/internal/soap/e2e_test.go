package soap_test

import (
	"context"
	"net/http"
	"net/http/httptest"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/conformance/reference"
	"github.com/hookcheck/hookcheck/conformance/reference/internal/reftest"
	"github.com/hookcheck/hookcheck/conformance/reference/server"
)

var _ = Describe("SOAP front end over the core", func() {
	var e *soapTestEnv

	BeforeEach(func() {
		e = newSOAPTestEnv(reference.Options{})
	})

	// create saves a new hook through SOAP and returns its Response.
	create := func(ctx context.Context, token, name string, events ...string) *reftest.SOAPNode {
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
			Expect(resp.Names()).To(Equal(reftest.WebhookFields))
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
			Expect(resp.Names()).To(Equal(reftest.WebhookFields))
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
		lastError := func() *reftest.SOAPNode {
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
		reply := e.callAt(ctx, reftest.SOAPPath87, reftest.SOAPNS87, 11, "", "GetWebhook",
			`<w:GetWebhook><w:WebhookId>`+id+`</w:WebhookId></w:GetWebhook>`)
		soapTestOK(reply)
		resp := reply.Response("GetWebhook")
		Expect(resp.Name.Space).To(Equal(reftest.SOAPNS87))
		Expect(reply.Root.Path("Header", "Succeeded").Name.Space).To(Equal(reftest.SOAPNS87))
		got88 := e.call(ctx, 11, "", "GetWebhook", `<w:GetWebhook><w:WebhookId>`+id+`</w:WebhookId></w:GetWebhook>`)
		Expect(soapTestPlain(resp)).To(Equal(soapTestPlain(got88.Response("GetWebhook"))))

		// An 88 operation sent to the 87 endpoint is unknown there.
		env := reftest.SOAPEnvelope(11, reftest.SOAPNS88, reftest.SOAPCredentials("", reftest.SOAPTicket), `<w:CreateDefaultWebhook/>`)
		wrong, err := reftest.SOAPPost(ctx, e.base+reftest.SOAPPath87, 11, reftest.SOAPNS88, "", env, nil)
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
		srv := httptest.NewServer(server.NewHandler(svc, reference.Auth{Ticket: reftest.SOAPTicket}, server.WithPathPrefix("/Cust12345")))
		DeferCleanup(srv.Close)
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/Cust12345"+reftest.SOAPPath88+"?wsdl", nil)
		Expect(err).NotTo(HaveOccurred())
		reply, err := reftest.SOAPDo(req)
		Expect(err).NotTo(HaveOccurred())
		Expect(reply.Status).To(Equal(http.StatusOK))
		Expect(string(reply.Raw)).To(ContainSubstring(`location="` + srv.URL + "/Cust12345" + reftest.SOAPPath88 + `"`))
	})

	It("accepts the documentation's header placement and an Authorization header instead of a ticket", func(ctx SpecContext) {
		docs := `<SOAP-ENV:Envelope xmlns:SOAP-ENV="` + reftest.SOAPEnv12 + `" xmlns:Webhook="` + reftest.SOAPNS88 + `">` +
			`<Webhook:Credentials><Webhook:Ticket>` + reftest.SOAPTicket + `</Webhook:Ticket></Webhook:Credentials>` +
			`<SOAP-ENV:Body><Webhook:CreateDefaultWebhook/></SOAP-ENV:Body></SOAP-ENV:Envelope>`
		reply, err := reftest.SOAPPost(ctx, e.base+reftest.SOAPPath88, 12, reftest.SOAPNS88, "CreateDefaultWebhook", docs, nil)
		Expect(err).NotTo(HaveOccurred())
		soapTestOK(reply)

		bare := reftest.SOAPEnvelope(11, reftest.SOAPNS88, "", `<w:CreateDefaultWebhook/>`)
		reply, err = reftest.SOAPPost(ctx, e.base+reftest.SOAPPath88, 11, reftest.SOAPNS88, "CreateDefaultWebhook", bare,
			http.Header{"Authorization": {"Basic c29hcDpwdw=="}}) // soap:pw
		Expect(err).NotTo(HaveOccurred())
		soapTestOK(reply)
	})

	It("reports a missing or wrong ticket through ExceptionInfo and runs nothing", func(ctx SpecContext) {
		env := reftest.SOAPEnvelope(11, reftest.SOAPNS88, reftest.SOAPCredentials("", "7T:nope"),
			"<w:SaveWebhook>"+soapTestHookBody("0", "sneaky", e.target.URL, "Active", "contact.created")+"</w:SaveWebhook>")
		reply, err := reftest.SOAPPost(ctx, e.base+reftest.SOAPPath88, 11, reftest.SOAPNS88, "SaveWebhook", env, nil)
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
			bare := reftest.SOAPEnvelope(11, reftest.SOAPNS88, reftest.SOAPCredentials("", reftest.SOAPTicket), get)
			viaHTTP, err := reftest.SOAPPost(ctx, e.base+reftest.SOAPPath88, 11, reftest.SOAPNS88, "GetWebhook", bare,
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
