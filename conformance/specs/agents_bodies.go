package specs

import (
	"encoding/json"
	"encoding/xml"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/tidwall/gjson"

	"github.com/hookcheck/hookcheck/conformance/driver"
	. "github.com/hookcheck/hookcheck/conformance/framework"
)

// agentsWebhookXML is an Agents SaveWebhook body for wh as XML, in the
// shape the XML answers have (spec §2.1, §8).
func agentsWebhookXML(wh driver.Webhook) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="utf-8"?><Webhook><WebhookId>0</WebhookId><Name>` + xmlEscape(wh.Name) + `</Name><Events>`)
	for _, e := range wh.Events {
		b.WriteString("<string>" + xmlEscape(e) + "</string>")
	}
	b.WriteString(`</Events><TargetUrl>` + xmlEscape(wh.TargetURL) + `</TargetUrl><Secret>` + xmlEscape(wh.Secret) + `</Secret>`)
	b.WriteString(`<State>Active</State><Type>webhook</Type><Headers><StringKeyValuePair><Key>X-Hookcheck-Body</Key><Value>xml</Value></StringKeyValuePair></Headers></Webhook>`)
	return b.String()
}

// agentsWebhookForm is an Agents SaveWebhook body for wh as a form.
func agentsWebhookForm(wh driver.Webhook) string {
	q := url.Values{}
	q.Set("WebhookId", "0")
	q.Set("Name", wh.Name)
	q["Events"] = wh.Events
	q.Set("TargetUrl", wh.TargetURL)
	q.Set("Secret", wh.Secret)
	q.Set("State", "Active")
	q.Set("Type", "webhook")
	q.Set("Headers[X-Hookcheck-Body]", "form")
	return q.Encode()
}

// Spec area "crud", the Agents content types (spec §2.1): SaveWebhook
// with a JSON (application/json, text/json), XML (application/xml,
// text/xml) or form-encoded body, and every Accept type of the list.
var _ = Describe("crud", func() {
	if !Area() {
		return
	}
	Context("agents", func() {
		const st = driver.Agents

		bodies := []struct{ contentType, header string }{
			{"application/json", "json"},
			{"text/json", "json"},
			{"application/xml", "xml"},
			{"text/xml", "xml"},
			{"application/x-www-form-urlencoded", "form"},
		}
		for _, b := range bodies {
			It("creates with SaveWebhook from a "+b.contentType+" body", Clause("WH-WIRE-016", st), func(ctx SpecContext) {
				s := Begin(ctx, st)
				hook := s.Hook(s.Channel(), func(w *driver.Webhook) { w.Events = []string{s.Event("changed"), s.Event("created")} })
				var body string
				switch b.header {
				case "xml":
					body = agentsWebhookXML(hook)
				case "form":
					body = agentsWebhookForm(hook)
				default:
					m := restWebhookBody(hook)
					m["Headers"] = map[string]string{"X-Hookcheck-Body": "json"}
					data, err := json.Marshal(m)
					Expect(err).NotTo(HaveOccurred())
					body = string(data)
				}
				resp, err := AgentsOf(s).Do(ctx, http.MethodPost, "SaveWebhook", nil, []byte(body), http.Header{"Content-Type": {b.contentType + "; charset=utf-8"}, "Accept": {"application/json"}})
				Expect(err).NotTo(HaveOccurred())
				Expect(resp.Status).To(Equal(http.StatusOK), "SaveWebhook with Content-Type %s: %s", b.contentType, resp.Body)
				doc := gjson.ParseBytes(resp.Body)
				id := int32(doc.Get("WebhookId").Int())
				s.Own(id)
				Expect(id).To(BeNumerically(">", 0), "the save created a webhook: %s", resp.Body)
				read := s.Get(id)
				Expect(read.Name).To(Equal(hook.Name))
				Expect(read.Events).To(Equal(hook.Events), "both events, in order")
				Expect(read.TargetURL).To(Equal(hook.TargetURL))
				Expect(read.State).To(Equal(driver.StateActive))
				Expect(read.Headers).To(Equal(map[string]string{"X-Hookcheck-Body": b.header}))
			})
		}

		It("answers every Accept type of the list in its representation", Clause("WH-WIRE-017", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			created := s.Create(s.Hook(s.Channel()))
			q := url.Values{"webhookId": {strconv.Itoa(int(created.ID))}}
			for _, accept := range []string{"application/json", "text/json", "application/json-patch+json", "application/merge-patch+json"} {
				resp, err := AgentsOf(s).Do(ctx, http.MethodPost, "GetWebhook", q, nil, http.Header{"Accept": {accept}})
				Expect(err).NotTo(HaveOccurred())
				Expect(resp.Status).To(Equal(http.StatusOK), "Accept %s: %s", accept, resp.Body)
				Expect(resp.Header.Get("Content-Type")).To(ContainSubstring("json"), "Accept %s is answered with JSON", accept)
				Expect(gjson.GetBytes(resp.Body, "Name").String()).To(Equal(created.Name), "Accept %s: %s", accept, resp.Body)
			}
			for _, accept := range []string{"application/xml", "text/xml"} {
				resp, err := AgentsOf(s).Do(ctx, http.MethodPost, "GetWebhook", q, nil, http.Header{"Accept": {accept}})
				Expect(err).NotTo(HaveOccurred())
				Expect(resp.Status).To(Equal(http.StatusOK), "Accept %s: %s", accept, resp.Body)
				Expect(resp.Header.Get("Content-Type")).To(HavePrefix(accept), "Accept %s is answered as %s", accept, accept)
				var doc struct {
					XMLName xml.Name
					ID      int32  `xml:"WebhookId"`
					Name    string `xml:"Name"`
				}
				Expect(xml.Unmarshal(resp.Body, &doc)).To(Succeed(), "Accept %s: the answer is XML: %s", accept, resp.Body)
				Expect(doc.XMLName.Local).To(Equal("Webhook"))
				Expect(doc.ID).To(Equal(created.ID))
				Expect(doc.Name).To(Equal(created.Name))
			}
		})
	})
})
