package specs

import (
	"fmt"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/conformance/driver"
	. "github.com/hookcheck/hookcheck/conformance/framework"
)

// Spec area "crud", refused saves and of the error body a refusal carries
// (spec §2.1, §2.2).
var _ = Describe("crud", func() {
	if !Area() {
		return
	}
	ForStyles(driver.Styles, func(st driver.Style) {
		It("refuses a save with empty Events", Clause("WH-CRUD-020", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			if !s.Profile().RequiredFields {
				SkipBecause("the profile says the target accepts empty Events (--required-fields=false)")
			}
			ch := s.Channel()
			for _, events := range [][]string{nil, {}} {
				in := s.Hook(ch, func(w *driver.Webhook) { w.Events = events })
				_, err := s.TryCreate(nil, in)
				de := ExpectRefused(err, fmt.Sprintf("save with Events %v", events))
				ExpectErrorBody(de)
				Expect(s.Stored(in.Name)).To(BeFalse(), "the refused webhook was stored")
			}
		})

		It("refuses a webhook without TargetUrl", Clause("WH-CRUD-021", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			if !s.Profile().RequiredFields {
				SkipBecause("the profile says the target accepts an empty TargetUrl (--required-fields=false)")
			}
			in := s.Hook(nil)
			_, err := s.TryCreate(nil, in)
			de := ExpectRefused(err, "save without TargetUrl")
			ExpectErrorBody(de)
			Expect(s.Stored(in.Name)).To(BeFalse(), "the refused webhook was stored")
		})
	})

	ForStyles([]driver.Style{driver.REST, driver.Agents}, func(st driver.Style) {
		It("reports errors with the documented error body", Clause("WH-CRUD-022", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			_, err := s.TryCreate(nil, s.Hook(nil, func(w *driver.Webhook) { w.Events = nil }))
			ExpectErrorBody(ExpectRefused(err, "save without Events or TargetUrl"))
		})
	})

	Context("rest", func() {
		const st = driver.REST

		It("reports a GET of an unknown id with the documented error body", Clause("WH-CRUD-022", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			_, err := s.D.Get(ctx, deletedID(s))
			ExpectErrorBody(ExpectRefused(err, "REST GET of an unknown id"))
		})
	})
})
