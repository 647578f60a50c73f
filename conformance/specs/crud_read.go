package specs

import (
	"encoding/xml"
	"net/http"
	"strconv"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/tidwall/gjson"

	"github.com/hookcheck/hookcheck/conformance/driver"
	. "github.com/hookcheck/hookcheck/conformance/framework"
)

// Spec area "crud", reading one webhook by id: its fields, $select, REST's
// _Links and XML answers (spec §2.1, §2.2 R4, §8).
var _ = Describe("crud", func() {
	if !Area() {
		return
	}
	ForStyles(driver.Styles, func(st driver.Style) {
		It("reads a webhook by id", Clause("WH-CRUD-004", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			ch := s.Channel()
			in := s.Hook(ch, func(w *driver.Webhook) { w.ErrorsEmail = "read@example.com" })
			created := s.Create(in)
			got := s.Get(created.ID)
			Expect(got.ID).To(Equal(created.ID))
			Expect(got.Name).To(Equal(in.Name))
			Expect(got.Events).To(Equal(in.Events))
			Expect(got.TargetURL).To(Equal(in.TargetURL))
			Expect(got.State).To(Equal(driver.StateActive))
			Expect(got.Type).To(Equal("webhook"))
			Expect(got.ErrorsEmail).To(Equal(in.ErrorsEmail))
		})
	})

	ForStyles([]driver.Style{driver.REST, driver.Agents}, func(st driver.Style) {
		It("keeps only the $select properties", Clause("WH-CRUD-019", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			ch := s.Channel()
			created := s.Create(s.Hook(ch, func(w *driver.Webhook) {
				w.ErrorsEmail = "select@example.com"
				w.Headers = map[string]string{"X-Hookcheck": "1"}
			}))
			got, err := s.D.Get(ctx, created.ID, driver.Select("name,events"))
			Expect(err).NotTo(HaveOccurred())
			Expect(got).NotTo(BeNil())
			Expect(got.Name).To(Equal(created.Name), "Name was selected: %s", got.Raw)
			Expect(got.Events).To(Equal(created.Events), "Events were selected: %s", got.Raw)
			for _, f := range []string{driver.FieldTargetURL, driver.FieldType, driver.FieldErrorsEmail, driver.FieldHeaders} {
				Expect(got.IsNull(f)).To(BeTrue(), "%s was not selected and must be null: %s", f, got.Raw)
			}
			list, err := s.D.List(ctx, driver.Filter{Name: created.Name}, driver.Select("NAME"))
			Expect(err).NotTo(HaveOccurred())
			item := Find(list, created.ID)
			if item == nil && len(list) == 1 {
				item = &list[0]
			}
			Expect(item).NotTo(BeNil(), "the list with $select still holds the webhook: %v", IDs(list))
			Expect(item.Name).To(Equal(created.Name))
			Expect(item.IsNull(driver.FieldTargetURL)).To(BeTrue(), "TargetUrl was not selected in the list: %s", item.Raw)
		})
	})

	Context("rest", func() {
		const st = driver.REST

		It("carries _Links on single items only", Clause("WH-CRUD-005", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			ch := s.Channel()
			created := s.Create(s.Hook(ch))
			Expect(created.Links).To(HaveKey("Self"), "POST answer has _Links.Self: %s", created.Raw)
			got := s.Get(created.ID)
			Expect(got.Links).To(HaveKey("Self"), "GET answer has _Links.Self: %s", got.Raw)
			Expect(got.Links["Self"]).To(ContainSubstring(strconv.Itoa(int(created.ID))))
			list, err := s.D.List(ctx, driver.Filter{Name: created.Name})
			Expect(err).NotTo(HaveOccurred())
			for _, wh := range list {
				Expect(gjson.Get(wh.Raw, "_Links").Exists()).To(BeFalse(), "list items carry no _Links: %s", wh.Raw)
			}
		})

		It("returns XML for Accept application/xml", Clause("WH-CRUD-032", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			ch := s.Channel()
			created := s.Create(s.Hook(ch))
			resp, err := RESTOf(s).Do(ctx, http.MethodGet, "/api/v1/Webhook/"+strconv.Itoa(int(created.ID)), nil, http.Header{"Accept": {"application/xml"}})
			Expect(err).NotTo(HaveOccurred())
			Expect(resp.Status).To(Equal(http.StatusOK), "GET with Accept application/xml: %s", resp.Body)
			Expect(resp.Header.Get("Content-Type")).To(ContainSubstring("xml"))
			var doc struct {
				XMLName   xml.Name
				WebhookID int32  `xml:"WebhookId"`
				Name      string `xml:"Name"`
			}
			Expect(xml.Unmarshal(resp.Body, &doc)).To(Succeed(), "the answer is XML: %s", resp.Body)
			Expect(doc.WebhookID).To(Equal(created.ID))
			Expect(doc.Name).To(Equal(created.Name))
		})
	})
})
