package reproduce

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/hookcheck/hookcheck/conformance/framework"
)

// Scenario is one reproducible behaviour.
type Scenario struct {
	// Name is what `hookcheck reproduce NAME` takes.
	Name string
	// Summary says in one line what the scenario does.
	Summary string
	// check, when set, refuses a profile under which the scenario cannot
	// show its behaviour.
	check func(p framework.Profile) error
	// script drives the target; it returns the verdict's summary for a
	// run without differences, or an error when it could not go on.
	script func(ctx context.Context, r *Run) (string, error)
}

// Check reports why the scenario cannot run under profile p, or nil.
func (s Scenario) Check(p framework.Profile) error {
	if s.check == nil {
		return nil
	}
	if err := s.check(p); err != nil {
		return fmt.Errorf("%s: %w", s.Name, err)
	}
	return nil
}

// Scenarios returns every scenario, sorted by name.
func Scenarios() []Scenario {
	out := []Scenario{tooManyErrors(), gone(), retrySchedule(), recoverScenario(), verifyURL()}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Names returns the scenario names, sorted.
func Names() []string {
	var out []string
	for _, s := range Scenarios() {
		out = append(out, s.Name)
	}
	return out
}

// Find returns the scenario called name.
func Find(name string) (Scenario, error) {
	for _, s := range Scenarios() {
		if s.Name == name {
			return s, nil
		}
	}
	return Scenario{}, fmt.Errorf("unknown scenario %q (want one of %s)", name, strings.Join(Names(), ", "))
}
