package specs

import (
	"net/http"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/conformance/driver"
	. "github.com/hookcheck/hookcheck/conformance/framework"
)

// Spec area "crud", REST's PATCH: JSON Patch, Merge Patch, the test
// operation and If-Unmodified-Since (spec §2.2 R6, §2.3).
var _ = Describe("crud", func() {
	if !Area() {
		return
	}
	Context("rest", func() {
		const st = driver.REST

		It("applies a JSON Patch", Clause("WH-CRUD-012", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			ch := s.Channel()
			created := s.Create(s.Hook(ch, func(w *driver.Webhook) { w.Properties = map[string]any{"drop": "me"} }))
			name := s.Name()
			got, err := s.D.Patch(ctx, created.ID, driver.Patch{Ops: []driver.PatchOp{
				{Op: "replace", Path: "/Name", Value: name},
				{Op: "add", Path: "/ErrorsEmail", Value: "patched@example.com"},
				{Op: "remove", Path: "/Properties"},
			}})
			Expect(err).NotTo(HaveOccurred())
			Expect(got.Name).To(Equal(name))
			again := s.Get(created.ID)
			Expect(again.Name).To(Equal(name))
			Expect(again.ErrorsEmail).To(Equal("patched@example.com"))
			Expect(again.Properties).To(BeEmpty(), "remove /Properties cleared them: %s", again.Raw)
			Expect(again.Events).To(Equal(created.Events), "fields not patched keep their values")
		})

		It("matches JSON Patch paths case-insensitively, with or without a slash", Clause("WH-CRUD-013", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			ch := s.Channel()
			created := s.Create(s.Hook(ch))
			name := s.Name()
			_, err := s.D.Patch(ctx, created.ID, driver.Patch{Ops: []driver.PatchOp{
				{Op: "replace", Path: "name", Value: name},
				{Op: "replace", Path: "/ERRORSEMAIL", Value: "case@example.com"},
			}})
			Expect(err).NotTo(HaveOccurred())
			again := s.Get(created.ID)
			Expect(again.Name).To(Equal(name), `path "name" is /Name`)
			Expect(again.ErrorsEmail).To(Equal("case@example.com"), `path "/ERRORSEMAIL" is /ErrorsEmail`)
		})

		It("applies a Merge Patch", Clause("WH-CRUD-014", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			ch := s.Channel()
			created := s.Create(s.Hook(ch))
			name := s.Name()
			got, err := s.D.Patch(ctx, created.ID, driver.Patch{Merge: map[string]any{"Name": name, "ErrorsEmail": "merge@example.com"}})
			Expect(err).NotTo(HaveOccurred())
			Expect(got.Name).To(Equal(name))
			again := s.Get(created.ID)
			Expect(again.Name).To(Equal(name))
			Expect(again.ErrorsEmail).To(Equal("merge@example.com"))
			Expect(again.Events).To(Equal(created.Events))
			Expect(again.TargetURL).To(Equal(created.TargetURL))
		})

		It("answers 409 to a failing test operation and saves nothing", Clause("WH-CRUD-015", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			ch := s.Channel()
			created := s.Create(s.Hook(ch))
			_, err := s.D.Patch(ctx, created.ID, driver.Patch{Ops: []driver.PatchOp{
				{Op: "test", Path: "/Name", Value: created.Name + "-not"},
				{Op: "replace", Path: "/Name", Value: s.Name()},
			}})
			de := ExpectRefused(err, "PATCH with a failing test")
			Expect(de.Status).To(Equal(http.StatusConflict))
			Expect(s.Get(created.ID).Name).To(Equal(created.Name), "nothing was saved")
			_, err = s.D.Patch(ctx, created.ID, driver.Patch{Ops: []driver.PatchOp{
				{Op: "test", Path: "/Name", Value: created.Name},
				{Op: "add", Path: "/ErrorsEmail", Value: "tested@example.com"},
			}})
			Expect(err).NotTo(HaveOccurred(), "a passing test operation lets the patch through")
			Expect(s.Get(created.ID).ErrorsEmail).To(Equal("tested@example.com"))
		})

		It("refuses JSON Patch move and copy", Clause("WH-CRUD-016", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			ch := s.Channel()
			created := s.Create(s.Hook(ch))
			for _, op := range []string{"copy", "move"} {
				_, err := s.D.Patch(ctx, created.ID, driver.Patch{Ops: []driver.PatchOp{{Op: op, From: "/Name", Path: "/ErrorsEmail"}}})
				ExpectRefused(err, "PATCH "+op)
				again := s.Get(created.ID)
				Expect(again.Name).To(Equal(created.Name), "nothing was saved by %s", op)
				Expect(again.ErrorsEmail).To(BeEmpty(), "nothing was saved by %s", op)
			}
		})

		It("answers 412 to a PATCH with a stale If-Unmodified-Since", Clause("WH-CRUD-030", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			ch := s.Channel()
			created := s.Create(s.Hook(ch))
			stale := s.Get(created.ID).Registered.Add(-time.Hour)
			_, err := s.D.Patch(ctx, created.ID, driver.Patch{Merge: map[string]any{"Name": s.Name()}}, driver.IfUnmodifiedSince(stale))
			de := ExpectRefused(err, "PATCH with If-Unmodified-Since an hour before the last change")
			Expect(de.Status).To(Equal(http.StatusPreconditionFailed))
			Expect(s.Get(created.ID).Name).To(Equal(created.Name), "nothing was saved")
		})
	})
})
