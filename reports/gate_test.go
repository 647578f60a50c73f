package reports_test

import (
	"bytes"
	"os"
	"path/filepath"

	. "github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/reports"
)

var _ = Describe("Gate", func() {
	var run reports.Run
	BeforeEach(func() { run = sampleRun() })

	ids := func(specs []reports.Spec) []string {
		var out []string
		for _, s := range specs {
			out = append(out, s.ID)
		}
		return out
	}

	It("fails on failures nobody listed", func() {
		g := reports.Gate(run, nil)
		Expect(g.Pass).To(BeFalse())
		Expect(ids(g.UnexpectedFailures)).To(Equal([]string{
			"delivery/WH-DLV-004/rest/posts-json-with-the-headers",
			"retry/WH-RTY-002/rest/retries-a-500-after-1s-and-4s",
			"state-events/WH-STE-001/rest/emits-statechanged",
		}))
	})

	It("passes when every failure is listed by clause or spec ID", func() {
		ef, err := reports.LoadExpectedFailures(filepath.Join("testdata", "expected.yaml"))
		Expect(err).NotTo(HaveOccurred())
		g := reports.Gate(run, ef)
		Expect(g.UnexpectedFailures).To(BeEmpty())
		Expect(g.Stale).To(BeEmpty())
		Expect(g.ExpectedFailures).To(HaveLen(3))
		Expect(g.ExpectedFailures[0].Entry.Reason).To(HavePrefix("HOOK-12"))
		Expect(g.Pass).To(BeTrue())
	})

	It("fails on a stale entry whose specs all pass now", func() {
		ef := reports.ExpectedFailures{
			{ID: "WH-DLV-004", Reason: "r"}, {ID: "WH-RTY-002", Reason: "r"}, {ID: "WH-STE-001", Reason: "r"},
			{ID: "WH-CRUD-001", Reason: "fixed long ago"},
		}
		g := reports.Gate(run, ef)
		Expect(g.UnexpectedFailures).To(BeEmpty())
		Expect(g.Stale).To(Equal([]reports.ExpectedFailure{{ID: "WH-CRUD-001", Reason: "fixed long ago"}}))
		Expect(g.Pass).To(BeFalse())
	})

	It("does not call an entry stale when its specs did not run, but says so", func() {
		ef := reports.ExpectedFailures{
			{ID: "WH-DLV-004", Reason: "r"}, {ID: "WH-RTY-002", Reason: "r"}, {ID: "WH-STE-001", Reason: "r"},
			{ID: "WH-ONL-001", Reason: "pending"}, {ID: "WH-TYPO-1", Reason: "typo"},
		}
		g := reports.Gate(run, ef)
		Expect(g.Pass).To(BeTrue())
		Expect(g.NotRun).To(Equal([]reports.ExpectedFailure{{ID: "WH-ONL-001", Reason: "pending"}, {ID: "WH-TYPO-1", Reason: "typo"}}))
	})

	It("lets SHOULD failures through as advisory with MustOnly", func() {
		ef := reports.ExpectedFailures{{ID: "WH-DLV-004", Reason: "r"}, {ID: "WH-RTY-002", Reason: "r"}}
		Expect(reports.Gate(run, ef).Pass).To(BeFalse())
		g := reports.GateWithOptions(run, ef, reports.GateOptions{MustOnly: true})
		Expect(g.Pass).To(BeTrue())
		Expect(ids(g.Advisory)).To(Equal([]string{"state-events/WH-STE-001/rest/emits-statechanged"}))
	})

	It("fails on a suite-level failure", func() {
		r := sampleReport()
		r.SpecReports = r.SpecReports[:4]
		r.SpecialSuiteFailureReasons = []string{"Interrupted by User"}
		g := reports.Gate(reports.FromGinkgo(r, nil), nil)
		Expect(g.Pass).To(BeFalse())
		Expect(g.SuiteFailures).To(Equal([]string{"Interrupted by User"}))
	})

	It("prints one line per finding", func() {
		var buf bytes.Buffer
		ef := reports.ExpectedFailures{{ID: "WH-DLV-004", Reason: "HOOK-12"}, {ID: "WH-CRUD-001", Reason: "old"}}
		Expect(reports.Gate(run, ef).WriteText(&buf)).To(Succeed())
		Expect(buf.String()).To(HavePrefix("release gate: FAIL — 2 unexpected, 1 expected, 1 stale, 0 not run\n"))
		Expect(buf.String()).To(ContainSubstring("  UNEXPECTED  retry/WH-RTY-002/rest/retries-a-500-after-1s-and-4s  MUST: expected 3 attempts 1s and 4s apart\n"))
		Expect(buf.String()).To(ContainSubstring("  STALE       WH-CRUD-001 passes now"))
		Expect(buf.String()).To(ContainSubstring("  expected    delivery/WH-DLV-004/rest/posts-json-with-the-headers (HOOK-12)"))
	})

	It("counts a panicked spec as a failure", func() {
		r := sampleReport()
		r.SpecReports = types.SpecReports{failed(spec(nil, "x", types.SpecStatePanicked, "clause:WH-CRUD-001", "crud", "rest"), "boom")}
		Expect(reports.Gate(reports.FromGinkgo(r, nil), nil).UnexpectedFailures).To(HaveLen(1))
	})
})

var _ = Describe("LoadExpectedFailures", func() {
	DescribeTable("rejects a bad list with a clear error",
		func(yaml, want string) {
			_, err := reports.ParseExpectedFailures([]byte(yaml))
			Expect(err).To(MatchError(ContainSubstring(want)))
		},
		Entry("unknown field", "- {id: WH-DLV-004, reason: r, ticket: HOOK-1}", "field ticket not found"),
		Entry("no reason", "- {id: WH-DLV-004}", "entry 1 (WH-DLV-004): missing reason"),
		Entry("blank reason", "- {id: WH-DLV-004, reason: '  '}", "missing reason"),
		Entry("no id", "- {reason: r}", "entry 1: missing id"),
		Entry("duplicate", "- {id: A, reason: r}\n- {id: A, reason: s}", "entry 2 (A): duplicate id"),
		Entry("not a list", "{id: A, reason: r}", "invalid YAML"),
		Entry("broken YAML", "- id: [", "invalid YAML"),
	)

	It("accepts an empty file", func() {
		ef, err := reports.ParseExpectedFailures(nil)
		Expect(err).NotTo(HaveOccurred())
		Expect(ef).To(BeEmpty())
	})

	It("names the file in errors", func() {
		path := filepath.Join(GinkgoT().TempDir(), "expected.yaml")
		Expect(os.WriteFile(path, []byte("- {id: A}"), 0o600)).To(Succeed())
		_, err := reports.LoadExpectedFailures(path)
		Expect(err).To(MatchError(ContainSubstring(path)))
		_, err = reports.LoadExpectedFailures(path + ".missing")
		Expect(err).To(MatchError(os.ErrNotExist))
	})
})
