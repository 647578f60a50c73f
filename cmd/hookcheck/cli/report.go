package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"

	"github.com/hookcheck/hookcheck/reports"
)

// defaultCatalogue is where the clause catalogue lives in a checkout.
const defaultCatalogue = "fixtures/clauses.yaml"

func runReport(ctx context.Context, e *env, args []string) int {
	if len(args) > 0 && args[0] == "diff" {
		return runReportDiff(e, args[1:])
	}
	fs := newFlagSet("report", `Renders a saved run (the report.json of "hookcheck run --report-dir") again:
report.json, junit.xml, summary.md and report.html, into --out. RUN may
also be a Ginkgo JSON report (ginkgo --json-report), converted with the
clause catalogue. With --expected-failures the release gate is applied:
exit 1 if a failure is not listed or a listed one passes now (stale).

Compare two runs:
  hookcheck report diff [--json] OLD.json NEW.json
prints regressions (passed before, failing now) and fixes; exit 1 when
there are regressions, 0 otherwise, 2 on bad usage or unreadable files.`)
	fs.argsUsage = "RUN.json"
	formats := "json,junit,md,html"
	var out, catalogue, expectedFile string
	fs.StringVar(&formats, "format", formats, "comma-separated `formats` to write: json, junit, md, html (or all)")
	fs.StringVar(&out, "out", "hookcheck-report", "`directory` to write the files to (created if missing)")
	fs.StringVar(&catalogue, "catalogue", "", "clause catalogue `file` for a Ginkgo JSON report, or to re-apply to a report.json (default "+defaultCatalogue+" when present)")
	fs.StringVar(&expectedFile, "expected-failures", "", "YAML `file` listing accepted failures ({id, reason}); apply the release gate")
	pos, err := fs.parseArgs(e, args, 1, 1)
	if err != nil {
		if errors.Is(err, errHelp) {
			return ExitOK
		}
		return usageError(e, "report", err)
	}
	fmts, err := reports.ParseFormats(formats)
	if err != nil {
		return usageError(e, "report", fmt.Errorf("--format: %w", err))
	}
	var expected reports.ExpectedFailures
	if expectedFile != "" {
		if expected, err = reports.LoadExpectedFailures(expectedFile); err != nil {
			return usageError(e, "report", err)
		}
	}
	run, err := loadRun(e, pos[0], catalogue)
	if err != nil {
		return usageError(e, "report", err)
	}
	paths, err := reports.WriteFormats(out, run, fmts)
	if err != nil {
		return usageError(e, "report", err)
	}
	t := run.Totals
	fmt.Fprintf(e.stdout, "%d specs: %d passed, %d failed (%d MUST, %d SHOULD), %d skipped\n",
		t.Specs, t.Passed, t.Failed, t.MustFailed, t.ShouldFailed, t.Skipped)
	for _, p := range paths {
		fmt.Fprintf(e.stdout, "wrote %s\n", p)
	}
	if expectedFile == "" {
		return ExitOK
	}
	gate := reports.Gate(run, expected)
	if err := gate.WriteText(e.stdout); err != nil {
		return usageError(e, "report", err)
	}
	if !gate.Pass {
		return ExitFailed
	}
	return ExitOK
}

func runReportDiff(e *env, args []string) int {
	fs := newFlagSet("report diff", `Compares two saved runs spec by spec (by spec ID) and prints the
regressions (passed in OLD, failing in NEW), the fixes (the reverse), state
changes, new and removed specs. Exit 1 when there are regressions, 0
otherwise, 2 on bad usage or unreadable files.`)
	fs.argsUsage = "OLD.json NEW.json"
	var asJSON bool
	fs.BoolVar(&asJSON, "json", false, "print the diff as JSON {regressions, fixes, new, removed, changed}")
	pos, err := fs.parseArgs(e, args, 2, 2)
	if err != nil {
		if errors.Is(err, errHelp) {
			return ExitOK
		}
		return usageError(e, "report diff", err)
	}
	var runs [2]reports.Run
	for i, p := range pos {
		if runs[i], err = loadRun(e, p, ""); err != nil {
			return usageError(e, "report diff", err)
		}
	}
	d := reports.Diff(runs[0], runs[1])
	if asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		err = enc.Encode(d)
	} else {
		err = d.WriteText(e.stdout)
	}
	if err != nil {
		return usageError(e, "report diff", err)
	}
	if d.HasRegressions() {
		return ExitFailed
	}
	return ExitOK
}

// loadRun reads a report.json, or converts a Ginkgo JSON report (a list)
// with the clause catalogue. An explicit catalogue is also re-applied to a
// report.json, so a run can be shown against an updated catalogue.
func loadRun(e *env, path, catalogue string) (reports.Run, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return reports.Run{}, fmt.Errorf("read run: %w", err)
	}
	if trimmed := bytes.TrimSpace(data); len(trimmed) == 0 || trimmed[0] != '[' {
		run, err := reports.ParseRun(data)
		if err != nil {
			return reports.Run{}, fmt.Errorf("%s: %w", path, err)
		}
		if catalogue != "" {
			cat, err := reports.LoadCatalogue(catalogue)
			if err != nil {
				return reports.Run{}, err
			}
			run.Clauses = reports.BuildClauses(cat, run.Specs, run.Styles)
			run.Totals = reports.Count(run.Specs, run.Clauses)
		}
		return run, nil
	}
	rs, err := reports.ReadGinkgoJSON(path)
	if err != nil {
		return reports.Run{}, err
	}
	var cat reports.Catalogue
	switch {
	case catalogue != "":
		if cat, err = reports.LoadCatalogue(catalogue); err != nil {
			return reports.Run{}, err
		}
	default:
		if _, serr := os.Stat(defaultCatalogue); serr == nil {
			if cat, err = reports.LoadCatalogue(defaultCatalogue); err != nil {
				return reports.Run{}, err
			}
		} else {
			fmt.Fprintf(e.stderr, "hookcheck report: %s: no clause catalogue (--catalogue), so clause titles are missing\n", path)
		}
	}
	return reports.FromGinkgoReports(rs, cat), nil
}
