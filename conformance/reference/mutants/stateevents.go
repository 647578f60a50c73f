package mutants

import (
	"strings"

	"github.com/hookcheck/hookcheck/conformance/reference"
	"github.com/hookcheck/hookcheck/conformance/reference/server"
)

// stateEventMutants are faults of the state-change events (spec §6,
// §9 #12, #13).
func stateEventMutants() []Mutant {
	return []Mutant{
		{
			Name:        "errors-event-missing",
			Component:   "StateEvents",
			Description: "never fires webhook{id}.errors when a webhook becomes TooManyErrors",
			Clauses:     clauses("WH-SEV-003", "WH-SEV-004"),
			Apply: withStateEvents(func(_ reference.StateChange, evs []reference.Event) []reference.Event {
				var out []reference.Event
				for _, ev := range evs {
					if !strings.HasSuffix(ev.Name, ".errors") {
						out = append(out, ev)
					}
				}
				return out
			}),
		},
		{
			Name:        "state-event-body-with-id",
			Component:   "StateEvents",
			Description: "puts the id in the body Event too (webhook66.errors instead of webhook.errors)",
			Clauses:     clauses("WH-SEV-005", "WH-SEV-002", "WH-SEV-003"),
			Apply: withStateEvents(func(_ reference.StateChange, evs []reference.Event) []reference.Event {
				for i := range evs {
					evs[i].BodyEvent = ""
				}
				return evs
			}),
		},
		{
			Name:        "started-on-create",
			Component:   "StateEvents",
			Description: "fires webhook{id}.started when a webhook is created Active",
			Clauses:     clauses("WH-SEV-009"),
			Apply: withStateEvents(func(ch reference.StateChange, evs []reference.Event) []reference.Event {
				if ch.Created && ch.To == reference.StateActive {
					ch.Created = false
					return reference.StandardStateEvents{}.StateEvents(ch)
				}
				return evs
			}),
		},
		{
			Name:        "state-number-zero-based",
			Component:   "StateEvents",
			Description: "numbers FieldValues.state from 0 = Active (the STE page's reading) instead of the WebhookState values",
			Clauses:     clauses("WH-SEV-008"),
			Apply: withStateEvents(func(ch reference.StateChange, evs []reference.Event) []reference.Event {
				for i := range evs {
					if evs[i].FieldValues != nil {
						evs[i].FieldValues["state"] = int(ch.To) - 1
					}
				}
				return evs
			}),
		},
	}
}

// changedStateEvents is StandardStateEvents with its events changed.
type changedStateEvents struct {
	change func(ch reference.StateChange, evs []reference.Event) []reference.Event
}

// StateEvents implements reference.StateEventEmitter.
func (c changedStateEvents) StateEvents(ch reference.StateChange) []reference.Event {
	return c.change(ch, reference.StandardStateEvents{}.StateEvents(ch))
}

// withStateEvents returns an Apply that installs StandardStateEvents whose
// events are changed by change.
func withStateEvents(change func(ch reference.StateChange, evs []reference.Event) []reference.Event) func(*reference.Options, *[]server.HandlerOption) error {
	return func(o *reference.Options, _ *[]server.HandlerOption) error {
		o.StateEvents = changedStateEvents{change: change}
		return nil
	}
}
