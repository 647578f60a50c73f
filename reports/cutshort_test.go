package reports_test

import (
	"bytes"
	"encoding/xml"
	"os"
	"path/filepath"

	. "github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/reports"
)

// The states a run, not the target, decides (interrupted, not run), the
// run that did not start, and the clauses not checked for want of a
// capability.
var _ = Describe("specs the run cut short", func() {
	cutShortRun := func() reports.Run {
		r := types.Report{SuiteDescription: "s", StartTime: t0, SpecReports: []types.SpecReport{
			spec([]string{"crud"}, "passes", types.SpecStatePassed, "clause:WH-CRUD-001", "rest"),
			withEntry(failed(spec([]string{"delivery"}, "was waiting", types.SpecStateFailed, "clause:WH-DLV-004", "rest"), "context canceled"),
				reports.InterruptedEntry, "the run was interrupted"),
			spec([]string{"retry"}, "was cut by Ginkgo", types.SpecStateInterrupted, "clause:WH-RTY-002", "rest"),
			withEntry(spec([]string{"state"}, "never started", types.SpecStateSkipped, "clause:WH-STE-001", "rest"),
				reports.NotRunEntry, "the target stopped answering at 12:00:01, after 3 of 5 specs"),
			withEntry(spec([]string{"online"}, "needs Online", types.SpecStateSkipped, "clause:WH-ONL-001", "rest"),
				reports.SkipReasonEntry, "on-site (pass --online)"),
		}}
		run := reports.FromGinkgo(r, sampleCatalogue())
		run.Interrupted = true
		return run
	}

	It("counts interrupted and not-run specs apart from failures and skips", func() {
		run := cutShortRun()
		states := map[string]reports.State{}
		for _, s := range run.Specs {
			states[s.Clause] = s.State
		}
		Expect(states).To(Equal(map[string]reports.State{"WH-CRUD-001": "passed", "WH-DLV-004": "interrupted",
			"WH-RTY-002": "interrupted", "WH-STE-001": "notrun", "WH-ONL-001": "skipped"}))
		Expect(run.Totals).To(totalsWith(run.Totals, 1, 0, 1, 2, 1))
		Expect(run.Failures()).To(BeEmpty())
		Expect(run.Specs[1].SkipReason).To(Equal("the run was interrupted"))
		Expect(run.Specs[1].Failure).To(BeNil(), "an interrupted spec carries no failure")
	})

	It("says INTERRUPTED in the gate, which does not pass, and lists the not-checked clauses", func() {
		g := reports.GateWithOptions(cutShortRun(), nil, reports.GateOptions{MustOnly: true})
		Expect(g.Verdict).To(Equal(reports.VerdictInterrupted))
		Expect(g.Pass).To(BeFalse())
		Expect(g.UnexpectedFailures).To(BeEmpty())
		var text bytes.Buffer
		Expect(g.WriteText(&text)).To(Succeed())
		Expect(text.String()).To(HavePrefix("release gate: INTERRUPTED — 0 unexpected"))
		Expect(text.String()).To(ContainSubstring("\n  not checked WH-ONL-001 — pass --online to check them\n"))
	})

	DescribeTable("lists a clause skipped for want of a capability with the flag that checks it",
		func(option, flag string) {
			cat := reports.Catalogue{{ID: "WH-CAP-001", Title: "t", Level: reports.LevelMust, Ref: "§1", Area: "crud", Option: option}}
			r := types.Report{SuiteDescription: "s", StartTime: t0, SpecReports: []types.SpecReport{
				withEntry(spec([]string{"crud"}, "needs it", types.SpecStateSkipped, "clause:WH-CAP-001", "rest"), reports.SkipReasonEntry, "off"),
			}}
			var text bytes.Buffer
			Expect(reports.Gate(reports.FromGinkgo(r, cat), nil).WriteText(&text)).To(Succeed())
			Expect(text.String()).To(ContainSubstring("  not checked WH-CAP-001 — pass " + flag + " to check them\n"))
		},
		Entry("e-mail", "smtp-captured", "--smtp-captured"),
		Entry("Online", "online", "--online"),
		Entry("v12.1", "v121", "--v121"),
		Entry("certificate revocation", "check-revocation", "--check-revocation"),
	)

	It("fails the gate of a run whose target stopped answering, naming when", func() {
		run := cutShortRun()
		run.Interrupted = false
		run.TargetStopped = "the target stopped answering at 12:00:01, after 3 of 5 specs"
		g := reports.Gate(run, nil)
		Expect(g.Verdict).To(Equal(reports.VerdictFail))
		var text bytes.Buffer
		Expect(g.WriteText(&text)).To(Succeed())
		Expect(text.String()).To(ContainSubstring("  STOPPED     the target stopped answering at 12:00:01, after 3 of 5 specs\n"))
	})

	It("writes interrupted and not-run specs as skipped JUnit cases with their state, never as failures", func() {
		var b bytes.Buffer
		Expect(reports.WriteJUnit(&b, cutShortRun())).To(Succeed())
		var doc reports.JUnitTestSuites
		Expect(xml.Unmarshal(b.Bytes(), &doc)).To(Succeed())
		Expect(doc.Failures + doc.Errors).To(BeZero())
		Expect(doc.Skipped).To(Equal(4))
		Expect(b.String()).To(ContainSubstring(`<skipped message="notrun: the target stopped answering at 12:00:01, after 3 of 5 specs">`))
		Expect(b.String()).To(ContainSubstring(`<property name="state" value="interrupted">`))
	})

	It("shows the cut-short specs in summary.md and report.html apart from the skipped ones", func() {
		var md, page bytes.Buffer
		Expect(reports.WriteSummary(&md, cutShortRun())).To(Succeed())
		Expect(md.String()).To(HavePrefix("## hookcheck conformance: ⏹️ interrupted"))
		Expect(md.String()).To(ContainSubstring("### Not run or interrupted (3)"))
		Expect(md.String()).To(ContainSubstring("### Skipped (1)"))
		Expect(md.String()).To(ContainSubstring("**Not checked**"))
		Expect(reports.WriteHTML(&page, cutShortRun())).To(Succeed())
		Expect(page.String()).To(ContainSubstring(`<span id="verdict" class="fail">INTERRUPTED</span>`))
		Expect(page.String()).To(ContainSubstring(`id="not-checked"`))
	})

	It("writes a run that did not start as one entry, the reason, in every format", func() {
		dir := GinkgoT().TempDir()
		run := reports.NotStartedRun("preflight: cannot reach the rest front end at http://127.0.0.1:1", t0)
		_, err := reports.WriteFormats(dir, run, reports.AllFormats)
		Expect(err).NotTo(HaveOccurred())
		back, err := reports.ReadRun(filepath.Join(dir, "report.json"))
		Expect(err).NotTo(HaveOccurred())
		Expect(back.NotStarted).To(Equal(run.NotStarted))
		Expect(reports.Gate(back, nil).Pass).To(BeFalse())
		data, err := os.ReadFile(filepath.Join(dir, "junit.xml"))
		Expect(err).NotTo(HaveOccurred())
		var doc reports.JUnitTestSuites
		Expect(xml.Unmarshal(data, &doc)).To(Succeed())
		Expect(doc.Tests).To(Equal(1))
		Expect(doc.Errors).To(Equal(1))
		Expect(doc.Suites[0].Cases[0].Error.Message).To(Equal(run.NotStarted))
		md, err := os.ReadFile(filepath.Join(dir, "summary.md"))
		Expect(err).NotTo(HaveOccurred())
		Expect(string(md)).To(ContainSubstring("did not start"))
	})
})

var _ = Describe("CheckWritable", func() {
	It("creates the directory and leaves nothing behind", func() {
		dir := filepath.Join(GinkgoT().TempDir(), "a", "b")
		Expect(reports.CheckWritable(dir, reports.AllFormats)).To(Succeed())
		entries, err := os.ReadDir(dir)
		Expect(err).NotTo(HaveOccurred())
		Expect(entries).To(BeEmpty())
	})

	It("accepts report files that are there from an earlier run", func() {
		dir := GinkgoT().TempDir()
		Expect(os.WriteFile(filepath.Join(dir, "report.json"), []byte("{}"), 0o444)).To(Succeed())
		Expect(reports.CheckWritable(dir, reports.AllFormats)).To(Succeed())
	})

	It("names a report path a directory takes", func() {
		dir := GinkgoT().TempDir()
		Expect(os.Mkdir(filepath.Join(dir, "junit.xml"), 0o755)).To(Succeed())
		err := reports.CheckWritable(dir, reports.AllFormats)
		Expect(err).To(MatchError(ContainSubstring(filepath.Join(dir, "junit.xml"))))
	})

	It("names a directory it cannot create", func() {
		file := filepath.Join(GinkgoT().TempDir(), "file")
		Expect(os.WriteFile(file, nil, 0o600)).To(Succeed())
		Expect(reports.CheckWritable(filepath.Join(file, "dir"), reports.AllFormats)).To(MatchError(ContainSubstring(file)))
	})
})

// totalsWith matches totals by passed, failed, skipped, interrupted and
// not run.
func totalsWith(t reports.Totals, passed, failed, skipped, interrupted, notRun int) OmegaMatcher {
	want := t
	want.Passed, want.Failed, want.Skipped, want.Interrupted, want.NotRun = passed, failed, skipped, interrupted, notRun
	return Equal(want)
}

var _ = Describe("report diff across report.json versions", func() {
	It("compares a report written before the cut-short states with a new one", func() {
		old := []byte(`{"schema": 1, "suite": "s", "styles": ["rest"],
			"specs": [
				{"id": "crud/WH-CRUD-001/rest/a", "name": "a", "clause": "WH-CRUD-001", "level": "MUST", "area": "crud", "style": "rest", "state": "passed"},
				{"id": "delivery/WH-DLV-004/rest/b", "name": "b", "clause": "WH-DLV-004", "level": "MUST", "area": "delivery", "style": "rest", "state": "interrupted",
				 "failure": {"message": "Interrupted by User"}}],
			"clauses": []}`)
		oldRun, err := reports.ParseRun(old)
		Expect(err).NotTo(HaveOccurred())
		Expect(oldRun.Totals.Interrupted).To(Equal(1), "an old interrupted spec is read as interrupted, not failed")
		newRun := oldRun
		newRun.Specs = []reports.Spec{oldRun.Specs[0], oldRun.Specs[1]}
		newRun.Specs[0].State = reports.StateNotRun
		newRun.Specs[1].State, newRun.Specs[1].Failure = reports.StatePassed, nil
		newRun.TargetStopped = "the target stopped answering at 12:00:01, after 1 of 2 specs"
		var b bytes.Buffer
		Expect(reports.WriteJSON(&b, newRun)).To(Succeed())
		back, err := reports.ParseRun(b.Bytes())
		Expect(err).NotTo(HaveOccurred())
		d := reports.Diff(oldRun, back)
		Expect(d.Regressions).To(BeEmpty(), "a spec the run did not start is no regression")
		Expect(d.Changed).To(HaveLen(2))
		Expect(back.Totals.NotRun).To(Equal(1))
	})
})
