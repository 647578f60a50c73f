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

var _ = Describe("Agents front end (internal/httpapi/agents.go, spec §2.4)", func() {
	var e *feEnv
	BeforeEach(func() { e = newFEEnv(reference.Options{}) })

	const agents = "/api/v1/Agents/Webhook/"

	It("A1 CreateDefaultWebhook returns the defaults without _Links", func() {
		r := e.do(http.MethodPost, agents+"CreateDefaultWebhook", "")
		Expect(r.Status).To(Equal(http.StatusOK))
		Expect(reftest.Keys(r.JSON())).To(Equal(reftest.WebhookFields))
		Expect(r.JSON().Get("Events").Raw).To(Equal(`["contact.created","contact.deleted"]`))
		Expect(r.JSON().Get("State").String()).To(Equal("Active"))
	})

	Describe("A2 SaveWebhook", func() {
		It("creates with WebhookId 0 or absent and updates otherwise", func() {
			r := e.do(http.MethodPost, agents+"SaveWebhook", strings.Replace(e.hookJSON("agent"), "{", `{"WebhookId":0,`, 1))
			Expect(r.Status).To(Equal(http.StatusOK), r.Body)
			Expect(reftest.Keys(r.JSON())).To(Equal(reftest.WebhookFields))
			id := r.JSON().Get("WebhookId").Int()
			Expect(id).To(BeNumerically(">", 0))

			r = e.do(http.MethodPost, agents+"SaveWebhook",
				`{"webhookId":`+feItoa(id)+`,"name":"renamed","events":["a.b"],"targetUrl":`+feQuote(e.target.URL)+`}`)
			Expect(r.Status).To(Equal(http.StatusOK), r.Body)
			Expect(r.JSON().Get("WebhookId").Int()).To(Equal(id))
			Expect(r.JSON().Get("Name").String()).To(Equal("renamed"))

			r = e.do(http.MethodPost, agents+"SaveWebhook", e.hookJSON("second"))
			Expect(r.Status).To(Equal(http.StatusOK), r.Body)
			Expect(r.JSON().Get("WebhookId").Int()).NotTo(Equal(id))
		})

		It("accepts the default entity as the official TypeScript client sends it back from Europe/Oslo", func() {
			// @superoffice/webapi 12.4.1514: camelCase names, the 0001 dates
			// parsed as local time and sent in UTC (year 0), empty v12.1 fields.
			body := `{"webhookId":0,"name":"ts","events":["contact.created"],"targetUrl":` + feQuote(e.target.URL) + `,` +
				`"secret":null,"state":"Active","type":"webhook","headers":null,"properties":null,` +
				`"registered":"0000-12-31T23:06:32.000Z","registeredAssociate":null,` +
				`"updated":"0000-12-31T23:06:32.000Z","updatedAssociate":null,"errorsEmail":null,` +
				`"errorAssociates":[],"notifyVia":null,"notifyWhen":null}`
			r := e.do(http.MethodPost, agents+"SaveWebhook", body)
			Expect(r.Status).To(Equal(http.StatusOK), r.Body)
			Expect(r.JSON().Get("WebhookId").Int()).To(BeNumerically(">", 0))
			Expect(r.JSON().Get("Registered").String()).NotTo(HavePrefix("0001-"))
			Expect(r.JSON().Get("Updated").String()).To(Equal("0001-01-01T00:00:00"))
		})

		It("refuses an empty body and a missing id", func() {
			r := e.do(http.MethodPost, agents+"SaveWebhook", "")
			feExpectError(r, http.StatusBadRequest, "ArgumentException")
			Expect(r.JSON().Get("ErrorMessage").String()).To(Equal("Entity to save is not in request body"))
			feExpectError(e.do(http.MethodPost, agents+"SaveWebhook", strings.Replace(e.hookJSON("x"), "{", `{"WebhookId":999,`, 1)),
				http.StatusNotFound, "SoNotFoundException")
		})
	})

	Describe("A3 DeleteWebhook", func() {
		It("takes WebhookId from the query (any case), the body or a bare number", func() {
			a, b, c := e.create("a"), e.create("b"), e.create("c")
			Expect(e.do(http.MethodPost, agents+"DeleteWebhook?webhookid="+feItoa(a), "").Status).To(Equal(http.StatusNoContent))
			Expect(e.do(http.MethodPost, agents+"DeleteWebhook", `{"webhookId":`+feItoa(b)+`}`).Status).To(Equal(http.StatusNoContent))
			Expect(e.do(http.MethodPost, agents+"deletewebhook", feItoa(c)).Status).To(Equal(http.StatusNoContent))
			Expect(e.do(http.MethodGet, "/api/v1/Webhook", "").Body).To(Equal("[]"))
		})

		It("refuses a missing or malformed id", func() {
			feExpectError(e.do(http.MethodPost, agents+"DeleteWebhook", ""), http.StatusBadRequest, "ArgumentException")
			feExpectError(e.do(http.MethodPost, agents+"DeleteWebhook?WebhookId=x", ""), http.StatusBadRequest, "")
			feExpectError(e.do(http.MethodPost, agents+"DeleteWebhook", `{"WebhookId":"1.5"}`), http.StatusBadRequest, "")
		})
	})

	Describe("A4 GetWebhook", func() {
		It("returns the webhook from a query or body id, null when missing", func() {
			id := e.create("got")
			r := e.do(http.MethodPost, agents+"GetWebhook?webhookId="+feItoa(id), "")
			Expect(r.Status).To(Equal(http.StatusOK))
			Expect(r.JSON().Get("Name").String()).To(Equal("got"))
			Expect(r.JSON().Get("_Links").Exists()).To(BeFalse())

			r = e.do(http.MethodPost, agents+"GetWebhook", `{"WebhookId":`+feItoa(id)+`}`)
			Expect(r.JSON().Get("WebhookId").Int()).To(Equal(id))

			r = e.do(http.MethodPost, agents+"GetWebhook?webhookId=9999", "")
			Expect(r.Status).To(Equal(http.StatusOK))
			Expect(r.Body).To(Equal("null"))
		})

		It("applies $select", func() {
			id := e.create("sel")
			r := e.do(http.MethodPost, agents+"GetWebhook?webhookId="+feItoa(id)+"&$select=targetUrl", "")
			Expect(r.JSON().Get("TargetUrl").String()).To(Equal(e.target.URL))
			Expect(r.JSON().Get("Name").Type).To(Equal(reftest.Null))
		})
	})

	Describe("A5 GetAllWebhooks", func() {
		It("filters from a body in any casing, an empty body listing everything", func() {
			a := e.create("Alpha", "contact.created")
			b := e.create("Beta", "sale.changed")
			Expect(e.do(http.MethodPatch, "/api/v1/Webhook/"+feItoa(b), `{"State":"Stopped"}`).Status).To(Equal(http.StatusOK))

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
			Expect(ids(e.do(http.MethodPost, agents+"GetAllWebhooks", ""))).To(Equal([]int64{a, b}))
			Expect(ids(e.do(http.MethodPost, agents+"GetAllWebhooks", `{}`))).To(Equal([]int64{a, b}))
			Expect(ids(e.do(http.MethodPost, agents+"GetAllWebhooks", `{"NameFilter":"alpha","EventFilter":null,"StatusFilter":"Unknown"}`))).To(Equal([]int64{a}))
			Expect(ids(e.do(http.MethodPost, agents+"GetAllWebhooks", `{"eventFilter":"sale.changed"}`))).To(Equal([]int64{b}))
			Expect(ids(e.do(http.MethodPost, agents+"GetAllWebhooks", `{"statusFilter":"stopped"}`))).To(Equal([]int64{b}))
			Expect(ids(e.do(http.MethodPost, agents+"GetAllWebhooks", `{"STATUSFILTER":1}`))).To(Equal([]int64{a}))
			r := e.do(http.MethodPost, agents+"GetAllWebhooks?$select=name", "")
			Expect(r.JSON().Get("0.Name").String()).To(Equal("Alpha"))
			Expect(r.JSON().Get("0.WebhookId").Type).To(Equal(reftest.Null))
			feExpectError(e.do(http.MethodPost, agents+"GetAllWebhooks", `{"StatusFilter":"Running"}`), http.StatusBadRequest, "")
		})
	})

	Describe("A6 TestWebhook", func() {
		It("takes {\"Webhook\": {...}} and answers a WebhookResult", func() {
			r := e.do(http.MethodPost, agents+"TestWebhook", `{"webhook":`+e.hookJSON("t")+`}`)
			Expect(r.Status).To(Equal(http.StatusOK), r.Body)
			Expect(r.JSON().Get("Success").Bool()).To(BeTrue())
			feExpectError(e.do(http.MethodPost, agents+"TestWebhook", ``), http.StatusBadRequest, "ArgumentException")
			feExpectError(e.do(http.MethodPost, agents+"TestWebhook", `{"Webhook":null}`), http.StatusBadRequest, "ArgumentException")
		})
	})

	Describe("A7 SignalEvent", func() {
		It("answers 204 and delivers", func() {
			e.create("sig", "door.opened")
			r := e.do(http.MethodPost, agents+"SignalEvent", `{"eventName":"door.opened","primaryKey":3,"data":{"x":1}}`)
			Expect(r.Status).To(Equal(http.StatusNoContent), r.Body)
			Eventually(e.target.events).WithTimeout(10 * time.Second).Should(ContainElement("door.opened"))
			feExpectError(e.do(http.MethodPost, agents+"SignalEvent", `{"EventName":"a.b","PrimaryKey":"x"}`), http.StatusBadRequest, "")
			feExpectError(e.do(http.MethodPost, agents+"SignalEvent", `{"EventName":"a.b","Data":[1]}`), http.StatusBadRequest, "")
		})
	})

	Describe("A8 GetLastError", func() {
		It("answers a JSON string, null for a missing hook", func() {
			id := e.create("le")
			r := e.do(http.MethodPost, agents+"GetLastError", `{"WebhookId":`+feItoa(id)+`}`)
			Expect(r.Status).To(Equal(http.StatusOK))
			Expect(r.Body).To(Equal(`""`))
			r = e.do(http.MethodPost, agents+"GetLastError?WebhookId=31337", "")
			Expect(r.Status).To(Equal(http.StatusOK))
			Expect(r.Body).To(Equal(`null`))
		})
	})

	Describe("method dispatch", func() {
		It("describes a method on GET without calling it", func() {
			id := e.create("keep")
			r := e.do(http.MethodGet, agents+"DeleteWebhook?WebhookId="+feItoa(id), "")
			Expect(r.Status).To(Equal(http.StatusOK))
			Expect(r.Header.Get("Content-Type")).To(Equal("text/html; charset=utf-8"))
			Expect(r.Body).To(ContainSubstring("POST /api/v1/Agents/Webhook/DeleteWebhook"))
			Expect(e.do(http.MethodGet, "/api/v1/Webhook/"+feItoa(id), "").Status).To(Equal(http.StatusOK))

			r = e.do(http.MethodGet, agents+"getwebhook", "", "Accept", "application/json")
			Expect(r.Status).To(Equal(http.StatusOK))
			Expect(r.JSON().Get("Method").String()).To(Equal("GetWebhook"))
			Expect(r.JSON().Get("HttpMethod").String()).To(Equal("POST"))
		})

		It("answers 404 for an unknown method and 405 for other verbs", func() {
			feExpectError(e.do(http.MethodPost, agents+"FrobnicateWebhook", ""), http.StatusNotFound, "NotFoundException")
			feExpectError(e.do(http.MethodPut, agents+"GetWebhook", ""), http.StatusMethodNotAllowed, "")
		})

		It("answers XML when asked", func() {
			r := e.do(http.MethodPost, agents+"CreateDefaultWebhook", "", "Accept", "application/xml")
			Expect(r.Header.Get("Content-Type")).To(Equal("application/xml; charset=utf-8"))
			root, err := reftest.ParseXML([]byte(r.Body))
			Expect(err).NotTo(HaveOccurred(), r.Body)
			Expect(root.Names()).To(Equal(reftest.WebhookFields))
			r = e.do(http.MethodPost, agents+"GetWebhook?webhookId=777", "", "Accept", "application/xml")
			root, err = reftest.ParseXML([]byte(r.Body))
			Expect(err).NotTo(HaveOccurred(), r.Body)
			Expect(root.XMLName.Local).To(Equal("Webhook"))
			Expect(root.IsNil()).To(BeTrue())
		})
	})
})
