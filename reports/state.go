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
	// StateNotRun is hookcheck's own: the spec did not run because the
	// run stopped before it (the target stopped answering, Ctrl-C);
	// Spec.SkipReason says why. It is neither a failure nor a skip.
	StateNotRun State = "notrun"
)

// Failed reports whether the state counts as a failure of the target:
// failed, panicked, aborted or timed out. An interrupted spec was cut
// short by the operator (Ctrl-C, SIGTERM), not failed by the target.
func (s State) Failed() bool {
	switch s {
	case StateFailed, StatePanicked, StateAborted, StateTimedout:
		return true
	}
	return false
}

// NotRun reports whether the spec did not run to its end: skipped,
// pending, not run or interrupted.
func (s State) NotRun() bool {
	return s == StateSkipped || s == StatePending || s.CutShort()
}

// CutShort reports whether the run, not the spec, decided the outcome:
// the spec was interrupted, or did not run because the run stopped.
func (s State) CutShort() bool {
	return s == StateInterrupted || s == StateNotRun
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
