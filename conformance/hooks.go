package conformance

import (
	. "github.com/onsi/ginkgo/v2"
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
	if pw := progress.Load(); pw != nil && claims.Load() == nil {
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
