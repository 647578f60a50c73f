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
		Expect(buf.String()).To(HavePrefix("release gate: FAIL — 2 unexpected, 1 expected, 1 stale, 0 unmatched\n"))
		Expect(buf.String()).To(ContainSubstring("  UNEXPECTED  retry/WH-RTY-002/rest/retries-a-500-after-1s-and-4s  MUST: expected 3 attempts 1s and 4s apart; got 4 attempts\n"))
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

var _ = Describe("a filtered run", func() {
	// filtered is the sample run with the specs of WH-CRUD-001 and the
	// agents spec of WH-DLV-004 left out by a label filter.
	filtered := func() reports.Run {
		r := sampleReport()
		var kept, left types.SpecReports
		for _, sr := range r.SpecReports {
			labels := sr.Labels()
			if slicesContains(labels, "clause:WH-CRUD-001") || (slicesContains(labels, "clause:WH-DLV-004") && slicesContains(labels, "agents")) {
				left = append(left, sr)
				continue
			}
			kept = append(kept, sr)
		}
		r.SpecReports = kept
		run := reports.FromGinkgo(r, sampleCatalogue())
		run.MarkLeftOut("!crud", left)
		return run
	}
	expectAll := reports.ExpectedFailures{{ID: "WH-DLV-004", Reason: "r"}, {ID: "WH-RTY-002", Reason: "r"}, {ID: "WH-STE-001", Reason: "r"}}

	It("records the clauses it left out, wholly and in part", func() {
		run := filtered()
		Expect(run.LeftOut).To(Equal(&reports.LeftOut{Filter: "!crud", Specs: 4, Clauses: []string{"WH-CRUD-001"}, Partly: []string{"WH-DLV-004"}}))
		Expect(clauseByID(run, "WH-CRUD-001").LeftOut).To(BeTrue())
		Expect(clauseByID(run, "WH-CRUD-001").Status).To(Equal(reports.StatusNA))
		Expect(clauseByID(run, "WH-DLV-004").LeftOut).To(BeFalse())
		Expect(run.LeftOut.Summary()).To(Equal("--label-filter '!crud' left out 4 specs: 1 clause not run, 1 run in part"))
	})

	It("is PARTIAL and passes the gate, unless --require-all", func() {
		run := filtered()
		g := reports.Gate(run, expectAll)
		Expect(g.Verdict).To(Equal(reports.VerdictPartial))
		Expect(g.Pass).To(BeTrue())
		var buf bytes.Buffer
		Expect(g.WriteText(&buf)).To(Succeed())
		Expect(buf.String()).To(HavePrefix("release gate: PARTIAL — 0 unexpected, 3 expected, 0 stale, 0 unmatched\n"))
		Expect(buf.String()).To(ContainSubstring("  PARTIAL     --label-filter '!crud' left out 4 specs: 1 clause not run, 1 run in part\n"))
		Expect(buf.String()).To(ContainSubstring("  left out    WH-CRUD-001\n"))
		Expect(buf.String()).To(ContainSubstring("  in part     WH-DLV-004\n"))

		strict := reports.GateWithOptions(run, expectAll, reports.GateOptions{RequireAll: true})
		Expect(strict.Verdict).To(Equal(reports.VerdictPartial))
		Expect(strict.Pass).To(BeFalse())
		buf.Reset()
		Expect(strict.WriteText(&buf)).To(Succeed())
		Expect(buf.String()).To(HavePrefix("release gate: PARTIAL — 0 unexpected, 3 expected, 0 stale, 0 unmatched (--require-all: fails)\n"))
	})

	It("is FAIL, not PARTIAL, when something failed", func() {
		g := reports.Gate(filtered(), nil)
		Expect(g.Verdict).To(Equal(reports.VerdictFail))
		Expect(g.Pass).To(BeFalse())
	})

	It("is PASS when nothing was left out", func() {
		run := sampleRun()
		run.MarkLeftOut("x", nil)
		Expect(run.LeftOut).To(BeNil())
		g := reports.GateWithOptions(run, expectAll, reports.GateOptions{RequireAll: true})
		Expect(g.Verdict).To(Equal(reports.VerdictPass))
		Expect(g.Pass).To(BeTrue())
	})

	It("calls expected-failure entries whose specs did not run unmatched, never \"not run\"", func() {
		var buf bytes.Buffer
		ef := append(append(reports.ExpectedFailures{}, expectAll...), reports.ExpectedFailure{ID: "WH-CRUD-001", Reason: "filtered"})
		Expect(reports.Gate(filtered(), ef).WriteText(&buf)).To(Succeed())
		Expect(buf.String()).To(ContainSubstring(", 1 unmatched\n"))
		Expect(buf.String()).To(ContainSubstring("  unmatched   WH-CRUD-001 matched no spec that ran"))
		Expect(buf.String()).NotTo(ContainSubstring("not run  "))
	})

	It("shows the left-out clauses in summary.md and report.html", func() {
		run := filtered()
		var md bytes.Buffer
		Expect(reports.WriteSummary(&md, run)).To(Succeed())
		Expect(md.String()).To(ContainSubstring("> **Partial run:** --label-filter '!crud' left out 4 specs: 1 clause not run, 1 run in part. Left out: WH-CRUD-001. In part: WH-DLV-004."))
		page := renderHTML(run)
		Expect(page).To(ContainSubstring(`<span id="partial" class="skip">(partial run)</span>`))
		Expect(page).To(ContainSubstring(`<div class="partial-note" id="left-out">Partial run: --label-filter &#39;!crud&#39; left out 4 specs`))
		_, cells, _ := parseMatrix(page)
		Expect(cells["WH-CRUD-001"][0].Title).To(Equal("WH-CRUD-001 in rest: left out by the label filter"))
		Expect(page).To(MatchRegexp(`<td class="cell na">left out</td>`))
	})

	DescribeTable("CompactIDs folds runs of numbers",
		func(ids []string, want string) { Expect(reports.CompactIDs(ids)).To(Equal(want)) },
		Entry("a run", []string{"WH-CRUD-001", "WH-CRUD-002", "WH-CRUD-003"}, "WH-CRUD-001–003"),
		Entry("gaps and prefixes", []string{"WH-CRUD-001", "WH-CRUD-002", "WH-CRUD-004", "WH-DLV-005", "WH-DLV-006"}, "WH-CRUD-001–002, WH-CRUD-004, WH-DLV-005–006"),
		Entry("odd ids", []string{"X", "WH-A-1", "WH-A-2", "WEIRD-x"}, "X, WH-A-1–2, WEIRD-x"),
		Entry("none", nil, ""),
	)
})

func slicesContains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
