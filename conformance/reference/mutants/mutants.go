// Package mutants is the catalogue of seeded faults ("mutants") of the
// reference webhook service: realistic ways an implementation gets the spec
// wrong, each made by replacing ONE component of the reference through the
// options it is built with (reference.Options or a HandlerOption of
// server.NewHandler). The core never knows about mutants.
//
// The conformance suite is only worth what it catches: `hookcheck
// selftest` runs it against the pristine reference (which must pass) and
// against every mutant here (each must fail, among others on a spec of one
// of the clauses the mutant declares), and writes the kill matrix.
package mutants

import (
	"fmt"
	"slices"
	"sort"

	"github.com/hookcheck/hookcheck/conformance/reference"
	"github.com/hookcheck/hookcheck/conformance/reference/server"
)

// Mutant is one seeded fault of the reference service.
type Mutant struct {
	// Name is the stable, kebab-case name `--mutant` takes.
	Name string
	// Component names what the mutant replaces: an Options field
	// ("Signer") or a HandlerOption ("WithAuthenticator(soap)").
	Component string
	// Description says in one line what the faulty implementation does.
	Description string
	// Clauses are the clause IDs (fixtures/clauses.yaml) the fault
	// violates; the suite must fail at least one spec carrying one of them.
	Clauses []string
	// RunFlags are the `hookcheck run` flags under which the suite reaches
	// the fault (for example --online for app isolation); the selftest
	// runs the pristine reference with them too. Usually none.
	RunFlags []string
	// Apply installs the fault: it replaces one component in o (whose
	// plain fields the caller has already filled in, so a fault can build
	// on the configured default) or appends one HandlerOption to h.
	Apply func(o *reference.Options, h *[]server.HandlerOption) error
}

// areas lists the catalogue's files in the order All returns them: one
// function per component area.
var areas = []func() []Mutant{
	signerMutants,
	headerMutants,
	retryMutants,
	successMutants,
	eventIDMutants,
	accountingMutants,
	gateMutants,
	stateEventMutants,
	matcherMutants,
	verifierMutants,
	senderMutants,
	certVerifierMutants,
	payloadMutants,
	mailerMutants,
	validatorMutants,
	accessMutants,
	clockMutants,
	frontEndMutants,
	frontEndSecretMutants,
	frontEndAuthMutants,
	frontEndAnswerMutants,
	headerOverrideMutants,
	ownedFieldMutants,
	onlineAccessMutants,
	soapWireMutants,
	requestHeaderMutants,
	agentsBodyMutants,
	v121Mutants,
}

// All returns every mutant, grouped by component area in a stable order.
// Each call returns fresh values the caller may keep.
func All() []Mutant {
	var out []Mutant
	for _, area := range areas {
		out = append(out, area()...)
	}
	return out
}

// Names returns the names of All, in the same order.
func Names() []string {
	all := All()
	names := make([]string, len(all))
	for i, m := range all {
		names[i] = m.Name
	}
	return names
}

// Lookup returns the mutant called name.
func Lookup(name string) (Mutant, bool) {
	for _, m := range All() {
		if m.Name == name {
			return m, true
		}
	}
	return Mutant{}, false
}

// Build returns base with the mutant applied and the HandlerOptions it
// adds, for a caller that builds the service itself.
func (m Mutant) Build(base reference.Options) (reference.Options, []server.HandlerOption, error) {
	var h []server.HandlerOption
	if err := m.Apply(&base, &h); err != nil {
		return base, nil, fmt.Errorf("mutant %s: %w", m.Name, err)
	}
	return base, h, nil
}

// UnknownError is returned for a mutant name the catalogue lacks.
type UnknownError struct{ Name string }

// Error implements error; it lists the known names.
func (e *UnknownError) Error() string {
	names := Names()
	sort.Strings(names)
	return fmt.Sprintf("unknown mutant %q (known: %v)", e.Name, names)
}

// Find is Lookup returning an *UnknownError for an unknown name.
func Find(name string) (Mutant, error) {
	if m, ok := Lookup(name); ok {
		return m, nil
	}
	return Mutant{}, &UnknownError{Name: name}
}

// clauses returns ids as the sorted, de-duplicated list a Mutant carries.
func clauses(ids ...string) []string {
	out := slices.Clone(ids)
	slices.Sort(out)
	return slices.Compact(out)
}
