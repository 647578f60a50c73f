package mutants

import (
	"github.com/hookcheck/hookcheck/conformance/reference"
	"github.com/hookcheck/hookcheck/conformance/reference/server"
)

// gateMutants are faults of the delivery gate (spec §1.3, §5, §9 #7).
func gateMutants() []Mutant {
	return []Mutant{
		{
			Name:        "deliver-while-stopped",
			Component:   "Gate",
			Description: "keeps delivering to webhooks a user set to Stopped",
			Clauses:     clauses("WH-DLV-013", "WH-STA-001"),
			Apply: withGate(func(s reference.State) bool {
				return s == reference.StateActive || s == reference.StateStopped
			}),
		},
		{
			Name:        "deliver-while-toomanyerrors",
			Component:   "Gate",
			Description: "keeps delivering new events to webhooks in TooManyErrors",
			Clauses:     clauses("WH-STA-007"),
			Apply: withGate(func(s reference.State) bool {
				return s == reference.StateActive || s == reference.StateTooManyErrors
			}),
		},
	}
}

// gateFunc adapts a function to reference.DeliveryGate.
type gateFunc func(s reference.State) bool

// Open implements reference.DeliveryGate.
func (f gateFunc) Open(s reference.State) bool { return f(s) }

// withGate returns an Apply that installs open as the DeliveryGate.
func withGate(open gateFunc) func(*reference.Options, *[]server.HandlerOption) error {
	return func(o *reference.Options, _ *[]server.HandlerOption) error {
		o.Gate = open
		return nil
	}
}
