package conformance

import (
	"sync/atomic"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/hookcheck/hookcheck/conformance/framework"
	"github.com/hookcheck/hookcheck/reports"
)

// StoppedByFailFast is the skip reason of every spec a --fail-fast run did
// not start after its first failure, and the report's Stopped note.
const StoppedByFailFast = "not run: --fail-fast stopped the run after the first failure"

// haltRule says which failures stop a --fail-fast run: the ones the
// release gate counts — a MUST spec (any level with Strict) that
// ExpectedFailures does not list.
type haltRule struct {
	Strict   bool                     `json:"strict,omitempty"`
	Expected reports.ExpectedFailures `json:"expected,omitempty"`
}

// stops reports whether the finished spec r stops the run.
func (h haltRule) stops(r types.SpecReport) bool {
	if !r.State.Is(types.SpecStateFailureStates) {
		return false
	}
	cat, _ := framework.Catalogue()
	run := reports.FromGinkgo(types.Report{SpecReports: []types.SpecReport{r}}, cat)
	if len(run.Specs) != 1 {
		return true
	}
	s := run.Specs[0]
	if !h.Strict && s.Level == "SHOULD" {
		return false
	}
	for _, e := range h.Expected {
		if e.Matches(s) {
			return false
		}
	}
	return true
}

// failFast is the rule of a serial --fail-fast run in this process (nil:
// the run goes on after failures); halted is set once a spec stopped it.
var (
	failFast atomic.Pointer[haltRule]
	halted   atomic.Bool
)

// haltIfFailed stops a serial --fail-fast run after r when r is a failure
// that counts.
func haltIfFailed(r types.SpecReport) {
	if h := failFast.Load(); h != nil && h.stops(r) {
		halted.Store(true)
	}
}

// stoppedByFailFast reports whether r was skipped because a --fail-fast
// run had stopped.
func stoppedByFailFast(r types.SpecReport) bool {
	return r.State.Is(types.SpecStateSkipped) && framework.SkipReason(r) == StoppedByFailFast
}
