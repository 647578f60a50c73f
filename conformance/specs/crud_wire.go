package specs

import (
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

// Spec area "crud", how each front end spells a webhook's State, and of
// the description Agents answers to a GET (spec §1.3, §2.4, §2.5).
var _ = Describe("crud", func() {
	if !Area() {
		return
	}
	ForStyles([]driver.Style{driver.REST, driver.Agents}, func(st driver.Style) {
		It("spells State as its enum name", Clause("WH-CRUD-033", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			ch := s.Channel()
			created := s.Create(s.Hook(ch))
			stateOf := func() gjson.Result {
				wh := s.Get(created.ID)
				return gjson.Get(wh.Raw, "State")
			}
			Expect(stateOf().Type).To(Equal(gjson.String), "State is a JSON string")
			Expect(stateOf().String()).To(Equal("Active"))
			s.SetState(created.ID, driver.StateStopped)
			Expect(stateOf().String()).To(Equal("Stopped"))
		})
	})

	Context("soap", func() {
		const st = driver.SOAP

		It("spells State as its WebhookState name", Clause("WH-CRUD-034", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			ch := s.Channel()
			created := s.Create(s.Hook(ch))
			// The driver maps a numeric State to its name, so read the
			// element as the target wrote it.
			stateOf := func() string {
				raw := s.Get(created.ID).Raw
				var doc struct {
					State string `xml:"State"`
				}
				Expect(xml.Unmarshal([]byte(raw), &doc)).To(Succeed(), "the SOAP Webhook is XML: %s", raw)
				return strings.TrimSpace(doc.State)
			}
			Expect(stateOf()).To(Equal("Active"), "State of a new webhook")
			s.SetState(created.ID, driver.StateStopped)
			Expect(stateOf()).To(Equal("Stopped"), "State after stopping it")
		})
	})

	Context("agents", func() {
		const st = driver.Agents

		It("describes an agent method on GET without invoking it", Clause("WH-CRUD-031", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			ch := s.Channel()
			created := s.Create(s.Hook(ch))
			resp, err := AgentsOf(s).Do(ctx, http.MethodGet, "DeleteWebhook", url.Values{"WebhookId": {strconv.Itoa(int(created.ID))}}, nil, nil)
			Expect(err).NotTo(HaveOccurred())
			Expect(resp.Status).To(BeNumerically("<", 300), "GET on the agent URL answers a description: %s", resp.Body)
			Expect(strings.TrimSpace(string(resp.Body))).NotTo(BeEmpty(), "the description is not empty")
			Expect(s.Get(created.ID).ID).To(Equal(created.ID), "GET did not invoke DeleteWebhook")
		})
	})
})
