package reports

// State is the outcome of one spec, spelled as Ginkgo spells it.
type State string

// Spec states.
const (
	StatePassed      State = "passed"
	StateFailed      State = "failed"
	StateSkipped     State = "skipped"
	StatePending     State = "pending"
	StatePanicked    State = "panicked"
	StateInterrupted State = "interrupted"
	StateAborted     State = "aborted"
	StateTimedout    State = "timedout"
)

// Failed reports whether the state counts as a failure: failed, panicked,
// interrupted, aborted or timed out.
func (s State) Failed() bool {
	switch s {
	case StateFailed, StatePanicked, StateInterrupted, StateAborted, StateTimedout:
		return true
	}
	return false
}

// NotRun reports whether the spec did not run: skipped or pending.
func (s State) NotRun() bool {
	return s == StateSkipped || s == StatePending
}

// Status is the outcome of a clause (overall or in one API style).
type Status string

// Clause statuses.
const (
	StatusPass Status = "pass"
	StatusFail Status = "fail"
	StatusSkip Status = "skip"
	StatusNA   Status = "n/a"
)

// statusOf folds spec states into a clause status: any failure fails, else
// any pass passes, else any skip skips; no state at all is n/a.
func statusOf(states []State) Status {
	st := StatusNA
	for _, s := range states {
		switch {
		case s.Failed():
			return StatusFail
		case s == StatePassed:
			st = StatusPass
		case st == StatusNA:
			st = StatusSkip
		}
	}
	return st
}
