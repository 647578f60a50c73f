package server_test

import (
	"net/http"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/conformance/reference"
	"github.com/hookcheck/hookcheck/conformance/reference/internal/reftest"
)

var _ = Describe("REST front end (internal/httpapi/rest.go, spec §2.2)", func() {
	var e *feEnv
	BeforeEach(func() { e = newFEEnv(reference.Options{}) })

	Describe("R1 GET /api/v1/Webhook/default", func() {
		It("returns the §1.2 defaults without _Links", func() {
			r := e.do(http.MethodGet, "/api/v1/Webhook/default", "")
			Expect(r.Status).To(Equal(http.StatusOK))
			Expect(r.Header.Get("Content-Type")).To(Equal("application/json; charset=utf-8"))
			Expect(r.Body).To(Equal(`{"WebhookId":0,"Name":null,"Events":["contact.created","contact.deleted"],"TargetUrl":null,` +
				`"Secret":null,"State":"Active","Type":"webhook","Headers":null,"Properties":null,` +
				`"Registered":"0001-01-01T00:00:00","RegisteredAssociate":null,` +
				`"Updated":"0001-01-01T00:00:00","UpdatedAssociate":null,"ErrorsEmail":null}`))
		})

		It("routes fixed segments case-insensitively", func() {
			r := e.do(http.MethodGet, "/API/V1/webhook/DEFAULT", "")
			Expect(r.Status).To(Equal(http.StatusOK))
			Expect(r.JSON().Get("Type").String()).To(Equal("webhook"))
		})
	})

	Describe("R3 POST /api/v1/Webhook", func() {
		It("creates and answers 200 WebhookWithLinks", func() {
			r := e.do(http.MethodPost, "/api/v1/Webhook", e.hookJSON("first", "contact.created", "sale.changed"))
			Expect(r.Status).To(Equal(http.StatusOK), r.Body)
			doc := r.JSON()
			id := doc.Get("WebhookId").Int()
			Expect(id).To(BeNumerically(">", 0))
			Expect(reftest.Keys(doc)).To(Equal(append(append([]string{}, reftest.WebhookFields...), "_Links")))
			Expect(doc.Get("_Links.Self").String()).To(Equal(e.base + "/api/v1/Webhook/" + feItoa(id)))
			Expect(doc.Get("_Links.Archive").String()).To(Equal(e.base + "/api/v1/Webhook"))
			Expect(doc.Get("Name").String()).To(Equal("first"))
			Expect(doc.Get("State").String()).To(Equal("Active"))
			Expect(doc.Get("Registered").String()).NotTo(Equal("0001-01-01T00:00:00"))
			Expect(doc.Get("RegisteredAssociate.AssociateId").Int()).To(Equal(int64(5)))
		})

		It("always creates, ignoring the body's WebhookId (§9 #17)", func() {
			first := e.create("one")
			body := strings.Replace(e.hookJSON("two"), `{`, `{"WebhookId":`+feItoa(first)+`,`, 1)
			r := e.do(http.MethodPost, "/api/v1/Webhook", body)
			Expect(r.Status).To(Equal(http.StatusOK), r.Body)
			Expect(r.JSON().Get("WebhookId").Int()).NotTo(Equal(first))
			Expect(e.do(http.MethodGet, "/api/v1/Webhook/"+feItoa(first), "").JSON().Get("Name").String()).To(Equal("one"))
		})

		It("accepts camelCase bodies like the @superoffice/webapi client sends", func() {
			r := e.do(http.MethodPost, "/api/v1/Webhook",
				`{"name":"camel","events":["person.created"],"targetUrl":`+feQuote(e.target.URL)+`,"state":"stopped","type":"webhook","headers":{"X-A":"1"},"properties":{"k":2},"errorsEmail":"a@b.c"}`)
			Expect(r.Status).To(Equal(http.StatusOK), r.Body)
			doc := r.JSON()
			Expect(doc.Get("Name").String()).To(Equal("camel"))
			Expect(doc.Get("State").String()).To(Equal("Stopped"))
			Expect(doc.Get("Headers.X-A").String()).To(Equal("1"))
			Expect(doc.Get("Properties.k").Int()).To(Equal(int64(2)))
			Expect(doc.Get("ErrorsEmail").String()).To(Equal("a@b.c"))
		})

		It("refuses a save whose URL check fails and stores nothing", func() {
			e.target.setStatus(http.StatusInternalServerError)
			r := e.do(http.MethodPost, "/api/v1/Webhook", e.hookJSON("bad"))
			feExpectError(r, http.StatusBadRequest, "")
			list := e.do(http.MethodGet, "/api/v1/Webhook", "")
			Expect(list.Body).To(Equal("[]"))
		})

		It("refuses an invalid webhook with the core's 400", func() {
			r := e.do(http.MethodPost, "/api/v1/Webhook", `{"Name":"no events","TargetUrl":`+feQuote(e.target.URL)+`}`)
			feExpectError(r, http.StatusBadRequest, "ArgumentException")
		})

		It("refuses an empty body", func() {
			r := e.do(http.MethodPost, "/api/v1/Webhook", "")
			feExpectError(r, http.StatusBadRequest, "ArgumentException")
			Expect(r.JSON().Get("ErrorMessage").String()).To(Equal("Entity to save is not in request body"))
		})

		It("applies $select", func() {
			r := e.do(http.MethodPost, "/api/v1/Webhook?$select=name,webhookId", e.hookJSON("sel"))
			Expect(r.Status).To(Equal(http.StatusOK))
			doc := r.JSON()
			Expect(doc.Get("Name").String()).To(Equal("sel"))
			Expect(doc.Get("WebhookId").Int()).To(BeNumerically(">", 0))
			Expect(doc.Get("Events").Type).To(Equal(reftest.Null))
			Expect(doc.Get("_Links.Self").String()).NotTo(BeEmpty())
		})
	})

	Describe("R4 GET /api/v1/Webhook/{id}", func() {
		It("returns the webhook with _Links and Last-Modified", func() {
			id := e.create("get me")
			r := e.do(http.MethodGet, "/api/v1/Webhook/"+feItoa(id), "")
			Expect(r.Status).To(Equal(http.StatusOK))
			Expect(r.JSON().Get("Name").String()).To(Equal("get me"))
			Expect(r.JSON().Get("_Links.Self").String()).To(HaveSuffix("/api/v1/Webhook/" + feItoa(id)))
		})

		It("answers 404 with the error body for a missing or impossible id", func() {
			feExpectError(e.do(http.MethodGet, "/api/v1/Webhook/99999", ""), http.StatusNotFound, "SoNotFoundException")
			feExpectError(e.do(http.MethodGet, "/api/v1/Webhook/99999999999", ""), http.StatusNotFound, "SoNotFoundException")
			feExpectError(e.do(http.MethodGet, "/api/v1/Webhook/abc", ""), http.StatusNotFound, "")
		})

		It("applies $select with any casing of the parameter", func() {
			id := e.create("partial", "a.b")
			r := e.do(http.MethodGet, "/api/v1/Webhook/"+feItoa(id)+"?$SELECT=Events", "")
			Expect(r.Status).To(Equal(http.StatusOK))
			Expect(r.JSON().Get("Events.0").String()).To(Equal("a.b"))
			Expect(r.JSON().Get("Name").Type).To(Equal(reftest.Null))
			Expect(r.JSON().Get("WebhookId").Type).To(Equal(reftest.Null))
		})

		It("answers XML when asked", func() {
			id := e.create("xml")
			r := e.do(http.MethodGet, "/api/v1/Webhook/"+feItoa(id), "", "Accept", "application/xml")
			Expect(r.Status).To(Equal(http.StatusOK))
			Expect(r.Header.Get("Content-Type")).To(Equal("application/xml; charset=utf-8"))
			root, err := reftest.ParseXML([]byte(r.Body))
			Expect(err).NotTo(HaveOccurred(), r.Body)
			Expect(root.XMLName.Local).To(Equal("Webhook"))
			Expect(root.Child("Name").Text).To(Equal("xml"))
			Expect(root.Child("_Links").Child("Self").Text).To(HaveSuffix("/api/v1/Webhook/" + feItoa(id)))

			r = e.do(http.MethodGet, "/api/v1/Webhook/424242", "", "Accept", "text/xml")
			Expect(r.Status).To(Equal(http.StatusNotFound))
			Expect(r.Header.Get("Content-Type")).To(Equal("text/xml; charset=utf-8"))
			root, err = reftest.ParseXML([]byte(r.Body))
			Expect(err).NotTo(HaveOccurred(), r.Body)
			Expect(root.Names()).To(Equal([]string{"Error", "ErrorType", "ErrorMessage", "ErrorSource"}))
			Expect(root.Child("Error").Text).To(Equal("true"))
		})
	})

	Describe("R2 GET /api/v1/Webhook", func() {
		var a, b, c int64
		BeforeEach(func() {
			a = e.create("Alpha", "contact.created")
			b = e.create("Beta", "sale.changed", "contact.created")
			c = e.create("Gamma", "sale.changed")
			r := e.do(http.MethodPatch, "/api/v1/Webhook/"+feItoa(c), `{"State":"Stopped"}`)
			Expect(r.Status).To(Equal(http.StatusOK), r.Body)
		})

		ids := func(r feResp) []int64 {
			GinkgoHelper()
			Expect(r.Status).To(Equal(http.StatusOK), r.Body)
			var out []int64
			for _, w := range r.JSON().Array() {
				Expect(w.Get("_Links").Exists()).To(BeFalse())
				out = append(out, w.Get("WebhookId").Int())
			}
			return out
		}

		It("lists everything without filters, with no _Links", func() {
			Expect(ids(e.do(http.MethodGet, "/api/v1/Webhook", ""))).To(Equal([]int64{a, b, c}))
		})

		It("filters by name, event and status (name or number; Unknown = all)", func() {
			Expect(ids(e.do(http.MethodGet, "/api/v1/Webhook?nameFilter=beta", ""))).To(Equal([]int64{b}))
			Expect(ids(e.do(http.MethodGet, "/api/v1/Webhook?eventFilter=sale.changed", ""))).To(Equal([]int64{b, c}))
			Expect(ids(e.do(http.MethodGet, "/api/v1/Webhook?statusFilter=Stopped", ""))).To(Equal([]int64{c}))
			Expect(ids(e.do(http.MethodGet, "/api/v1/Webhook?statusfilter=1", ""))).To(Equal([]int64{a, b}))
			Expect(ids(e.do(http.MethodGet, "/api/v1/Webhook?statusFilter=Unknown", ""))).To(Equal([]int64{a, b, c}))
			Expect(ids(e.do(http.MethodGet, "/api/v1/Webhook?eventFilter=contact.created&statusFilter=active&nameFilter=alpha", ""))).To(Equal([]int64{a}))
		})

		It("refuses an unknown statusFilter", func() {
			feExpectError(e.do(http.MethodGet, "/api/v1/Webhook?statusFilter=Running", ""), http.StatusBadRequest, "ArgumentException")
		})

		It("answers an XML ArrayOfWebhook", func() {
			r := e.do(http.MethodGet, "/api/v1/Webhook?$select=name", "", "Accept", "application/xml")
			root, err := reftest.ParseXML([]byte(r.Body))
			Expect(err).NotTo(HaveOccurred(), r.Body)
			Expect(root.XMLName.Local).To(Equal("ArrayOfWebhook"))
			Expect(root.Names()).To(Equal([]string{"Webhook", "Webhook", "Webhook"}))
			Expect(root.Children[0].Child("Name").Text).To(Equal("Alpha"))
			Expect(root.Children[0].Child("Events").IsNil()).To(BeTrue())
		})
	})

	Describe("R5 PUT /api/v1/Webhook/{id}", func() {
		It("replaces the webhook, the path id winning over the body's", func() {
			id := e.create("before")
			other := e.create("other")
			body := strings.Replace(e.hookJSON("after", "person.changed"), `{`, `{"WebhookId":`+feItoa(other)+`,`, 1)
			r := e.do(http.MethodPut, "/api/v1/Webhook/"+feItoa(id), body)
			Expect(r.Status).To(Equal(http.StatusOK), r.Body)
			Expect(r.JSON().Get("WebhookId").Int()).To(Equal(id))
			Expect(r.JSON().Get("Name").String()).To(Equal("after"))
			Expect(r.JSON().Get("_Links.Self").String()).To(HaveSuffix("/" + feItoa(id)))
			Expect(e.do(http.MethodGet, "/api/v1/Webhook/"+feItoa(other), "").JSON().Get("Name").String()).To(Equal("other"))
		})

		It("answers 400 'Entity to save is not in request body' without a body", func() {
			id := e.create("x")
			for _, body := range []string{"", "null", "  "} {
				r := e.do(http.MethodPut, "/api/v1/Webhook/"+feItoa(id), body)
				feExpectError(r, http.StatusBadRequest, "ArgumentException")
				Expect(r.JSON().Get("ErrorMessage").String()).To(Equal("Entity to save is not in request body"))
			}
		})

		It("answers 404 for a missing id", func() {
			feExpectError(e.do(http.MethodPut, "/api/v1/Webhook/4242", e.hookJSON("x")), http.StatusNotFound, "SoNotFoundException")
		})

		It("honours If-Unmodified-Since (412) and its HTTP-date resolution", func() {
			id := e.create("cond")
			r := e.do(http.MethodPut, "/api/v1/Webhook/"+feItoa(id), e.hookJSON("second"))
			Expect(r.Status).To(Equal(http.StatusOK), r.Body)
			lastModified := r.Header.Get("Last-Modified")
			Expect(lastModified).NotTo(BeEmpty())

			past := time.Now().Add(-time.Hour).UTC().Format(http.TimeFormat)
			feExpectError(e.do(http.MethodPut, "/api/v1/Webhook/"+feItoa(id), e.hookJSON("stale"), "If-Unmodified-Since", past),
				http.StatusPreconditionFailed, "")
			Expect(e.do(http.MethodGet, "/api/v1/Webhook/"+feItoa(id), "").JSON().Get("Name").String()).To(Equal("second"))

			r = e.do(http.MethodPut, "/api/v1/Webhook/"+feItoa(id), e.hookJSON("fresh"), "If-Unmodified-Since", lastModified)
			Expect(r.Status).To(Equal(http.StatusOK), r.Body)
			Expect(r.JSON().Get("Name").String()).To(Equal("fresh"))

			feExpectError(e.do(http.MethodPut, "/api/v1/Webhook/"+feItoa(id), e.hookJSON("x"), "If-Unmodified-Since", "soon"),
				http.StatusBadRequest, "ArgumentException")
		})
	})

	Describe("R6 PATCH /api/v1/Webhook/{id}", func() {
		var id int64
		BeforeEach(func() { id = e.create("patch me", "contact.created") })

		get := func() feResp { return e.do(http.MethodGet, "/api/v1/Webhook/"+feItoa(id), "") }

		It("applies a JSON Patch whatever the Content-Type", func() {
			r := e.do(http.MethodPatch, "/api/v1/Webhook/"+feItoa(id),
				`[{"op":"replace","path":"name","value":"patched"},{"op":"add","path":"/Events/-","value":"sale.created"},{"op":"add","path":"/headers/X-Foo","value":"1"}]`,
				"Content-Type", "application/merge-patch+json")
			Expect(r.Status).To(Equal(http.StatusOK), r.Body)
			Expect(r.JSON().Get("Name").String()).To(Equal("patched"))
			Expect(r.JSON().Get("Events").Raw).To(Equal(`["contact.created","sale.created"]`))
			Expect(r.JSON().Get("Headers.X-Foo").String()).To(Equal("1"))
			Expect(r.JSON().Get("_Links.Self").String()).To(HaveSuffix("/" + feItoa(id)))
			Expect(get().JSON().Get("Name").String()).To(Equal("patched"))
		})

		It("applies a Merge Patch", func() {
			r := e.do(http.MethodPatch, "/api/v1/Webhook/"+feItoa(id), `{"name":null,"secret":"s","properties":{"a":1}}`,
				"Content-Type", "application/json-patch+json")
			Expect(r.Status).To(Equal(http.StatusOK), r.Body)
			Expect(r.JSON().Get("Name").Type).To(Equal(reftest.Null))
			Expect(r.JSON().Get("Secret").String()).To(Equal("s"))
			Expect(r.JSON().Get("Properties.a").Int()).To(Equal(int64(1)))
		})

		It("answers 409 on a failing test and saves nothing", func() {
			before := get().Body
			r := e.do(http.MethodPatch, "/api/v1/Webhook/"+feItoa(id),
				`[{"op":"replace","path":"/Name","value":"changed"},{"op":"test","path":"/Name","value":"not it"}]`)
			feExpectError(r, http.StatusConflict, "JsonPatchException")
			Expect(get().Body).To(Equal(before))
		})

		It("answers 400 for move/copy and malformed patches, 404 for a missing id, 412 when stale", func() {
			feExpectError(e.do(http.MethodPatch, "/api/v1/Webhook/"+feItoa(id), `[{"op":"move","from":"/Name","path":"/Secret"}]`),
				http.StatusBadRequest, "JsonPatchException")
			feExpectError(e.do(http.MethodPatch, "/api/v1/Webhook/"+feItoa(id), `"x"`), http.StatusBadRequest, "JsonPatchException")
			feExpectError(e.do(http.MethodPatch, "/api/v1/Webhook/"+feItoa(id), ``), http.StatusBadRequest, "JsonPatchException")
			feExpectError(e.do(http.MethodPatch, "/api/v1/Webhook/777", `{"Name":"x"}`), http.StatusNotFound, "SoNotFoundException")
			feExpectError(e.do(http.MethodPatch, "/api/v1/Webhook/"+feItoa(id), `{"Name":"x"}`,
				"If-Unmodified-Since", "Mon, 01 Jan 2001 00:00:00 GMT"), http.StatusPreconditionFailed, "")
			Expect(get().JSON().Get("Name").String()).To(Equal("patch me"))
		})

		It("runs the core's validation on the result", func() {
			feExpectError(e.do(http.MethodPatch, "/api/v1/Webhook/"+feItoa(id), `[{"op":"remove","path":"/Events/0"}]`),
				http.StatusBadRequest, "ArgumentException")
			feExpectError(e.do(http.MethodPatch, "/api/v1/Webhook/"+feItoa(id), `[{"op":"replace","path":"/Events","value":"x"}]`),
				http.StatusBadRequest, "")
		})
	})

	Describe("R7 DELETE /api/v1/Webhook/{id}", func() {
		It("answers 204, then 404", func() {
			id := e.create("bye")
			r := e.do(http.MethodDelete, "/api/v1/Webhook/"+feItoa(id), "")
			Expect(r.Status).To(Equal(http.StatusNoContent))
			Expect(r.Body).To(BeEmpty())
			feExpectError(e.do(http.MethodGet, "/api/v1/Webhook/"+feItoa(id), ""), http.StatusNotFound, "SoNotFoundException")
			feExpectError(e.do(http.MethodDelete, "/api/v1/Webhook/"+feItoa(id), ""), http.StatusNotFound, "SoNotFoundException")
		})
	})

	Describe("R8 POST /api/v1/Webhook/Test", func() {
		It("answers a WebhookResult and stores nothing", func() {
			r := e.do(http.MethodPost, "/api/v1/Webhook/Test", e.hookJSON("probe"))
			Expect(r.Status).To(Equal(http.StatusOK), r.Body)
			Expect(reftest.Keys(r.JSON())).To(Equal([]string{"Success", "Message", "TableRight", "FieldProperties"}))
			Expect(r.JSON().Get("Success").Bool()).To(BeTrue())
			Expect(r.JSON().Get("Message").String()).To(ContainSubstring("target says hi"))
			Expect(e.do(http.MethodGet, "/api/v1/Webhook", "").Body).To(Equal("[]"))

			e.target.setStatus(http.StatusTeapot)
			r = e.do(http.MethodPost, "/api/v1/webhook/test", e.hookJSON("probe"))
			Expect(r.Status).To(Equal(http.StatusOK), r.Body)
			Expect(r.JSON().Get("Success").Bool()).To(BeFalse())
		})
	})

	Describe("R9 POST /api/v1/Webhook/{eventName}/{primaryKey}", func() {
		It("answers 204 and delivers to subscribed hooks", func() {
			e.create("listener", "window.closed")
			r := e.do(http.MethodPost, "/api/v1/Webhook/window.closed/0", `{"field":"value"}`)
			Expect(r.Status).To(Equal(http.StatusNoContent), r.Body)
			Eventually(e.target.events).WithTimeout(10 * time.Second).Should(ContainElement("window.closed"))

			Expect(e.do(http.MethodPost, "/api/v1/Webhook/window.closed/12", "").Status).To(Equal(http.StatusNoContent))
			Expect(e.do(http.MethodPost, "/api/v1/Webhook/window.closed/12", "null").Status).To(Equal(http.StatusNoContent))
		})

		It("refuses a non-integer key or a non-object body", func() {
			feExpectError(e.do(http.MethodPost, "/api/v1/Webhook/a.b/key", ""), http.StatusBadRequest, "")
			feExpectError(e.do(http.MethodPost, "/api/v1/Webhook/a.b/1", `[1]`), http.StatusBadRequest, "")
		})
	})

	Describe("R10 GET /api/v1/Webhook/{id}/LastError", func() {
		It("answers a JSON string, 404 when the hook is missing", func() {
			id := e.create("err")
			r := e.do(http.MethodGet, "/api/v1/Webhook/"+feItoa(id)+"/LastError", "")
			Expect(r.Status).To(Equal(http.StatusOK))
			Expect(r.Body).To(Equal(`""`))
			Expect(e.do(http.MethodGet, "/api/v1/webhook/"+feItoa(id)+"/lasterror", "").Status).To(Equal(http.StatusOK))
			feExpectError(e.do(http.MethodGet, "/api/v1/Webhook/5555/LastError", ""), http.StatusNotFound, "SoNotFoundException")
		})

		It("reports the target's last error response", func() {
			id := e.create("failing", "thing.happened")
			e.target.setStatus(http.StatusServiceUnavailable)
			Expect(e.do(http.MethodPost, "/api/v1/Webhook/thing.happened/1", "").Status).To(Equal(http.StatusNoContent))
			Eventually(func() string {
				return e.do(http.MethodGet, "/api/v1/Webhook/"+feItoa(id)+"/LastError", "").JSON().String()
			}).WithTimeout(10 * time.Second).Should(ContainSubstring("target says hi"))
		})
	})
})
