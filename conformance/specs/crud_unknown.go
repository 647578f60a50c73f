package specs

import (
	"fmt"
	"net/http"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/conformance/driver"
	. "github.com/hookcheck/hookcheck/conformance/framework"
)

// Spec area "crud", ids the target does not hold: no style returns a
// webhook for one, and each answers as the profile's --missing-id says
// (spec §2.2 R4, §9 #18).
var _ = Describe("crud", func() {
	if !Area() {
		return
	}
	ForStyles(driver.Styles, func(st driver.Style) {
		It("does not return a webhook for an unknown id", Clause("WH-CRUD-006", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			id := deletedID(s)
			got, err := s.D.Get(ctx, id)
			Expect(Absent(got, err)).To(BeTrue(), "Get of deleted id %d returned a webhook", id)
			if s.Profile().MissingID == "error" {
				ExpectRefused(err, fmt.Sprintf("Get of unknown id %d (--missing-id error)", id))
			}
		})
	})

	ForStyles(RPCStyles, func(st driver.Style) {
		It("answers GetWebhook of an unknown id with null", Clause("WH-CRUD-006", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			if s.Profile().MissingID != "null" {
				SkipBecause(fmt.Sprintf("the profile says GetWebhook of an unknown id need not answer null (--missing-id %s)", s.Profile().MissingID))
			}
			id := deletedID(s)
			got, err := s.D.Get(ctx, id)
			Expect(err).NotTo(HaveOccurred(), "%s GetWebhook of an unknown id answers null (§9 #18)", st)
			Expect(got).To(BeNil())
		})
	})

	Context("rest", func() {
		const st = driver.REST

		It("answers 404 and the error body to GET of an unknown id", Clause("WH-CRUD-006", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			if s.Profile().MissingID == "any" {
				SkipBecause("the profile does not pin the answer to an unknown id (--missing-id any)")
			}
			id := deletedID(s)
			_, err := s.D.Get(ctx, id)
			de := ExpectRefused(err, fmt.Sprintf("Get of unknown id %d", id))
			Expect(de.Status).To(Equal(http.StatusNotFound))
			ExpectErrorBody(de)
		})

		It("answers 404 to PUT, PATCH and DELETE of an unknown id", Clause("WH-CRUD-018", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			ch := s.Channel()
			id := deletedID(s)
			in := s.Hook(ch, func(w *driver.Webhook) { w.ID = id })
			_, putErr := s.D.Update(ctx, in)
			_, patchErr := s.D.Patch(ctx, id, driver.Patch{Merge: map[string]any{"Name": s.Name()}})
			delErr := s.D.Delete(ctx, id)
			for what, err := range map[string]error{"PUT": putErr, "PATCH": patchErr, "DELETE": delErr} {
				de := ExpectRefused(err, what+" of unknown id")
				if s.Profile().MissingID != "any" {
					Expect(de.Status).To(Equal(http.StatusNotFound), "%s of an unknown id", what)
				}
			}
			Expect(s.Stored(in.Name)).To(BeFalse(), "PUT of an unknown id created a webhook")
		})
	})
})

// deletedID returns the id of a webhook that existed and was deleted: an
// id the target surely does not hold.
func deletedID(s *Scenario) int32 {
	GinkgoHelper()
	ch := s.Channel()
	wh := s.CreateVia(s.REST, s.Hook(ch))
	Expect(s.REST.Delete(s.Ctx(), wh.ID)).To(Succeed(), "delete webhook %d", wh.ID)
	return wh.ID
}
