package reference_test

import (
	"crypto/x509"
	"encoding/pem"
	"net/http"
	"regexp"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/conformance/reference"
)

// corePayloadTime is the body's Timestamp format: UTC, 7 digits, Z.
var corePayloadTime = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$`)

// coreGUID is the EventId format.
var coreGUID = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

var _ = Describe("core: save-time URL verification (§3, §9 #8)", func() {
	var (
		s      *reference.Service
		target *coreTarget
	)
	BeforeEach(func() {
		target = newCoreTarget(false)
		s = newCoreService(reference.Options{Version: "1.2.3"})
	})

	It("posts the documented test event and stores the hook on 200", func() {
		w, err := s.Create(coreCtx, coreAdmin, reference.Webhook{
			Name: "Name you provided", Events: []string{"contact.created"}, TargetURL: target.URL(),
			Secret: "s3cret", Headers: map[string]string{"X-Custom": "yes"},
		})
		Expect(err).NotTo(HaveOccurred())
		Expect(w.WebhookID).To(Equal(int32(1)))

		Expect(target.Hits()).To(HaveLen(1))
		h := target.Hits()[0]
		Expect(h.Test()).To(BeTrue())
		Expect(h.Header.Get("Content-Type")).To(Equal("application/json; charset=utf-8"))
		Expect(h.Header.Get("User-Agent")).To(Equal("NetServer-Webhook/1.2.3"))
		Expect(h.Event()).To(Equal("test"))
		Expect(h.Header.Get("X-Custom")).To(Equal("yes"))
		_, hasRetry := h.Retry()
		Expect(hasRetry).To(BeFalse())
		Expect(h.Header.Get("X-SuperOffice-Signature")).To(Equal(coreSign("s3cret", h.Body)))

		b := h.JSON()
		Expect(b["EventId"]).To(MatchRegexp(coreGUID.String()))
		Expect(h.EventID()).To(Equal(b["EventId"]), "one GUID in header and body (§9 #11)")
		Expect(b["Timestamp"]).To(MatchRegexp(corePayloadTime.String()))
		Expect(b["Changes"]).To(Equal([]any{}))
		Expect(b["Event"]).To(Equal("test"))
		Expect(coreNum(b["PrimaryKey"])).To(BeZero())
		Expect(b["Entity"]).To(Equal("test"))
		Expect(b["ContextIdentifier"]).To(Equal("Default"))
		Expect(coreNum(b["ChangedByAssociateId"])).To(Equal(int64(5)))
		Expect(b["WebhookName"]).To(Equal("Name you provided"))
		Expect(string(h.Body)).To(HavePrefix(`{"EventId":`))
	})

	It("sends no signature without a secret", func() {
		createCoreHook(s, "nosig", target.URL(), "a.b")
		Expect(target.Hits()[0].Header.Values("X-SuperOffice-Signature")).To(BeEmpty())
	})

	DescribeTable("refuses the save and stores nothing when the target does not answer 200",
		func(a coreAnswer, want string, opts reference.Options) {
			target.AnswerTests(a)
			if opts.HTTPTimeout != 0 {
				s = newCoreService(opts)
			}
			_, err := s.Create(coreCtx, coreAdmin, reference.Webhook{Name: "x", Events: []string{"a.b"}, TargetURL: target.URL()})
			Expect(coreKind(err)).To(Equal(reference.KindVerificationFailed))
			Expect(reference.AsError(err).Type).To(Equal("WebhookVerificationException"))
			Expect(err.Error()).To(ContainSubstring(want))
			all, _ := s.List(coreCtx, coreAdmin, reference.Filter{})
			Expect(all).To(BeEmpty())
			Expect(target.Tests()).To(HaveLen(1))
		},
		Entry("500", coreAnswer{Status: 500}, "500 Internal Server Error", reference.Options{}),
		Entry("404", coreAnswer{Status: 404}, "404 Not Found", reference.Options{}),
		Entry("201 (exactly 200 is required)", coreAnswer{Status: 201}, "201 Created", reference.Options{}),
		Entry("a redirect, which is not followed", coreAnswer{Status: 302, Header: map[string]string{"Location": "/elsewhere"}}, "302 Found", reference.Options{}),
		Entry("a connection reset", coreAnswer{Reset: true}, "did not accept the test event", reference.Options{}),
		Entry("a timeout", coreAnswer{Hang: true}, "did not accept the test event", reference.Options{HTTPTimeout: 150 * time.Millisecond}),
	)

	It("accepts 2xx when Options.Success is 2xx", func() {
		s = newCoreService(reference.Options{Success: "2xx"})
		target.AnswerTests(coreAnswer{Status: 204})
		_, err := s.Create(coreCtx, coreAdmin, reference.Webhook{Events: []string{"a.b"}, TargetURL: target.URL()})
		Expect(err).NotTo(HaveOccurred())
	})

	It("refuses a target that does not listen", func() {
		gone := newCoreTarget(false)
		url := gone.URL()
		gone.srv.Close()
		_, err := s.Create(coreCtx, coreAdmin, reference.Webhook{Events: []string{"a.b"}, TargetURL: url})
		Expect(coreKind(err)).To(Equal(reference.KindVerificationFailed))
		Expect(err.Error()).To(ContainSubstring("refused"))
	})

	It("requires https unless AllowHTTP (§9 #10)", func() {
		strict, err := reference.New(reference.Options{})
		Expect(err).NotTo(HaveOccurred())
		DeferCleanup(strict.Close)
		_, err = strict.Create(coreCtx, coreAdmin, reference.Webhook{Events: []string{"a.b"}, TargetURL: target.URL()})
		Expect(coreKind(err)).To(Equal(reference.KindVerificationFailed))
		Expect(err.Error()).To(ContainSubstring("https"))
		Expect(target.Hits()).To(BeEmpty(), "nothing is posted to a plain-http URL")
		all, _ := strict.List(coreCtx, coreAdmin, reference.Filter{})
		Expect(all).To(BeEmpty())
	})

	Context("over TLS", func() {
		var tlsTarget *coreTarget
		BeforeEach(func() { tlsTarget = newCoreTarget(true) })

		It("refuses a certificate no trusted root signed", func() {
			strict, err := reference.New(reference.Options{})
			Expect(err).NotTo(HaveOccurred())
			DeferCleanup(strict.Close)
			_, err = strict.Create(coreCtx, coreAdmin, reference.Webhook{Events: []string{"a.b"}, TargetURL: tlsTarget.URL()})
			Expect(coreKind(err)).To(Equal(reference.KindVerificationFailed))
			Expect(err.Error()).To(ContainSubstring("certificate"))
			Expect(tlsTarget.Hits()).To(BeEmpty())
		})

		It("trusts Options.TrustCA", func() {
			pool := x509.NewCertPool()
			pool.AddCert(tlsTarget.srv.Certificate())
			strict, err := reference.New(reference.Options{TrustCA: pool})
			Expect(err).NotTo(HaveOccurred())
			DeferCleanup(strict.Close)
			_, err = strict.Create(coreCtx, coreAdmin, reference.Webhook{Events: []string{"a.b"}, TargetURL: tlsTarget.URL()})
			Expect(err).NotTo(HaveOccurred())
			Expect(tlsTarget.Tests()).To(HaveLen(1))
		})

		It("trusts Options.TrustCAPEM and checks the host name", func() {
			pemBytes := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: tlsTarget.srv.Certificate().Raw})
			strict, err := reference.New(reference.Options{TrustCAPEM: pemBytes})
			Expect(err).NotTo(HaveOccurred())
			DeferCleanup(strict.Close)
			_, err = strict.Create(coreCtx, coreAdmin, reference.Webhook{Events: []string{"a.b"}, TargetURL: tlsTarget.URL()})
			Expect(err).NotTo(HaveOccurred())

			// The httptest certificate names 127.0.0.1 and example.com, not localhost.
			wrongHost := strings.Replace(tlsTarget.URL(), "127.0.0.1", "localhost", 1)
			_, err = strict.Create(coreCtx, coreAdmin, reference.Webhook{Events: []string{"a.b"}, TargetURL: wrongHost})
			Expect(coreKind(err)).To(Equal(reference.KindVerificationFailed))
		})

		It("rejects TrustCAPEM without a certificate", func() {
			_, err := reference.New(reference.Options{TrustCAPEM: []byte("not pem")})
			Expect(err).To(HaveOccurred())
		})
	})

	It("checks every API save, Stopped too, and keeps the stored version when the check fails", func() {
		w := createCoreHook(s, "keep", target.URL(), "a.b")
		setCoreState(s, coreAdmin, w.WebhookID, reference.StateStopped)
		Expect(target.Tests()).To(HaveLen(2), "the Stopped save was checked too")

		target.AnswerTests(coreAnswer{Status: 503})
		_, err := s.Modify(coreCtx, coreAdmin, w.WebhookID, reference.Condition{}, func(h *reference.Webhook) error {
			h.Name = "lost"
			return nil
		})
		Expect(coreKind(err)).To(Equal(reference.KindVerificationFailed))
		got, _ := s.Get(coreCtx, coreAdmin, w.WebhookID)
		Expect(got.Name).To(Equal("keep"))
		Expect(got.State).To(Equal(reference.StateStopped))
	})

	It("never checks crmscript hooks", func() {
		w, err := s.Create(coreCtx, coreAdmin, reference.Webhook{Events: []string{"a.b"}, TargetURL: "no_such_host_include", Type: "crmscript"})
		Expect(err).NotTo(HaveOccurred())
		Expect(w.Type).To(Equal("crmscript"))
	})
})

var _ = Describe("core: TestWebhook (§3, §1.6)", func() {
	var (
		s      *reference.Service
		target *coreTarget
	)
	BeforeEach(func() {
		target = newCoreTarget(false)
		s = newCoreService(reference.Options{})
	})

	It("sends the test event, reports 200 as Success and stores nothing", func() {
		target.AnswerTests(coreAnswer{Status: 200, Header: map[string]string{"X-Target": "t1"}, Body: "pong"})
		r, err := s.Test(coreCtx, coreAdmin, reference.Webhook{Name: "t", TargetURL: target.URL(), Secret: "k"})
		Expect(err).NotTo(HaveOccurred())
		Expect(r.Success).To(BeTrue())
		Expect(r.Message).To(HavePrefix("HTTP/1.1 200 OK\r\n"))
		Expect(r.Message).To(ContainSubstring("X-Target: t1"))
		Expect(r.Message).To(HaveSuffix("\r\n\r\npong"))
		all, _ := s.List(coreCtx, coreAdmin, reference.Filter{})
		Expect(all).To(BeEmpty())
		h := target.Tests()[0]
		Expect(h.Header.Get("X-SuperOffice-Signature")).To(Equal(coreSign("k", h.Body)))
		Expect(h.JSON()["WebhookName"]).To(Equal("t"))
	})

	It("reports failures with the response, bounded to 4000 characters", func() {
		target.AnswerTests(coreAnswer{Status: 500, Body: strings.Repeat("é", 9000)})
		r, err := s.Test(coreCtx, coreAdmin, reference.Webhook{TargetURL: target.URL()})
		Expect(err).NotTo(HaveOccurred())
		Expect(r.Success).To(BeFalse())
		Expect(r.Message).To(HavePrefix("HTTP/1.1 500 Internal Server Error"))
		Expect([]rune(r.Message)).To(HaveLen(reference.MaxErrorText))
	})

	It("reports transport errors as a failed result", func() {
		target.AnswerTests(coreAnswer{Reset: true})
		r, err := s.Test(coreCtx, coreAdmin, reference.Webhook{TargetURL: target.URL()})
		Expect(err).NotTo(HaveOccurred())
		Expect(r.Success).To(BeFalse())
		Expect(r.Message).NotTo(BeEmpty())
	})

	It("needs a TargetUrl and does not post for crmscript", func() {
		_, err := s.Test(coreCtx, coreAdmin, reference.Webhook{})
		Expect(coreKind(err)).To(Equal(reference.KindInvalid))
		r, err := s.Test(coreCtx, coreAdmin, reference.Webhook{Type: "crmscript", TargetURL: "inc"})
		Expect(err).NotTo(HaveOccurred())
		Expect(r.Success).To(BeTrue())
		Expect(target.Hits()).To(BeEmpty())
	})

	It("sends exactly the test event headers", func() {
		_, err := s.Test(coreCtx, coreAdmin, reference.Webhook{TargetURL: target.URL(), Headers: map[string]string{"X-Hook-Test": "false", "x-superoffice-event": "evil"}})
		Expect(err).NotTo(HaveOccurred())
		h := target.Tests()[0]
		Expect(h.Header.Values("X-Hook-Test")).To(Equal([]string{"true"}))
		Expect(h.Header.Values("X-SuperOffice-Event")).To(Equal([]string{"test"}))
		Expect(h.Header).NotTo(HaveKey(http.CanonicalHeaderKey("X-SuperOffice-Retry")))
	})
})
