package mutants

import (
	"github.com/hookcheck/hookcheck/conformance/reference"
	"github.com/hookcheck/hookcheck/conformance/reference/server"
)

// eventIDMutants are faults of the EventId rules (spec §5).
func eventIDMutants() []Mutant {
	return []Mutant{
		{
			Name:        "eventid-per-attempt",
			Component:   "EventIDs",
			Description: "draws a new EventId for every attempt, retries included",
			Clauses:     clauses("WH-RTY-003", "WH-RTY-001"),
			Apply: withEventIDs(func(string, int, int) string {
				return reference.NewGUID()
			}),
		},
		{
			Name:        "eventid-across-cycles",
			Component:   "EventIDs",
			Description: "keeps the same EventId when a failed payload starts its next cycle",
			Clauses:     clauses("WH-RTY-004", "WH-RTY-001"),
			Apply: withEventIDs(func(previous string, _, _ int) string {
				if previous != "" {
					return previous
				}
				return reference.NewGUID()
			}),
		},
	}
}

// eventIDFunc adapts a function to reference.EventIDSource.
type eventIDFunc func(previous string, cycle, attempt int) string

// EventID implements reference.EventIDSource.
func (f eventIDFunc) EventID(previous string, cycle, attempt int) string {
	return f(previous, cycle, attempt)
}

// withEventIDs returns an Apply that installs f as the EventIDSource.
func withEventIDs(f eventIDFunc) func(*reference.Options, *[]server.HandlerOption) error {
	return func(o *reference.Options, _ *[]server.HandlerOption) error {
		o.EventIDs = f
		return nil
	}
}
