package specs

import (
	"encoding/json"
	"net/http"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/tidwall/gjson"

	"github.com/hookcheck/hookcheck/conformance/driver"
	. "github.com/hookcheck/hookcheck/conformance/framework"
)

// Spec area "crud", saving a new webhook: what is stored, what the server
// sets itself, and REST's answer to POST (spec §2.2 R3).
var _ = Describe("crud", func() {
	if !Area() {
		return
	}
	ForStyles(driver.Styles, func(st driver.Style) {
		It("creates a webhook and answers the saved entity", Clause("WH-CRUD-002", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			ch := s.Channel()
			in := s.Hook(ch, func(w *driver.Webhook) {
				w.Events = []string{s.Event("created"), s.Event("deleted")}
				w.ErrorsEmail = "ops-" + s.Entity + "@example.com"
			})
			got := s.Create(in)
			Expect(got.ID).To(BeNumerically(">", 0))
			Expect(got.Name).To(Equal(in.Name))
			Expect(got.Events).To(Equal(in.Events))
			Expect(got.TargetURL).To(Equal(in.TargetURL))
			Expect(got.State).To(Equal(driver.StateActive))
			Expect(got.Type).To(Equal("webhook"))
			Expect(got.ErrorsEmail).To(Equal(in.ErrorsEmail))
		})

		It("stores Headers and Properties", Clause("WH-CRUD-003", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			ch := s.Channel()
			in := s.Hook(ch, func(w *driver.Webhook) {
				w.Headers = map[string]string{"X-Hookcheck-One": "1", "X-Hookcheck-Two": "two words"}
				w.Properties = map[string]any{"tenant": "acme", "count": float64(42), "flag": true}
			})
			created := s.Create(in)
			got := s.Get(created.ID)
			Expect(got.Headers).To(Equal(in.Headers), "Headers read back")
			Expect(got.Properties).To(Equal(in.Properties), "Properties read back")
		})

		It("sets Registered and RegisteredAssociate itself", Clause("WH-CRUD-023", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			ch := s.Channel()
			forged := time.Date(2001, 2, 3, 4, 5, 6, 0, time.UTC)
			in := s.Hook(ch, func(w *driver.Webhook) {
				w.Registered = forged
				w.RegisteredAssociate = &driver.Associate{AssociateID: 987654, Name: "FORGED"}
			})
			before := time.Now()
			created := s.Create(in)
			got := s.Get(created.ID)
			Expect(got.Registered.Equal(forged)).To(BeFalse(), "Registered kept the client's value")
			Expect(got.Registered).To(BeTemporally("~", before, 10*time.Minute), "Registered is the save time")
			Expect(got.RegisteredAssociate).NotTo(BeNil(), "RegisteredAssociate is set: %s", got.Raw)
			Expect(got.RegisteredAssociate.AssociateID).NotTo(Equal(int32(987654)), "RegisteredAssociate kept the client's value")
			Expect(got.RegisteredAssociate.AssociateID).To(BeNumerically(">", 0))
		})

		It("stores two webhooks with the same name", Clause("WH-CRUD-029", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			ch := s.Channel()
			a := s.Create(s.Hook(ch))
			b := s.Create(s.Hook(ch, func(w *driver.Webhook) { w.Name = a.Name }))
			Expect(b.ID).NotTo(Equal(a.ID))
			list, err := s.D.List(ctx, driver.Filter{Name: a.Name})
			Expect(err).NotTo(HaveOccurred())
			Expect(IDs(list)).To(ContainElements(a.ID, b.ID))
		})
	})

	Context("rest", func() {
		const st = driver.REST

		It("answers 200, not 201, to POST /api/v1/Webhook", Clause("WH-CRUD-002", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			in := s.Hook(s.Channel())
			body, _ := json.Marshal(restWebhookBody(in))
			resp, err := RESTOf(s).Do(ctx, http.MethodPost, "/api/v1/Webhook", body, nil)
			Expect(err).NotTo(HaveOccurred())
			id := int32(gjson.GetBytes(resp.Body, "WebhookId").Int())
			s.Own(id)
			Expect(resp.Status).To(Equal(http.StatusOK), "POST /api/v1/Webhook answers 200 (not 201): %s", resp.Body)
			Expect(id).To(BeNumerically(">", 0), "the answer carries the new WebhookId: %s", resp.Body)
			Expect(s.Get(id).Name).To(Equal(in.Name), "the POSTed webhook was stored")
		})

		It("creates a new webhook on POST whatever WebhookId the body holds", Clause("WH-CRUD-025", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			if s.Profile().IDPolicy == "any" {
				SkipBecause("the profile does not pin the id policy (--id-policy any)")
			}
			ch := s.Channel()
			a := s.Create(s.Hook(ch))
			b := s.Create(s.Hook(ch, func(w *driver.Webhook) { w.ID = a.ID }))
			Expect(b.ID).NotTo(Equal(a.ID), "POST with the WebhookId of an existing hook created a new one")
			Expect(s.Get(a.ID).Name).To(Equal(a.Name), "the existing webhook is unchanged")
		})

		It("accepts State as a name in any case or as a number", Clause("WH-CRUD-028", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			ch := s.Channel()
			for _, tc := range []struct {
				state any
				want  string
			}{{"stopped", driver.StateStopped}, {"ACTIVE", driver.StateActive}, {2, driver.StateStopped}, {1, driver.StateActive}} {
				in := restWebhookBody(s.Hook(ch))
				in["State"] = tc.state
				data, _ := json.Marshal(in)
				resp, err := RESTOf(s).Do(ctx, http.MethodPost, "/api/v1/Webhook", data, nil)
				Expect(err).NotTo(HaveOccurred())
				id := int32(gjson.GetBytes(resp.Body, "WebhookId").Int())
				s.Own(id)
				Expect(resp.Status).To(Equal(http.StatusOK), "POST with State %#v: %s", tc.state, resp.Body)
				Expect(s.State(id)).To(Equal(tc.want), "State %#v", tc.state)
			}
		})
	})
})
