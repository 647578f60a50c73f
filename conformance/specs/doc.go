// Package specs holds the conformance specs: Ginkgo v2 specs that drive
// any SuperOffice-style webhook service through its REST, Agents and SOAP
// front ends (package driver) and judge what it does against the
// behavioural spec, clause by clause, with a receiver (package receiver)
// standing in for the webhook targets.
//
// A spec area is registered one way only: every file registers its specs
// in top-level `var _ = Describe(area, func() { if !Area() { return };
// ... })` blocks of its own, and several files may share an area (each
// file of crud holds its own Describe("crud")); no file calls into
// another to register specs. The areas and their files:
//
//   - crud: defaults, create, read, list and its filters, update, PATCH,
//     delete, unknown ids, validation, the wire spellings (crud_*.go, one
//     file per operation), the Agents bodies (agents_bodies.go), the
//     request headers (request_headers.go), the SOAP envelope and the
//     documented SOAP samples (soap_envelope.go, soap_samples.go), the
//     v12.1 members (v121.go);
//   - verification (verification.go), delivery (delivery.go), the two
//     through every front end (delivery_frontends.go), retry (retry.go),
//     state (state.go), state-events (state_events.go), email (email.go,
//     and the v12.1 notifications in v121.go), parity (parity.go),
//     security (security.go, security_matrix.go).
//
// Every spec carries the labels Clause returns: `clause:<ID>` from the
// catalogue, `level:<MUST|SHOULD>`, its area and its API style. The
// specs that hold for every API style carry no style branch (ForStyles);
// a style's own wire checks are specs of that style tied to the same
// clause. The helpers several areas share live in files named for what
// they hold (wire.go, views.go); everything else comes from package
// framework, which the specs dot-import. statements.yaml maps the
// behaviour spec's statements to clauses; the coverage test turns it into
// conformance/COVERAGE.md.
//
// The package is linked by the runner (package conformance) alone.
package specs

//go:generate sh -c "rm -rf soapsamples && mkdir soapsamples && cp -R ../../fixtures/soap/Services87 ../../fixtures/soap/Services88 soapsamples/"
//go:generate go test -count=1 -run ^TestCoverageTable$ . -update
