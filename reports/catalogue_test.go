package reports_test

import (
	"os"
	"path/filepath"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/reports"
)

var _ = Describe("LoadCatalogue", func() {
	It("reads the clauses in file order with all their fields", func() {
		cat := sampleCatalogue()
		Expect(cat).To(HaveLen(5))
		Expect(cat[0]).To(Equal(reports.Clause{ID: "WH-CRUD-001", Title: "Create returns the stored webhook with its new id.", Level: "MUST", Ref: "§2.2", Area: "crud"}))
		onl, ok := cat.Lookup("WH-ONL-001")
		Expect(ok).To(BeTrue())
		Expect(onl.Option).To(Equal("online"))
		_, ok = cat.Lookup("WH-NOPE-1")
		Expect(ok).To(BeFalse())
	})

	It("accepts an empty file as an empty catalogue", func() {
		cat, err := reports.ParseCatalogue([]byte("# nothing yet\n"))
		Expect(err).NotTo(HaveOccurred())
		Expect(cat).To(BeEmpty())
	})

	DescribeTable("rejects a bad catalogue with a clear error",
		func(yaml, want string) {
			_, err := reports.ParseCatalogue([]byte(yaml))
			Expect(err).To(MatchError(ContainSubstring(want)))
		},
		Entry("unknown field", "- {id: A-1, title: t, level: MUST, areaa: crud}", "field areaa not found"),
		Entry("missing id", "- {title: t, level: MUST}", "entry 1: missing id"),
		Entry("missing title", "- {id: A-1, level: MUST}", "entry 1 (A-1): missing title"),
		Entry("bad level", "- {id: A-1, title: t, level: MAY}", `level is "MAY", want MUST or SHOULD`),
		Entry("duplicate id", "- {id: A-1, title: t, level: MUST}\n- {id: A-1, title: u, level: SHOULD}", "entry 2 (A-1): duplicate id, first used by entry 1"),
		Entry("slash in id", "- {id: A/1, title: t, level: MUST}", "must not contain"),
		Entry("not a list", "id: A-1", "invalid YAML"),
	)

	It("names the file in errors and wraps a missing file's error", func() {
		dir := GinkgoT().TempDir()
		path := filepath.Join(dir, "clauses.yaml")
		Expect(os.WriteFile(path, []byte("- {id: A-1}"), 0o600)).To(Succeed())
		_, err := reports.LoadCatalogue(path)
		Expect(err).To(MatchError(ContainSubstring(path)))

		_, err = reports.LoadCatalogue(filepath.Join(dir, "missing.yaml"))
		Expect(err).To(MatchError(os.ErrNotExist))
	})
})
