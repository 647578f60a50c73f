// Package conformance runs the hookcheck conformance suite; it is the
// suite's runner and its public face. The specs live in package specs,
// which only this package links, and what they stand on in package
// framework.
//
// Run (run.go) does the set-up once (session.go: the receiver, the target
// and the preflight through framework.Open), picks an executor, and
// finishes once: the report in its stable shape, the release gate and the
// report files. The serial executor runs the Ginkgo tree in this process
// (ginkgo.go, which Ginkgo allows once per process). The parallel one
// (parallel.go) keeps the receiver and the target here and coordinates
// (coordinator.go, protocol.go, status.go) worker processes that each call
// RunWorker (worker.go), claim specs in the order of schedule.go and write
// their reports, which merge.go joins into one. ListSpecs walks the tree
// without running a spec (--list-specs). RunConfig (config.go) says what a
// run does.
//
// The runner's per-spec hooks (a worker's claim, the progress line,
// --fail-fast) are registered once, at the top level of the tree
// (hooks.go); their state is private to this package, so no spec can
// reach it.
package conformance
