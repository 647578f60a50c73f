// Package framework is what the conformance specs stand on, and what
// `hookcheck reproduce` and the embedded target share with them: the
// target and the profile of its open points (target.go, profile.go);
// opening a session — receiver, target, preflight — in one call (Open);
// the Env the specs of a run share; a Sandbox, the webhooks and receiver
// channels one user owns on the target and cleans up, which returns errors
// and knows no Ginkgo, and a Scenario, a spec's sandbox with the Ginkgo
// layer on top (Begin, Channel); the assertions and payload checks; the
// fault rules; the clause catalogue (clauses.yaml, a copy of
// fixtures/clauses.yaml) and the labels a spec carries (Clause).
//
// A spec area opens its top-level Describe with Area, the gate that keeps
// the tree empty in binaries that merely link the specs; the framework
// installs no runner hooks and imports neither the specs nor the runner.
// The specs dot-import it.
package framework

//go:generate cp ../../fixtures/clauses.yaml clauses.yaml
