// Package conformance is the hookcheck conformance suite: Ginkgo v2 specs
// that drive any SuperOffice-style webhook service through its REST,
// Agents and SOAP front ends (package driver) and judge what it does
// against the behavioural spec, clause by clause, with a receiver
// (package receiver) standing in for the webhook targets.
//
// Specs live in non-test files, one per spec area (crud.go,
// verification.go, delivery.go, retry.go, state.go, state_events.go,
// email.go, parity.go, security.go), registered with `var _ = Describe`.
// Every spec carries the labels Clause returns: `clause:<ID>` from the
// catalogue (clauses.yaml, a copy of fixtures/clauses.yaml),
// `level:<MUST|SHOULD>`, its area and its API style.
//
// Run runs the whole suite in-process against a target and writes the
// reports; the suite never imports an implementation, so the embedded
// reference service is started by the caller (see package embedded).
package conformance

//go:generate cp ../fixtures/clauses.yaml clauses.yaml
//go:generate sh -c "rm -rf soapsamples && mkdir soapsamples && cp -R ../fixtures/soap/Services87 ../fixtures/soap/Services88 soapsamples/"
//go:generate go test -count=1 -run ^TestCoverageTable$ . -update
