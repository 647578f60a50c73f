// Package conformance runs the hookcheck conformance suite: Run starts the
// receiver and the target and runs the preflight (framework.Open), runs
// every selected spec, writes the reports and applies the release gate.
// It is the suite's public face and its runner; the specs live in package
// specs and what they stand on in package framework.
//
// Run does the set-up and the finish once and picks an executor: the
// serial one runs the Ginkgo tree in this process (run.go); the parallel
// one (parallel.go) keeps the receiver and the target here, coordinates
// (coordinator.go, protocol.go, status.go) and starts worker processes
// that each call RunWorker (worker.go), claim specs in the order of
// schedule.go and write their reports, which merge.go joins into one.
// ListSpecs walks the tree without running a spec (--list-specs).
//
// The runner's per-spec hooks (the worker's claim, the progress line,
// --fail-fast) are registered once, at the top level of the tree
// (hooks.go); its state is private to this package, so no spec can reach
// it. Only this package links the specs (specs.go): reproduce and
// embedded stand on the framework alone.
package conformance
