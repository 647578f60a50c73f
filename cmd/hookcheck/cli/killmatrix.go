package cli

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/hookcheck/hookcheck/conformance/reference/mutants"
	"github.com/hookcheck/hookcheck/reports"
)

// pristineName names the selftest's run against the unmodified reference.
const pristineName = "pristine"

// Verdicts of the selftest's runs.
const (
	verdictPass     = "pass"     // pristine: every spec passed or was skipped
	verdictFail     = "FAIL"     // pristine: a spec or the suite failed
	verdictKilled   = "killed"   // mutant: a spec of a declared clause failed
	verdictSurvived = "SURVIVED" // mutant: no spec of a declared clause failed
	verdictError    = "ERROR"    // the run could not be made or read
)

// selftestResult is the outcome of one `hookcheck run` of the selftest.
type selftestResult struct {
	// Name is pristineName or the mutant's name.
	Name string
	// Mutant is nil for the pristine run.
	Mutant *mutants.Mutant
	// Filter is the label filter the run used ("" = every spec).
	Filter string
	// Flags are the extra run flags the run used (a mutant's RunFlags).
	Flags []string
	// Exit is the run's exit code.
	Exit int
	// Err says why the run could not be made or its report not read.
	Err error
	// Duration is the run's wall time.
	Duration time.Duration
	// Run is the run's report.json; nil when Err is set.
	Run *reports.Run
}

// failingClauses returns the sorted clause ids of the run's failed specs
// (a failed spec without a clause counts as "(no clause)").
func (r selftestResult) failingClauses() []string {
	if r.Run == nil {
		return nil
	}
	var out []string
	for _, s := range r.Run.Specs {
		if !s.State.Failed() {
			continue
		}
		c := s.Clause
		if c == "" {
			c = "(no clause)"
		}
		out = append(out, c)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// failedSpecs counts the run's failed specs.
func (r selftestResult) failedSpecs() int {
	if r.Run == nil {
		return 0
	}
	n := 0
	for _, s := range r.Run.Specs {
		if s.State.Failed() {
			n++
		}
	}
	return n
}

// killers returns the declared clauses among the failing ones.
func (r selftestResult) killers() []string {
	if r.Mutant == nil {
		return nil
	}
	var out []string
	for _, c := range r.failingClauses() {
		if slices.Contains(r.Mutant.Clauses, c) {
			out = append(out, c)
		}
	}
	return out
}

// verdict judges the run: the pristine run must pass entirely, a mutant
// must fail a spec of one of its declared clauses.
func (r selftestResult) verdict() string {
	switch {
	case r.Err != nil || r.Run == nil:
		return verdictError
	case r.Mutant == nil && (r.failedSpecs() > 0 || len(r.Run.SuiteFailures) > 0 || r.Exit != ExitOK):
		return verdictFail
	case r.Mutant == nil:
		return verdictPass
	case len(r.killers()) > 0:
		return verdictKilled
	}
	return verdictSurvived
}

// ok reports whether the run did what the selftest needs of it.
func (r selftestResult) ok() bool {
	v := r.verdict()
	return v == verdictPass || v == verdictKilled
}

// explain says in one line why a run is not ok.
func (r selftestResult) explain() string {
	switch r.verdict() {
	case verdictError:
		return fmt.Sprintf("%s: the run failed to complete: %v", r.Name, r.Err)
	case verdictFail:
		what := "the pristine reference"
		if len(r.Flags) > 0 {
			what += " (run with " + strings.Join(r.Flags, " ") + ")"
		}
		if r.Run != nil && len(r.Run.SuiteFailures) > 0 {
			return fmt.Sprintf("%s fails the suite: %s", what, strings.Join(r.Run.SuiteFailures, "; "))
		}
		return fmt.Sprintf("%s fails %d spec(s) (clauses %s); the suite or the reference is wrong",
			what, r.failedSpecs(), strings.Join(r.failingClauses(), ", "))
	case verdictSurvived:
		caught := "no spec failed"
		if fc := r.failingClauses(); len(fc) > 0 {
			caught = "only specs of other clauses failed: " + strings.Join(fc, ", ")
		}
		return fmt.Sprintf("mutant %s survived: no spec of %s failed (%s); %s",
			r.Name, strings.Join(r.Mutant.Clauses, ", "), caught, r.Mutant.Description)
	}
	return ""
}

// killMatrix is what the selftest writes to kill-matrix.md.
type killMatrix struct {
	Started  time.Time
	Duration time.Duration
	Parallel int
	Scope    string
	// Pristine are the runs against the unmodified reference: the whole
	// suite, then one per set of mutant RunFlags.
	Pristine []selftestResult
	Mutants  []selftestResult
}

// pristineVerdict is pass when every pristine run passed.
func (k killMatrix) pristineVerdict() string {
	for _, p := range k.Pristine {
		if !p.ok() {
			return p.verdict()
		}
	}
	if len(k.Pristine) == 0 {
		return verdictError
	}
	return verdictPass
}

// killed counts the killed mutants.
func (k killMatrix) killed() int {
	n := 0
	for _, r := range k.Mutants {
		if r.verdict() == verdictKilled {
			n++
		}
	}
	return n
}

// score is "killed/total (percent %)".
func (k killMatrix) score() string {
	total := len(k.Mutants)
	pct := 0.0
	if total > 0 {
		pct = 100 * float64(k.killed()) / float64(total)
	}
	return fmt.Sprintf("%d/%d mutants killed (%.0f %%)", k.killed(), total, pct)
}

// writeMarkdown writes the kill matrix as Markdown.
func (k killMatrix) writeMarkdown(w io.Writer) error {
	var b strings.Builder
	b.WriteString("# hookcheck kill matrix\n\n")
	fmt.Fprintf(&b, "`hookcheck selftest` on %s: %s, %d runs at a time, mutant runs scoped to %s.\n\n",
		k.Started.UTC().Format(time.RFC3339), k.Duration.Round(time.Second), k.Parallel, scopeText(k.Scope))
	for _, p := range k.Pristine {
		what := "Pristine reference"
		if len(p.Flags) > 0 {
			what += " with `" + strings.Join(p.Flags, " ") + "` (" + scopeOf(p.Filter) + ")"
		}
		fmt.Fprintf(&b, "- %s: **%s**", what, p.verdict())
		if p.Run != nil {
			t := p.Run.Totals
			fmt.Fprintf(&b, " (%d specs: %d passed, %d failed, %d skipped; %s)", t.Specs, t.Passed, t.Failed, t.Skipped, p.Duration.Round(100*time.Millisecond))
		}
		if !p.ok() {
			fmt.Fprintf(&b, " — %s", mdCell(p.explain()))
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "- Score: **%s**\n\n", k.score())
	b.WriteString("Failing clauses in **bold** are ones the mutant declares; a mutant is killed when at least one of them fails.\n\n")
	b.WriteString("| Mutant | Component | Declared clauses | Failing clauses | Failed specs | Verdict | Run |\n")
	b.WriteString("|---|---|---|---|---:|---|---:|\n")
	for _, r := range k.Mutants {
		var failing []string
		for _, c := range r.failingClauses() {
			if slices.Contains(r.Mutant.Clauses, c) {
				c = "**" + c + "**"
			}
			failing = append(failing, c)
		}
		cell := strings.Join(failing, ", ")
		if r.Err != nil {
			cell = mdCell(r.Err.Error())
		} else if cell == "" {
			cell = "—"
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %d | %s | %s |\n",
			r.Name, mdCell(r.Mutant.Component), strings.Join(r.Mutant.Clauses, ", "), cell, r.failedSpecs(), r.verdict(), r.Duration.Round(100*time.Millisecond))
	}
	b.WriteString("\n## Mutants\n\n")
	for _, r := range k.Mutants {
		fmt.Fprintf(&b, "- `%s` (%s): %s", r.Name, mdCell(r.Mutant.Component), mdCell(r.Mutant.Description))
		if len(r.Flags) > 0 {
			fmt.Fprintf(&b, " (run with `%s`)", strings.Join(r.Flags, " "))
		}
		fmt.Fprintf(&b, "; scope: %s\n", scopeOf(r.Filter))
	}
	var bad []string
	for _, r := range append(slices.Clone(k.Pristine), k.Mutants...) {
		if !r.ok() {
			bad = append(bad, "- "+mdCell(r.explain()))
		}
	}
	if len(bad) > 0 {
		b.WriteString("\n## Problems\n\n" + strings.Join(bad, "\n") + "\n")
	}
	_, err := io.WriteString(w, b.String())
	if err != nil {
		return fmt.Errorf("write the kill matrix: %w", err)
	}
	return nil
}

// scopeOf describes the specs a label filter selects.
func scopeOf(filter string) string {
	if filter == "" {
		return "every spec"
	}
	return "`" + filter + "`"
}

// scopeText describes a selftest scope.
func scopeText(scope string) string {
	if scope == scopeFull {
		return "the whole suite"
	}
	return "the spec areas of their declared clauses"
}

// mdCell makes s safe for one Markdown table cell.
func mdCell(s string) string {
	s = strings.ReplaceAll(s, "|", `\|`)
	return strings.Join(strings.Fields(s), " ")
}
