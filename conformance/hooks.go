package conformance

import (
	. "github.com/onsi/ginkgo/v2"

	"github.com/hookcheck/hookcheck/conformance/framework"
)

// The runner's Ginkgo hooks, registered once at the top level of the tree
// (as kubernetes' e2e_test.go does): a top-level BeforeEach or
// ReportAfterEach wraps every spec and runs before any container's own, so
// a worker's claim is still the first thing a spec does. The spec areas
// install nothing; the hooks find the runner's state (progress, claims,
// fail-fast) here, in the runner, and do nothing outside a run.

// claim: in a parallel run's worker, ask the coordinator for the spec; in
// a --fail-fast run that stopped, skip it.
var _ = BeforeEach(claimSpec)

// progress: print the finished spec's line, or report it to the
// coordinator.
var _ = ReportAfterEach(reportProgress)

// countSpecs records how many specs a serial run will run, for the
// counter of its progress lines.
var _ = ReportBeforeSuite(func(r Report) {
	if claims.Load() != nil {
		return
	}
	serialCount.total.Store(int64(r.PreRunStats.SpecsThatWillRun))
	if pw := progress.Load(); pw != nil {
		pw.mu.Lock()
		pw.total = r.PreRunStats.SpecsThatWillRun
		pw.mu.Unlock()
	}
})

// announceTotal tells the coordinator of a parallel run how many specs
// its workers walk.
var _ = ReportBeforeSuite(func(r Report) {
	if w := claims.Load(); w != nil {
		w.begin(r.PreRunStats.SpecsThatWillRun)
	}
})

// claimSpec is the runner's BeforeEach of every spec: in a
// parallel run's worker it claims the spec; in a --fail-fast run that
// stopped it skips the spec; in a run whose target stopped answering the
// spec is not run; otherwise it does nothing.
func claimSpec(ctx SpecContext) {
	if w := claims.Load(); w != nil {
		w.claim(ctx)
		return
	}
	if r := targetGone.Load(); r != nil {
		framework.NotRun(*r)
	}
	if halted.Load() {
		framework.SkipBecause(StoppedByFailFast)
	}
}

// reportProgress prints the progress line of a finished spec, or in a
// parallel run's worker reports it to the coordinator.
func reportProgress(r SpecReport) {
	if w := claims.Load(); w != nil {
		if !filteredOut(r) {
			w.done(r)
		}
		return
	}
	haltIfFailed(r)
	if !filteredOut(r) {
		serialCount.done.Add(1)
	}
	pw := progress.Load()
	if pw == nil || filteredOut(r) || stoppedByFailFast(r) || notRun(r) {
		return
	}
	pw.print(ProgressLine(r))
}
