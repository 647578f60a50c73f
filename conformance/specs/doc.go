// Package specs holds the conformance specs: Ginkgo v2 specs that drive
// any SuperOffice-style webhook service through its REST, Agents and SOAP
// front ends (package driver) and judge what it does against the
// behavioural spec, clause by clause, with a receiver (package receiver)
// standing in for the webhook targets.
//
// Every file is one spec area (or one part of it: crud_*.go per
// operation) and registers its specs in a top-level
// `var _ = Describe(area, ...)` that opens with `if !Area() { return }`.
// Every spec carries the labels Clause returns: `clause:<ID>` from the
// catalogue, `level:<MUST|SHOULD>`, its area and its API style. The
// helpers several areas share live in files named for what they hold
// (wire.go, views.go); everything else comes from package framework,
// which the specs dot-import. statements.yaml maps the behaviour spec's
// statements to clauses; the coverage test turns it into
// conformance/COVERAGE.md.
//
// The package is linked by the runner (package conformance) alone.
package specs

//go:generate sh -c "rm -rf soapsamples && mkdir soapsamples && cp -R ../../fixtures/soap/Services87 ../../fixtures/soap/Services88 soapsamples/"
//go:generate go test -count=1 -run ^TestCoverageTable$ . -update
