package server_test

import (
	"context"
	"net/http"
	"strconv"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/conformance/reference"
	"github.com/hookcheck/hookcheck/conformance/reference/internal/reftest"
	"github.com/hookcheck/hookcheck/conformance/reference/server"
)

// numberedState spells State as its number and dates with a +02:00
// offset: a WireFormat unlike the standard one in both respects.
type numberedState struct{}

func (numberedState) State(s reference.State) string { return strconv.Itoa(int(s)) }

func (numberedState) Time(t time.Time) string {
	return t.In(time.FixedZone("", 2*3600)).Format("2006-01-02T15:04:05-07:00")
}

// anyoneAuth lets every call in as the default associate.
type anyoneAuth struct{ reference.Authenticator }

func (anyoneAuth) FromHeader(string) (*reference.Associate, error) {
	a := reference.DefaultAssociate
	return &a, nil
}

var _ = Describe("per-front-end HandlerOptions (frontend.go)", func() {
	// soapGet reads webhook id through SOAP (Basic credentials over HTTP)
	// and returns the Response element.
	soapGet := func(ctx context.Context, e *feEnv, id int64) *reftest.SOAPNode {
		GinkgoHelper()
		env := reftest.SOAPEnvelope(11, reftest.SOAPNS88, "", `<w:GetWebhook><w:WebhookId>`+feItoa(id)+`</w:WebhookId></w:GetWebhook>`)
		reply, err := reftest.SOAPPost(ctx, e.base+reftest.SOAPPath88, 11, reftest.SOAPNS88, "GetWebhook", env,
			http.Header{"Authorization": {reftest.Basic("tje0", "Tje0")}})
		Expect(err).NotTo(HaveOccurred())
		Expect(reply.Succeeded()).To(Equal("true"), string(reply.Raw))
		return reply.Response("GetWebhook")
	}

	It("WithAuthenticator replaces the credential check of one front end only", func() {
		e := newFEEnv(reference.Options{}, server.WithAuthenticator(server.FrontREST,
			func(a reference.Authenticator) reference.Authenticator { return anyoneAuth{a} }))
		Expect(e.do(http.MethodGet, "/api/v1/Webhook/default", "", "Authorization", "-").Status).To(Equal(http.StatusOK))
		feExpectError(e.do(http.MethodPost, "/api/v1/Agents/Webhook/CreateDefaultWebhook", "", "Authorization", "-"),
			http.StatusUnauthorized, "UnauthorizedAccessException")
	})

	It("WithWireFormat changes how one front end spells State and dates", func(ctx SpecContext) {
		e := newFEEnv(reference.Options{}, server.WithWireFormat(server.FrontSOAP, numberedState{}))
		id := e.create("format")
		rest := e.do(http.MethodGet, "/api/v1/Webhook/"+feItoa(id), "")
		Expect(rest.Status).To(Equal(http.StatusOK), rest.Body)
		Expect(rest.JSON().Get("State").String()).To(Equal("Active"))
		Expect(rest.JSON().Get("Registered").String()).NotTo(ContainSubstring("+"))
		soap := soapGet(ctx, e, id)
		Expect(soap.Child("State").Text).To(Equal("1"))
		Expect(soap.Child("Registered").Text).To(HaveSuffix("+02:00"))
	})

	It("WithMiddleware wraps the routes of one front end only", func(ctx SpecContext) {
		tag := func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("X-Wrapped", "agents")
				next.ServeHTTP(w, r)
			})
		}
		e := newFEEnv(reference.Options{}, server.WithMiddleware(server.FrontAgents, tag))
		Expect(e.do(http.MethodPost, "/api/v1/Agents/Webhook/CreateDefaultWebhook", "").Header.Get("X-Wrapped")).To(Equal("agents"))
		Expect(e.do(http.MethodGet, "/api/v1/Webhook/default", "").Header.Get("X-Wrapped")).To(BeEmpty())
		Expect(e.do(http.MethodPost, "/api/v1/Agents/Webhook/CreateDefaultWebhook", "", "Authorization", "-").Header.Get("X-Wrapped")).
			To(Equal("agents"), "the middleware sits outside the credential check")
	})

	It("WithPatchStep runs around every PATCH operation", func() {
		var seen []string
		step := func(op, path string, apply func() error) error {
			seen = append(seen, op+" "+path)
			if op == "remove" {
				return reference.Errorf(reference.KindInvalid, "JsonPatchException", "remove is refused here")
			}
			return apply()
		}
		e := newFEEnv(reference.Options{}, server.WithPatchStep(step))
		id := e.create("patch")
		r := e.do(http.MethodPatch, "/api/v1/Webhook/"+feItoa(id), `[{"op":"test","path":"/Name","value":"patch"},{"op":"replace","path":"name","value":"patched"}]`)
		Expect(r.Status).To(Equal(http.StatusOK), r.Body)
		Expect(r.JSON().Get("Name").String()).To(Equal("patched"))
		Expect(seen).To(Equal([]string{"test /Name", "replace name"}))
		r = e.do(http.MethodPatch, "/api/v1/Webhook/"+feItoa(id), `[{"op":"remove","path":"/ErrorsEmail"}]`)
		feExpectError(r, http.StatusBadRequest, "JsonPatchException")
	})

	It("keeps the documented behaviour without the options", func(ctx SpecContext) {
		e := newFEEnv(reference.Options{})
		id := e.create("plain")
		Expect(soapGet(ctx, e, id).Child("State").Text).To(Equal("Active"))
		feExpectError(e.do(http.MethodGet, "/api/v1/Webhook/default", "", "Authorization", "-"), http.StatusUnauthorized, "UnauthorizedAccessException")
		r := e.do(http.MethodPatch, "/api/v1/Webhook/"+feItoa(id), `[{"op":"test","path":"/Name","value":"other"}]`)
		Expect(r.Status).To(Equal(http.StatusConflict), r.Body)
	})
})
