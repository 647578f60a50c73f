package server_test

import (
	"net/http"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/conformance/reference"
)

var _ = Describe("bad query and body input is refused, not ignored (REST and Agents)", func() {
	var e *feEnv
	BeforeEach(func() { e = newFEEnv(reference.Options{}) })

	It("refuses a $select naming a property a Webhook does not have, before the operation runs", func() {
		id := feItoa(e.create("kept"))
		r := e.do(http.MethodGet, "/api/v1/Webhook/"+id+"?$select=Name,Nmae", "")
		feExpectError(r, http.StatusBadRequest, "ArgumentException")
		Expect(r.JSON().Get("ErrorMessage").String()).To(ContainSubstring(`"nmae"`))

		r = e.do(http.MethodPost, "/api/v1/Webhook?$select=Bogus", e.hookJSON("never stored"))
		feExpectError(r, http.StatusBadRequest, "ArgumentException")
		Expect(e.do(http.MethodGet, "/api/v1/Webhook", "").JSON().Get("#").Int()).To(Equal(int64(1)), "the refused POST stored nothing")

		r = e.do(http.MethodPost, "/api/v1/Agents/Webhook/GetWebhook?webhookId="+id+"&$select=Bogus", "")
		feExpectError(r, http.StatusBadRequest, "ArgumentException")
	})

	It("still serves a $select of known names, dotted paths and _Links, in any case", func() {
		id := feItoa(e.create("kept"))
		r := e.do(http.MethodGet, "/api/v1/Webhook/"+id+"?$select=name,RegisteredAssociate.Name,_Links", "")
		Expect(r.Status).To(Equal(http.StatusOK), r.Body)
		Expect(r.JSON().Get("Name").String()).To(Equal("kept"))
		Expect(r.JSON().Get("TargetUrl").Raw).To(Equal("null"))
	})

	It("refuses an OData $filter on the webhook list instead of answering every webhook", func() {
		e.create("a")
		for _, expr := range []string{"Name eq 'a'", "name eq", ""} {
			r := e.do(http.MethodGet, "/api/v1/Webhook?$filter="+strings.ReplaceAll(expr, " ", "%20"), "")
			feExpectError(r, http.StatusBadRequest, "ArgumentException")
			Expect(r.JSON().Get("ErrorMessage").String()).To(ContainSubstring("nameFilter, eventFilter and statusFilter"))
		}
	})

	It("refuses a PATCH object that names no Webhook property, and keeps the webhook unchanged", func() {
		id := feItoa(e.create("before"))
		r := e.do(http.MethodPatch, "/api/v1/Webhook/"+id, `{"Nmae":"after","colour":"red"}`)
		feExpectError(r, http.StatusBadRequest, "")
		Expect(r.JSON().Get("ErrorMessage").String()).To(ContainSubstring("names no Webhook property"))
		Expect(e.do(http.MethodGet, "/api/v1/Webhook/"+id, "").JSON().Get("Name").String()).To(Equal("before"))

		r = e.do(http.MethodPatch, "/api/v1/Webhook/"+id, `{}`)
		Expect(r.Status).To(Equal(http.StatusOK), "the empty Merge Patch is a valid no-op: %s", r.Body)
		r = e.do(http.MethodPatch, "/api/v1/Webhook/"+id, `{"Name":"after","colour":"red"}`)
		Expect(r.Status).To(Equal(http.StatusOK), r.Body)
		Expect(r.JSON().Get("Name").String()).To(Equal("after"))
	})

	It("echoes at most a bounded part of a huge id, URL or filter in the error", func() {
		huge := strings.Repeat("9", 100_000)
		r := e.do(http.MethodGet, "/api/v1/Webhook/"+huge, "")
		feExpectError(r, http.StatusNotFound, "SoNotFoundException")
		msg := r.JSON().Get("ErrorMessage").String()
		Expect(len(msg)).To(BeNumerically("<", 300), msg)
		Expect(msg).To(ContainSubstring("(100000 bytes)"))

		long := "ftp://example.com/" + strings.Repeat("x", 100_000)
		r = e.do(http.MethodPost, "/api/v1/Webhook", `{"Events":["a.b"],"TargetUrl":"`+long+`"}`)
		feExpectError(r, http.StatusBadRequest, "")
		Expect(len(r.JSON().Get("ErrorMessage").String())).To(BeNumerically("<", 300))

		r = e.do(http.MethodGet, "/api/v1/Webhook?$filter="+huge, "")
		Expect(len(r.JSON().Get("ErrorMessage").String())).To(BeNumerically("<", 300))
	})
})
