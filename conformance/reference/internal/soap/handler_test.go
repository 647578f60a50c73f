package soap_test

import (
	"net/http"
	"net/http/httptest"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/conformance/reference"
	"github.com/hookcheck/hookcheck/conformance/reference/internal/reftest"
	"github.com/hookcheck/hookcheck/conformance/reference/internal/soap"
)

// These specs drive the SOAP endpoint over HTTP without the core: every
// request here is refused (Fault) or unauthenticated (ExceptionInfo) before
// an operation would reach the Service.
var _ = Describe("SOAP endpoint without the core", func() {
	var url string

	BeforeEach(func() {
		auth := reference.Auth{Ticket: reftest.SOAPTicket, User: "soap", Password: "pw"}
		srv := httptest.NewServer(soap.NewSOAPHandlerForTest(nil, auth, reftest.SOAPNS88))
		DeferCleanup(srv.Close)
		url = srv.URL + reftest.SOAPPath88
	})

	post := func(ctx SpecContext, version int, op, envelope string) *reftest.SOAPReply {
		GinkgoHelper()
		reply, err := reftest.SOAPPost(ctx, url, version, reftest.SOAPNS88, op, envelope, nil)
		Expect(err).NotTo(HaveOccurred())
		return reply
	}

	expectFault := func(reply *reftest.SOAPReply, version int, status int, wantInReason string) {
		GinkgoHelper()
		Expect(reply.Status).To(Equal(status), string(reply.Raw))
		code, reason, ok := reply.Fault()
		Expect(ok).To(BeTrue(), string(reply.Raw))
		if version == 12 {
			Expect(reply.ContentType).To(HavePrefix("application/soap+xml"))
			Expect(reply.Root.Name.Space).To(Equal(reftest.SOAPEnv12))
			Expect(code).To(Equal("s:Sender"))
		} else {
			Expect(reply.ContentType).To(HavePrefix("text/xml"))
			Expect(reply.Root.Name.Space).To(Equal(reftest.SOAPEnv11))
			Expect(code).To(Equal("s:Client"))
		}
		Expect(reason).To(ContainSubstring(wantInReason))
	}

	Describe("GET", func() {
		It("describes the service and names the eight operations", func(ctx SpecContext) {
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
			Expect(err).NotTo(HaveOccurred())
			reply, err := reftest.SOAPDo(req)
			Expect(err).NotTo(HaveOccurred())
			Expect(reply.Status).To(Equal(http.StatusOK))
			Expect(reply.ContentType).To(HavePrefix("text/html"))
			for _, op := range []string{"CreateDefaultWebhook", "SaveWebhook", "DeleteWebhook", "GetWebhook",
				"GetAllWebhooks", "TestWebhook", "SignalEvent", "GetLastError"} {
				Expect(string(reply.Raw)).To(ContainSubstring(op))
			}
		})

		It("returns the WSDL for ?wsdl with this endpoint's address", func(ctx SpecContext) {
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, url+"?wsdl", nil)
			Expect(err).NotTo(HaveOccurred())
			reply, err := reftest.SOAPDo(req)
			Expect(err).NotTo(HaveOccurred())
			Expect(reply.Status).To(Equal(http.StatusOK))
			Expect(reply.Root.Name.Local).To(Equal("definitions"))
			Expect(reply.Root.AttrValue("", "targetNamespace")).To(Equal(reftest.SOAPNS88))
			Expect(string(reply.Raw)).To(ContainSubstring(`location="` + url + `"`))
		})
	})

	It("refuses other methods with 405 and Allow", func(ctx SpecContext) {
		req, err := http.NewRequestWithContext(ctx, http.MethodPut, url, strings.NewReader("x"))
		Expect(err).NotTo(HaveOccurred())
		resp, err := http.DefaultClient.Do(req)
		Expect(err).NotTo(HaveOccurred())
		resp.Body.Close()
		Expect(resp.StatusCode).To(Equal(http.StatusMethodNotAllowed))
		Expect(resp.Header.Get("Allow")).To(ContainSubstring("POST"))
	})

	It("refuses a media type that cannot carry an envelope with 415", func(ctx SpecContext) {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, strings.NewReader(`{"WebhookId":1}`))
		Expect(err).NotTo(HaveOccurred())
		req.Header.Set("Content-Type", "application/json")
		reply, err := reftest.SOAPDo(req)
		Expect(err).NotTo(HaveOccurred())
		expectFault(reply, 11, http.StatusUnsupportedMediaType, "Content-Type")
	})

	DescribeTable("answers an unknown operation with a Fault in the version asked",
		func(ctx SpecContext, version int) {
			env := reftest.SOAPEnvelope(version, reftest.SOAPNS88, reftest.SOAPCredentials("", reftest.SOAPTicket), `<w:DropTables/>`)
			reply := post(ctx, version, "", env)
			expectFault(reply, version, http.StatusInternalServerError, "unknown operation")
			_, reason, _ := reply.Fault()
			Expect(reason).To(ContainSubstring("DropTables"))
		},
		Entry("SOAP 1.1", 11),
		Entry("SOAP 1.2", 12),
	)

	It("answers an operation of another namespace with a Fault", func(ctx SpecContext) {
		env := reftest.SOAPEnvelope(11, reftest.SOAPNS87, reftest.SOAPCredentials("", reftest.SOAPTicket), `<w:GetWebhook><w:WebhookId>1</w:WebhookId></w:GetWebhook>`)
		expectFault(post(ctx, 11, "", env), 11, http.StatusInternalServerError, reftest.SOAPNS87)
	})

	DescribeTable("answers a SOAP action that disagrees with the Body with a Fault",
		func(ctx SpecContext, version int) {
			env := reftest.SOAPEnvelope(version, reftest.SOAPNS88, reftest.SOAPCredentials("", reftest.SOAPTicket), `<w:GetWebhook><w:WebhookId>1</w:WebhookId></w:GetWebhook>`)
			expectFault(post(ctx, version, "DeleteWebhook", env), version, http.StatusInternalServerError, "does not match")
		},
		Entry("SOAPAction header (1.1)", 11),
		Entry("action parameter (1.2)", 12),
	)

	It("answers unreadable arguments with a Fault", func(ctx SpecContext) {
		env := reftest.SOAPEnvelope(11, reftest.SOAPNS88, reftest.SOAPCredentials("", reftest.SOAPTicket), `<w:GetWebhook><w:WebhookId>seven</w:WebhookId></w:GetWebhook>`)
		expectFault(post(ctx, 11, "GetWebhook", env), 11, http.StatusInternalServerError, "cannot read the GetWebhook request")
	})

	It("answers malformed XML with a Fault", func(ctx SpecContext) {
		expectFault(post(ctx, 11, "GetWebhook", `<s:Envelope xmlns:s="`+reftest.SOAPEnv11+`"><s:Body>`), 11,
			http.StatusInternalServerError, "not a readable SOAP envelope")
	})

	Describe("credentials (spec §9 #21)", func() {
		expectUnauthorized := func(reply *reftest.SOAPReply, op string) {
			GinkgoHelper()
			Expect(reply.Status).To(Equal(http.StatusOK), string(reply.Raw))
			Expect(reply.Succeeded()).To(Equal("false"))
			exc := reply.Exception()
			Expect(exc).NotTo(BeNil())
			Expect(exc.Nil()).To(BeFalse())
			Expect(exc.Child("ExceptionType").Text).To(Equal("UnauthorizedAccessException"))
			Expect(exc.Child("Message").Text).NotTo(BeEmpty())
			Expect(exc.Child("InnerException").Nil()).To(BeTrue())
			resp := reply.Body().Child(op + "Response")
			Expect(resp).NotTo(BeNil())
			Expect(resp.Children).To(BeEmpty())
			_, _, isFault := reply.Fault()
			Expect(isFault).To(BeFalse())
		}

		DescribeTable("reports a missing ticket through ExceptionInfo",
			func(ctx SpecContext, version int) {
				env := reftest.SOAPEnvelope(version, reftest.SOAPNS88, "", `<w:GetWebhook><w:WebhookId>1</w:WebhookId></w:GetWebhook>`)
				reply := post(ctx, version, "GetWebhook", env)
				expectUnauthorized(reply, "GetWebhook")
				Expect(reply.Exception().Child("Message").Text).To(ContainSubstring("Ticket"))
				if version == 12 {
					Expect(reply.Root.Name.Space).To(Equal(reftest.SOAPEnv12))
				}
			},
			Entry("SOAP 1.1", 11),
			Entry("SOAP 1.2", 12),
		)

		It("reports a wrong ticket through ExceptionInfo", func(ctx SpecContext) {
			env := reftest.SOAPEnvelope(11, reftest.SOAPNS88, reftest.SOAPCredentials("app", "7T:wrong"), `<w:DeleteWebhook><w:WebhookId>1</w:WebhookId></w:DeleteWebhook>`)
			reply := post(ctx, 11, "DeleteWebhook", env)
			expectUnauthorized(reply, "DeleteWebhook")
			Expect(reply.Exception().Child("Message").Text).To(ContainSubstring("invalid ticket"))
		})

		It("reports a wrong Authorization header through ExceptionInfo", func(ctx SpecContext) {
			env := reftest.SOAPEnvelope(11, reftest.SOAPNS88, "", `<w:CreateDefaultWebhook/>`)
			reply, err := reftest.SOAPPost(ctx, url, 11, reftest.SOAPNS88, "CreateDefaultWebhook", env,
				http.Header{"Authorization": {"Basic c29hcDp3cm9uZw=="}}) // soap:wrong
			Expect(err).NotTo(HaveOccurred())
			expectUnauthorized(reply, "CreateDefaultWebhook")
		})

		It("accepts an empty SOAPAction as 'not given'", func(ctx SpecContext) {
			env := reftest.SOAPEnvelope(11, reftest.SOAPNS88, "", `<w:GetLastError><w:WebhookId>1</w:WebhookId></w:GetLastError>`)
			reply, err := reftest.SOAPPost(ctx, url, 11, reftest.SOAPNS88, "", env, http.Header{"Soapaction": {`""`}})
			Expect(err).NotTo(HaveOccurred())
			expectUnauthorized(reply, "GetLastError")
		})
	})
})
