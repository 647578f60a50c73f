package reports

import (
	"fmt"
	"io"
)

// GateOptions tunes Gate.
type GateOptions struct {
	// MustOnly lets SHOULD failures through: they are listed as Advisory
	// instead of failing the gate.
	MustOnly bool
	// RequireAll fails a partial run: one whose label filter left specs
	// out (hookcheck run --require-all). Without it a partial run's
	// verdict is PARTIAL and the gate passes.
	RequireAll bool
}

// GateResult is the verdict of the release gate.
type GateResult struct {
	// UnexpectedFailures are failed specs no entry covers; they fail the gate.
	UnexpectedFailures []Spec `json:"unexpectedFailures"`
	// ExpectedFailures are failed specs an entry covers.
	ExpectedFailures []ExpectedMatch `json:"expectedFailures"`
	// Stale are entries whose specs ran and all passed; they fail the gate
	// so the list is kept honest.
	Stale []ExpectedFailure `json:"stale"`
	// NotRun are the "unmatched" entries: they matched no spec that
	// passed or failed (the specs were skipped or filtered out, or the id
	// is mistyped); they do not fail the gate. (The JSON name predates the
	// wording: "not run" now only means clauses none of whose specs ran.)
	NotRun []ExpectedFailure `json:"notRun,omitempty"`
	// Advisory are SHOULD failures let through by GateOptions.MustOnly.
	Advisory []Spec `json:"advisory,omitempty"`
	// SuiteFailures are the run's suite-level failures; they fail the gate.
	SuiteFailures []string `json:"suiteFailures,omitempty"`
	// Partial is true when the run's label filter left specs out
	// (LeftOut says which); with GateOptions.RequireAll it fails the gate.
	Partial bool `json:"partial,omitempty"`
	// LeftOut is the run's LeftOut, for the verdict's text.
	LeftOut *LeftOut `json:"leftOut,omitempty"`
	// RequireAll records GateOptions.RequireAll.
	RequireAll bool `json:"requireAll,omitempty"`
	// Interrupted is the run's Interrupted: the verdict is INTERRUPTED.
	Interrupted bool `json:"interrupted,omitempty"`
	// NotStarted and TargetStopped are the run's: either fails the gate.
	NotStarted    string `json:"notStarted,omitempty"`
	TargetStopped string `json:"targetStopped,omitempty"`
	// NotChecked are the clauses skipped for want of a capability; they
	// do not fail the gate, but the gate says so.
	NotChecked []NotChecked `json:"notChecked,omitempty"`
	// Verdict is PASS, PARTIAL (a filtered run without failures), FAIL,
	// or INTERRUPTED (Ctrl-C, SIGTERM: the run is incomplete).
	Verdict string `json:"verdict"`
	// Pass is true when nothing above fails the gate.
	Pass bool `json:"pass"`
}

// Gate verdicts.
const (
	VerdictPass    = "PASS"
	VerdictPartial = "PARTIAL"
	VerdictFail    = "FAIL"
	// VerdictInterrupted is the verdict of a run stopped by Ctrl-C or
	// SIGTERM: it neither passes nor blames the target.
	VerdictInterrupted = "INTERRUPTED"
)

// ExpectedMatch is a failed spec and the entry that expected it.
type ExpectedMatch struct {
	Spec  Spec            `json:"spec"`
	Entry ExpectedFailure `json:"entry"`
}

// Gate decides whether a run may be released: every failure must be listed
// in expected, and every listed id whose specs ran must still fail.
func Gate(run Run, expected ExpectedFailures) GateResult {
	return GateWithOptions(run, expected, GateOptions{})
}

// GateWithOptions is Gate with options.
func GateWithOptions(run Run, expected ExpectedFailures, opts GateOptions) GateResult {
	res := GateResult{SuiteFailures: run.SuiteFailures, LeftOut: run.LeftOut, Partial: run.LeftOut != nil, RequireAll: opts.RequireAll,
		Interrupted: run.Interrupted, NotStarted: run.NotStarted, TargetStopped: run.TargetStopped, NotChecked: run.NotChecked}
	for _, s := range run.Failures() {
		if e, ok := firstMatch(expected, s); ok {
			res.ExpectedFailures = append(res.ExpectedFailures, ExpectedMatch{Spec: s, Entry: e})
			continue
		}
		if opts.MustOnly && s.Level == LevelShould {
			res.Advisory = append(res.Advisory, s)
			continue
		}
		res.UnexpectedFailures = append(res.UnexpectedFailures, s)
	}
	for _, e := range expected {
		ran, failed := 0, 0
		for _, s := range run.Specs {
			if !e.Matches(s) || s.State.NotRun() {
				continue
			}
			ran++
			if s.State.Failed() {
				failed++
			}
		}
		switch {
		case ran == 0:
			res.NotRun = append(res.NotRun, e)
		case failed == 0:
			res.Stale = append(res.Stale, e)
		}
	}
	clean := len(res.UnexpectedFailures) == 0 && len(res.Stale) == 0 && len(res.SuiteFailures) == 0 &&
		res.NotStarted == "" && res.TargetStopped == ""
	res.Pass = clean && !(res.Partial && opts.RequireAll) && !res.Interrupted
	switch {
	case res.Interrupted:
		res.Verdict = VerdictInterrupted
	case !clean:
		res.Verdict = VerdictFail
	case res.Partial:
		res.Verdict = VerdictPartial
	default:
		res.Verdict = VerdictPass
	}
	return res
}

// Headline is the gate's first line: the verdict and its counts, e.g.
// "release gate: FAIL — 1 unexpected, 0 expected, 0 stale, 0 unmatched".
func (g GateResult) Headline() string {
	verdict := g.Verdict
	if verdict == "" { // a GateResult decoded from an older report
		verdict = VerdictPass
		if !g.Pass {
			verdict = VerdictFail
		}
	}
	s := fmt.Sprintf("release gate: %s — %d unexpected, %d expected, %d stale, %d unmatched",
		verdict, len(g.UnexpectedFailures), len(g.ExpectedFailures), len(g.Stale), len(g.NotRun))
	if verdict == VerdictPartial && !g.Pass {
		s += " (--require-all: fails)"
	}
	return s
}

// firstMatch returns the entry covering s, preferring an exact spec ID.
func firstMatch(expected ExpectedFailures, s Spec) (ExpectedFailure, bool) {
	for _, e := range expected {
		if e.ID == s.ID {
			return e, true
		}
	}
	for _, e := range expected {
		if e.Matches(s) {
			return e, true
		}
	}
	return ExpectedFailure{}, false
}

// WriteText prints the verdict for people, one line per finding.
func (g GateResult) WriteText(w io.Writer) error {
	lines := []string{g.Headline()}
	if g.NotStarted != "" {
		lines = append(lines, "  NOT STARTED "+oneLine(g.NotStarted, 300))
	}
	if g.TargetStopped != "" {
		lines = append(lines, "  STOPPED     "+oneLine(g.TargetStopped, 300))
	}
	if g.Interrupted {
		lines = append(lines, "  INTERRUPTED the run was stopped (Ctrl-C or SIGTERM) before its end; the specs cut short are not counted as failures")
	}
	for _, f := range g.SuiteFailures {
		lines = append(lines, "  SUITE       "+oneLine(f, 200))
	}
	for _, s := range g.UnexpectedFailures {
		lines = append(lines, fmt.Sprintf("  UNEXPECTED  %s  %s: %s", s.ID, orDash(s.Level), Headline(failureMessage(s))))
	}
	for _, e := range g.Stale {
		lines = append(lines, fmt.Sprintf("  STALE       %s passes now: remove it from the expected failures (%s)", e.ID, oneLine(e.Reason, 100)))
	}
	for _, m := range g.ExpectedFailures {
		lines = append(lines, fmt.Sprintf("  expected    %s (%s)", m.Spec.ID, oneLine(m.Entry.Reason, 100)))
	}
	for _, s := range g.Advisory {
		lines = append(lines, fmt.Sprintf("  advisory    %s SHOULD: %s", s.ID, Headline(failureMessage(s))))
	}
	for _, e := range g.NotRun {
		lines = append(lines, fmt.Sprintf("  unmatched   %s matched no spec that ran (filtered out, skipped, or a typo?)", e.ID))
	}
	for _, l := range NotCheckedLines(g.NotChecked) {
		lines = append(lines, "  not checked "+l)
	}
	if g.LeftOut != nil {
		lines = append(lines, "  PARTIAL     "+g.LeftOut.Summary())
		if len(g.LeftOut.Clauses) > 0 {
			lines = append(lines, "  left out    "+CompactIDs(g.LeftOut.Clauses))
		}
		if len(g.LeftOut.Partly) > 0 {
			lines = append(lines, "  in part     "+CompactIDs(g.LeftOut.Partly))
		}
		if g.RequireAll {
			lines = append(lines, "  --require-all: a partial run fails the gate; run without --label-filter")
		}
	}
	for _, l := range lines {
		if _, err := fmt.Fprintln(w, l); err != nil {
			return fmt.Errorf("reports: write gate result: %w", err)
		}
	}
	return nil
}
