package reports

import (
	"time"
)

// SchemaVersion is the version of the report.json layout written by this
// package. It changes only when a field changes meaning or disappears;
// new fields may appear without a bump.
const SchemaVersion = 1

// Run is one conformance run in a stable shape, independent of Ginkgo's
// types. It is what report.json holds.
type Run struct {
	// Schema is SchemaVersion; ReadRun refuses other values.
	Schema int `json:"schema"`
	// Suite is the Ginkgo suite description.
	Suite string `json:"suite"`
	// Target describes what was tested (a base URL, or "embedded
	// reference"); FromGinkgo leaves it empty for the caller to fill.
	Target string `json:"target,omitempty"`
	// Options records the profile options and settings of the run, for
	// example {"online": "true", "time-scale": "0.01"}; FromGinkgo leaves it
	// empty for the caller to fill.
	Options map[string]string `json:"options,omitempty"`
	// StartedAt is when the suite started.
	StartedAt time.Time `json:"startedAt"`
	// Duration is how long the suite ran.
	Duration time.Duration `json:"durationNs"`
	// SuiteFailures are reasons the suite failed outside any spec (an
	// interrupt, a programmatic focus, a failing BeforeSuite ...).
	SuiteFailures []string `json:"suiteFailures,omitempty"`
	// Interrupted is true when the run was stopped early (Ctrl-C,
	// SIGTERM): the report is partial, the specs that did not run are
	// missing or skipped.
	Interrupted bool `json:"interrupted,omitempty"`
	// LeftOut describes what the run's label filter left out; nil when it
	// left out nothing (or there was none).
	LeftOut *LeftOut `json:"leftOut,omitempty"`
	// Stopped, when set, says why the run stopped before its end without
	// an interrupt (--fail-fast after the first failure that counts); the
	// specs it did not start are skipped with that reason.
	Stopped string `json:"stopped,omitempty"`
	// NotStarted, when set, says why the run did not start (a preflight
	// or configuration error): the report then holds no spec, and every
	// format says so.
	NotStarted string `json:"notStarted,omitempty"`
	// TargetStopped, when set, says when the target stopped answering
	// ("the target stopped answering at 12:03:41, after 37 of 319
	// specs"): the run stopped starting specs, the rest are not run.
	TargetStopped string `json:"targetStopped,omitempty"`
	// NotChecked are the clauses the run skipped for want of a capability
	// of the target (its mail, Online, v12.1), with the flag that would
	// check each.
	NotChecked []NotChecked `json:"notChecked,omitempty"`
	// Styles are the API styles of the matrix columns, known ones first
	// (rest, agents, soap), then any others in name order.
	Styles []string `json:"styles"`
	// Totals counts the specs by outcome.
	Totals Totals `json:"totals"`
	// Specs are the specs that ran (or were skipped), in run order; a
	// parallel run (Options["parallel"]) lists them in source order.
	Specs []Spec `json:"specs"`
	// Clauses are the catalogue's clauses in catalogue order, followed by any
	// clause a spec named that the catalogue lacks.
	Clauses []ClauseResult `json:"clauses"`
}

// Spec is one Ginkgo spec of the run.
type Spec struct {
	// ID is stable across runs: area/clause/style/slug-of-leaf-text (with
	// the container texts added when two specs would otherwise collide).
	// Diff and the expected-failures list use it.
	ID string `json:"id"`
	// Name is the full spec text: containers and leaf.
	Name string `json:"name"`
	// Clause is the clause ID from the "clause:" label ("" if none).
	Clause string `json:"clause,omitempty"`
	// Level is MUST or SHOULD, from the "level:" label or the catalogue.
	Level string `json:"level,omitempty"`
	// Area is the spec area (crud, delivery, retry, ...).
	Area string `json:"area"`
	// Style is the API style (rest, agents, soap); specs labelled with more
	// than one style join them with "+", in matrix order ("rest+soap").
	Style string `json:"style"`
	// Labels are the spec's other Ginkgo labels.
	Labels []string `json:"labels,omitempty"`
	// State is the outcome.
	State State `json:"state"`
	// Duration is the spec's run time.
	Duration time.Duration `json:"durationNs"`
	// Failure is set for failed, panicked, interrupted, aborted and timed
	// out specs.
	Failure *Failure `json:"failure,omitempty"`
	// Evidence is what the spec attached under EvidenceEntry.
	Evidence []Evidence `json:"evidence,omitempty"`
	// SkipReason says why a skipped, pending or not-run spec did not run,
	// or what cut an interrupted one short.
	SkipReason string `json:"skipReason,omitempty"`
	// Output is the GinkgoWriter output of a failed spec (tail-truncated).
	Output string `json:"output,omitempty"`
}

// Failure describes why a spec failed.
type Failure struct {
	// Message is the failure message (Gomega's, or the one given to Fail).
	Message string `json:"message"`
	// Location is file:line of the failing assertion.
	Location string `json:"location,omitempty"`
	// Panic is the recovered panic value of a panicked spec.
	Panic string `json:"panic,omitempty"`
}

// ClauseResult is the outcome of one clause, overall and per API style.
type ClauseResult struct {
	Clause
	// Status is the overall outcome: fail if any spec failed, else pass if
	// any passed, else skip if any was skipped, else n/a.
	Status Status `json:"status"`
	// Styles maps each matrix column (Run.Styles) to the outcome in that
	// API style.
	Styles map[string]Status `json:"styles"`
	// Specs counts the specs that named the clause.
	Specs int `json:"specs"`
	// Unknown is true when specs named the clause but the catalogue lacks it.
	Unknown bool `json:"unknown,omitempty"`
	// LeftOut is true when the run's label filter left out every spec of
	// the clause (its status is then n/a).
	LeftOut bool `json:"leftOut,omitempty"`
}

// Totals counts specs by outcome.
type Totals struct {
	Specs   int `json:"specs"`
	Passed  int `json:"passed"`
	Failed  int `json:"failed"`
	Skipped int `json:"skipped"`
	// Interrupted counts the specs cut short by Ctrl-C or SIGTERM;
	// NotRun the specs the run did not start because it stopped.
	Interrupted  int `json:"interrupted,omitempty"`
	NotRun       int `json:"notRun,omitempty"`
	MustFailed   int `json:"mustFailed"`
	ShouldFailed int `json:"shouldFailed"`
	// ClausesPassed, ClausesFailed and ClausesNotRun count ClauseResults by
	// overall status: "not run" is a clause none of whose specs passed or
	// failed (status skip or n/a), the one meaning of "not run" in every
	// report.
	ClausesPassed int `json:"clausesPassed"`
	ClausesFailed int `json:"clausesFailed"`
	ClausesNotRun int `json:"clausesNotRun"`
}

// Count computes the totals of specs and clauses.
func Count(specs []Spec, clauses []ClauseResult) Totals {
	var t Totals
	for _, s := range specs {
		t.Specs++
		switch {
		case s.State.Failed():
			t.Failed++
			if s.Level == LevelShould {
				t.ShouldFailed++
			} else {
				t.MustFailed++
			}
		case s.State == StatePassed:
			t.Passed++
		case s.State == StateInterrupted:
			t.Interrupted++
		case s.State == StateNotRun:
			t.NotRun++
		default:
			t.Skipped++
		}
	}
	for _, c := range clauses {
		switch c.Status {
		case StatusPass:
			t.ClausesPassed++
		case StatusFail:
			t.ClausesFailed++
		default:
			t.ClausesNotRun++
		}
	}
	return t
}

// Passed reports whether no spec failed, the suite itself did not fail,
// and the run started, kept its target and was not interrupted.
func (r Run) Passed() bool {
	return r.Totals.Failed == 0 && len(r.SuiteFailures) == 0 && r.NotStarted == "" && r.TargetStopped == "" && !r.Interrupted
}

// Failures returns the specs that failed, in run order.
func (r Run) Failures() []Spec {
	var out []Spec
	for _, s := range r.Specs {
		if s.State.Failed() {
			out = append(out, s)
		}
	}
	return out
}

// Skips returns the specs that were skipped or pending, in run order.
func (r Run) Skips() []Spec {
	var out []Spec
	for _, s := range r.Specs {
		if s.State.NotRun() && !s.State.CutShort() {
			out = append(out, s)
		}
	}
	return out
}

// CutShort returns the specs the run cut short, in run order: the
// interrupted ones and the ones it did not start because it stopped.
func (r Run) CutShort() []Spec {
	var out []Spec
	for _, s := range r.Specs {
		if s.State.CutShort() {
			out = append(out, s)
		}
	}
	return out
}
