package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"time"

	. "github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/reporters"
	"github.com/onsi/ginkgo/v2/types"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/cmd/hookcheck/cli"
	"github.com/hookcheck/hookcheck/reports"
)

// reportOutcome is what one "hookcheck report" invocation produced.
type reportOutcome struct {
	code           int
	stdout, stderr string
}

// hookcheckReport runs hookcheck in process; report commands never block,
// so it calls cli.Run directly.
func hookcheckReport(environ []string, args ...string) reportOutcome {
	var out, errOut bytes.Buffer
	code := cli.Run(context.Background(), args, environ, &out, &errOut)
	return reportOutcome{code, out.String(), errOut.String()}
}

// reportGinkgo is a small suite report: the given states for clause
// WH-DLV-001 in rest, agents and soap, in that order.
func reportGinkgo(states ...types.SpecState) types.Report {
	t0 := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	r := types.Report{SuiteDescription: "cli test", StartTime: t0, RunTime: time.Second}
	for i, st := range states {
		sr := types.SpecReport{
			LeafNodeType:   types.NodeTypeIt,
			LeafNodeText:   "delivers",
			LeafNodeLabels: []string{"clause:WH-DLV-001", "level:MUST", "delivery", reports.Styles[i]},
			State:          st,
		}
		if st == types.SpecStateFailed {
			sr.Failure = types.Failure{Message: "got 500"}
		}
		r.SpecReports = append(r.SpecReports, sr)
	}
	return r
}

// saveReportRun writes a report.json for the states into dir.
func saveReportRun(dir, name string, states ...types.SpecState) string {
	GinkgoHelper()
	var buf bytes.Buffer
	Expect(reports.WriteJSON(&buf, reports.FromGinkgo(reportGinkgo(states...), nil))).To(Succeed())
	return saveReportFile(dir, name, buf.String())
}

func saveReportFile(dir, name, content string) string {
	GinkgoHelper()
	path := filepath.Join(dir, name)
	Expect(os.WriteFile(path, []byte(content), 0o600)).To(Succeed())
	return path
}

var _ = Describe("hookcheck report", func() {
	var dir, runFile, out string
	BeforeEach(func() {
		dir = GinkgoT().TempDir()
		runFile = saveReportRun(dir, "run.json", types.SpecStatePassed, types.SpecStateFailed, types.SpecStateSkipped)
		out = filepath.Join(dir, "out")
	})

	It("explains itself and the diff subcommand with --help", func() {
		r := hookcheckReport(nil, "report", "--help")
		Expect(r.code).To(Equal(cli.ExitOK))
		Expect(r.stdout).To(HavePrefix("Usage: hookcheck report [flags] RUN.json\n"))
		Expect(r.stdout).To(ContainSubstring("hookcheck report diff [--json] OLD.json NEW.json"))
		for _, f := range []string{"--format", "--out", "--catalogue", "--expected-failures"} {
			Expect(r.stdout).To(ContainSubstring(f))
		}

		r = hookcheckReport(nil, "report", "diff", "-h")
		Expect(r.code).To(Equal(cli.ExitOK))
		Expect(r.stdout).To(HavePrefix("Usage: hookcheck report diff [flags] OLD.json NEW.json\n"))
		Expect(r.stdout).To(ContainSubstring("--json"))

		Expect(hookcheckReport(nil, "--help").stdout).To(MatchRegexp(`(?m)^  report +render a saved run`))
	})

	It("re-renders the formats asked for, with flags after the run file", func() {
		r := hookcheckReport(nil, "report", runFile, "--out", out, "--format", "html,md")
		Expect(r.code).To(Equal(cli.ExitOK), r.stderr)
		Expect(r.stdout).To(ContainSubstring("3 specs: 1 passed, 1 failed (1 MUST, 0 SHOULD), 1 skipped"))
		Expect(r.stdout).To(ContainSubstring("wrote " + filepath.Join(out, "report.html")))
		Expect(filepath.Join(out, "report.html")).To(BeARegularFile())
		Expect(filepath.Join(out, "summary.md")).To(BeARegularFile())
		Expect(filepath.Join(out, "junit.xml")).NotTo(BeAnExistingFile())
	})

	It("writes every format by default, into $HOOKCHECK_OUT, and takes a file name after --", func() {
		dashed := saveReportRun(dir, "-run.json", types.SpecStatePassed, types.SpecStateFailed)
		r := hookcheckReport([]string{"HOOKCHECK_OUT=" + out}, "report", "--", dashed)
		Expect(r.code).To(Equal(cli.ExitOK), r.stderr)
		for _, f := range []string{"report.json", "junit.xml", "summary.md", "report.html"} {
			Expect(filepath.Join(out, f)).To(BeARegularFile())
		}
		back, err := reports.ReadRun(filepath.Join(out, "report.json"))
		Expect(err).NotTo(HaveOccurred())
		Expect(back.Totals.Failed).To(Equal(1))
	})

	It("converts a Ginkgo JSON report with the clause catalogue", func() {
		gj := filepath.Join(dir, "ginkgo.json")
		Expect(reporters.GenerateJSONReport(reportGinkgo(types.SpecStatePassed, types.SpecStatePassed), gj)).To(Succeed())
		cat := saveReportFile(dir, "clauses.yaml", "- {id: WH-DLV-001, title: Deliveries are POSTs, level: MUST, area: delivery}\n")
		r := hookcheckReport(nil, "report", "--catalogue", cat, "--out", out, "--format", "json", gj)
		Expect(r.code).To(Equal(cli.ExitOK), r.stderr)
		run, err := reports.ReadRun(filepath.Join(out, "report.json"))
		Expect(err).NotTo(HaveOccurred())
		Expect(run.Clauses).To(HaveLen(1))
		Expect(run.Clauses[0].Title).To(Equal("Deliveries are POSTs"))
		Expect(run.Clauses[0].Styles).To(HaveKeyWithValue("soap", reports.StatusNA))
	})

	Describe("--expected-failures", func() {
		var listed string
		BeforeEach(func() {
			listed = saveReportFile(dir, "listed.yaml", "- {id: WH-DLV-001, reason: HOOK-1}\n")
		})

		It("exits 0 when every failure is listed", func() {
			r := hookcheckReport(nil, "report", "--out", out, "--expected-failures", listed, runFile)
			Expect(r.code).To(Equal(cli.ExitOK), r.stdout+r.stderr)
			Expect(r.stdout).To(ContainSubstring("release gate: PASS"))
		})

		It("exits 1 on an unlisted failure", func() {
			empty := saveReportFile(dir, "empty.yaml", "[]\n")
			r := hookcheckReport(nil, "report", "--out", out, "--expected-failures", empty, runFile)
			Expect(r.code).To(Equal(cli.ExitFailed))
			Expect(r.stdout).To(ContainSubstring("UNEXPECTED  delivery/WH-DLV-001/agents/delivers"))
		})

		It("exits 1 on a stale entry", func() {
			green := saveReportRun(dir, "green.json", types.SpecStatePassed, types.SpecStatePassed)
			r := hookcheckReport(nil, "report", "--out", out, "--expected-failures", listed, green)
			Expect(r.code).To(Equal(cli.ExitFailed))
			Expect(r.stdout).To(ContainSubstring("STALE       WH-DLV-001"))
		})

		It("exits 2 on an entry without a reason", func() {
			bad := saveReportFile(dir, "bad.yaml", "- {id: WH-DLV-001}\n")
			r := hookcheckReport(nil, "report", "--out", out, "--expected-failures", bad, runFile)
			Expect(r.code).To(Equal(cli.ExitUsage))
			Expect(r.stderr).To(ContainSubstring("missing reason"))
			Expect(out).NotTo(BeAnExistingFile(), "nothing is written on bad usage")
		})
	})

	DescribeTable("exits 2 with a one-line reason on bad usage or unreadable files",
		func(args func() []string, want string) {
			r := hookcheckReport(nil, args()...)
			Expect(r.code).To(Equal(cli.ExitUsage), r.stdout)
			Expect(r.stderr).To(ContainSubstring(want))
		},
		Entry("no run file", func() []string { return []string{"report"} }, "missing argument: want RUN.json"),
		Entry("two run files", func() []string { return []string{"report", runFile, runFile} }, "unexpected argument"),
		Entry("an unknown flag", func() []string { return []string{"report", "--colour", runFile} }, "flag provided but not defined: -colour"),
		Entry("an unknown format", func() []string { return []string{"report", "--format", "pdf", runFile} }, `--format: unknown format "pdf"`),
		Entry("a missing file", func() []string { return []string{"report", filepath.Join(dir, "nope.json")} }, "no such file"),
		Entry("not a report", func() []string { return []string{"report", saveReportFile(dir, "g.json", "{nope")} }, "not a hookcheck report.json"),
		Entry("a missing list", func() []string {
			return []string{"report", "--expected-failures", filepath.Join(dir, "nope.yaml"), runFile}
		}, "no such file"),
		Entry("diff with one file", func() []string { return []string{"report", "diff", runFile} }, "missing argument: want OLD.json NEW.json"),
		Entry("diff with three files", func() []string { return []string{"report", "diff", runFile, runFile, runFile} }, "unexpected argument"),
		Entry("diff with a missing file", func() []string { return []string{"report", "diff", runFile, filepath.Join(dir, "nope.json")} }, "no such file"),
		Entry("diff with garbage", func() []string { return []string{"report", "diff", saveReportFile(dir, "g.json", "[1"), runFile} }, "Ginkgo report"),
		Entry("other commands still take no arguments", func() []string { return []string{"receive", "extra"} }, `unexpected argument "extra" (flags start with --)`),
	)
})

var _ = Describe("hookcheck report diff", func() {
	var dir, old string
	BeforeEach(func() {
		dir = GinkgoT().TempDir()
		old = saveReportRun(dir, "old.json", types.SpecStatePassed, types.SpecStateFailed)
	})

	It("prints the fixes and exits 0 without regressions", func() {
		fixed := saveReportRun(dir, "fixed.json", types.SpecStatePassed, types.SpecStatePassed)
		r := hookcheckReport(nil, "report", "diff", old, fixed)
		Expect(r.code).To(Equal(cli.ExitOK), r.stderr)
		Expect(r.stdout).To(Equal("0 regressions, 1 fix, 0 changed, 0 new, 0 removed\nFIX         delivery/WH-DLV-001/agents/delivers  failed → passed\n"))
	})

	It("prints the regressions and exits 1", func() {
		broken := saveReportRun(dir, "broken.json", types.SpecStateFailed, types.SpecStateFailed, types.SpecStatePassed)
		r := hookcheckReport(nil, "report", "diff", old, broken)
		Expect(r.code).To(Equal(cli.ExitFailed))
		Expect(r.stdout).To(ContainSubstring("REGRESSION  delivery/WH-DLV-001/rest/delivers  passed → failed: got 500"))
		Expect(r.stdout).To(ContainSubstring("NEW         delivery/WH-DLV-001/soap/delivers"))

		r = hookcheckReport(nil, "report", "diff", "--json", old, broken)
		Expect(r.code).To(Equal(cli.ExitFailed))
		var d reports.DiffResult
		Expect(json.Unmarshal([]byte(r.stdout), &d)).To(Succeed())
		Expect(d.Regressions).To(HaveLen(1))
		Expect(d.New).To(HaveLen(1))
	})

	It("prints empty JSON lists for identical runs", func() {
		r := hookcheckReport(nil, "report", "diff", old, old, "--json")
		Expect(r.code).To(Equal(cli.ExitOK))
		Expect(r.stdout).To(ContainSubstring(`"regressions": []`))
		Expect(r.stdout).To(ContainSubstring(`"fixes": []`))
	})
})
