package specs

import (
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/conformance/driver"
	. "github.com/hookcheck/hookcheck/conformance/framework"
)

// Spec area "crud", the default webhook (spec §1.2).
var _ = Describe("crud", func() {
	if !Area() {
		return
	}
	ForStyles(driver.Styles, func(st driver.Style) {
		It("returns the documented default webhook", Clause("WH-CRUD-001", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			wh, err := s.D.Default(ctx)
			Expect(err).NotTo(HaveOccurred())
			Expect(wh).NotTo(BeNil())
			Expect(wh.ID).To(BeZero(), "WebhookId")
			Expect(wh.Events).To(Equal([]string{"contact.created", "contact.deleted"}), "Events")
			Expect(wh.State).To(Equal(driver.StateActive), "State")
			Expect(wh.Type).To(Equal("webhook"), "Type")
			for _, f := range []string{driver.FieldName, driver.FieldTargetURL, driver.FieldSecret, driver.FieldErrorsEmail, driver.FieldHeaders, driver.FieldProperties} {
				Expect(wh.IsNull(f)).To(BeTrue(), "%s should be null in the default webhook: %s", f, wh.Raw)
			}
		})
	})
})
