package specs

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/tidwall/gjson"

	"github.com/hookcheck/hookcheck/conformance/driver"
	. "github.com/hookcheck/hookcheck/conformance/framework"
)

// Spec area "crud", saving an existing webhook: the stored changes, the
// server-owned Updated fields and REST's PUT (spec §2.2 R5).
var _ = Describe("crud", func() {
	if !Area() {
		return
	}
	ForStyles(driver.Styles, func(st driver.Style) {
		It("updates a webhook", Clause("WH-CRUD-011", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			ch := s.Channel()
			created := s.Create(s.Hook(ch))
			upd := *created
			upd.Name = s.Name()
			upd.Events = []string{s.Event("updated"), s.Event("again")}
			upd.Headers = map[string]string{"X-Hookcheck-Updated": "yes"}
			upd.ErrorsEmail = "updated@example.com"
			got := s.Update(upd)
			Expect(got.ID).To(Equal(created.ID))
			Expect(got.Name).To(Equal(upd.Name))
			Expect(got.Events).To(Equal(upd.Events))
			again := s.Get(created.ID)
			Expect(again.Name).To(Equal(upd.Name))
			Expect(again.Events).To(Equal(upd.Events))
			Expect(again.Headers).To(Equal(upd.Headers))
			Expect(again.ErrorsEmail).To(Equal(upd.ErrorsEmail))
		})

		It("sets Updated and UpdatedAssociate on update and keeps Registered", Clause("WH-CRUD-024", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			ch := s.Channel()
			created := s.Create(s.Hook(ch))
			first := s.Get(created.ID)
			upd := *first
			upd.Name = s.Name()
			upd.Updated = time.Date(2001, 2, 3, 4, 5, 6, 0, time.UTC)
			upd.UpdatedAssociate = &driver.Associate{AssociateID: 987654, Name: "FORGED"}
			s.Update(upd)
			got := s.Get(created.ID)
			Expect(got.Registered.Equal(first.Registered)).To(BeTrue(), "Registered changed on update: %s → %s", first.Registered, got.Registered)
			Expect(got.Updated.Year()).To(BeNumerically(">", 2001), "Updated kept the client's value or stayed unset: %s", got.Updated)
			Expect(got.Updated.Before(first.Registered)).To(BeFalse(), "Updated %s is before Registered %s", got.Updated, first.Registered)
			Expect(got.UpdatedAssociate).NotTo(BeNil(), "UpdatedAssociate is set: %s", got.Raw)
			Expect(got.UpdatedAssociate.AssociateID).NotTo(Equal(int32(987654)), "UpdatedAssociate kept the client's value")
			Expect(got.UpdatedAssociate.AssociateID).To(BeNumerically(">", 0))
		})
	})

	Context("rest", func() {
		const st = driver.REST

		It("uses the path id on PUT and PATCH", Clause("WH-CRUD-026", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			if s.Profile().IDPolicy == "any" {
				SkipBecause("the profile does not pin the id policy (--id-policy any)")
			}
			ch := s.Channel()
			a := s.Create(s.Hook(ch))
			b := s.Create(s.Hook(ch))
			body := restWebhookBody(*a)
			body["WebhookId"] = b.ID
			name := s.Name()
			body["Name"] = name
			data, _ := json.Marshal(body)
			resp, err := RESTOf(s).Do(ctx, http.MethodPut, "/api/v1/Webhook/"+strconv.Itoa(int(a.ID)), data, nil)
			Expect(err).NotTo(HaveOccurred())
			Expect(resp.Status).To(Equal(http.StatusOK), "PUT: %s", resp.Body)
			Expect(s.Get(a.ID).Name).To(Equal(name), "PUT saved the webhook of the path")
			Expect(s.Get(b.ID).Name).To(Equal(b.Name), "PUT left the webhook of the body id alone")
			got, err := s.D.Patch(ctx, a.ID, driver.Patch{Merge: map[string]any{"WebhookId": b.ID, "Name": s.Name()}})
			if err == nil {
				Expect(got.ID).To(Equal(a.ID), "PATCH answered another webhook than the path's")
			}
			Expect(s.Get(b.ID).Name).To(Equal(b.Name), "PATCH left the webhook of the body id alone")
		})

		It("answers 400 to a PUT without a body", Clause("WH-CRUD-027", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			ch := s.Channel()
			created := s.Create(s.Hook(ch))
			resp, err := RESTOf(s).Do(ctx, http.MethodPut, "/api/v1/Webhook/"+strconv.Itoa(int(created.ID)), nil, http.Header{"Content-Type": {"application/json"}})
			Expect(err).NotTo(HaveOccurred())
			Expect(resp.Status).To(Equal(http.StatusBadRequest), "PUT without a body: %s", resp.Body)
			Expect(gjson.GetBytes(resp.Body, "ErrorMessage").String()).To(ContainSubstring("Entity to save is not in request body"))
		})
	})
})
