package mutants

import (
	"github.com/hookcheck/hookcheck/conformance/reference"
	"github.com/hookcheck/hookcheck/conformance/reference/server"
)

// validatorMutants are faults of save validation and the defaults (spec
// §1.2, §9 #25).
func validatorMutants() []Mutant {
	return []Mutant{
		{
			Name:        "empty-events-accepted",
			Component:   "Validator",
			Description: "stores a webhook whose Events list is empty",
			Clauses:     clauses("WH-CRUD-020", "WH-PAR-006"),
			Apply: func(o *reference.Options, _ *[]server.HandlerOption) error {
				o.Validator = eventsOptional{}
				return nil
			},
		},
		{
			Name:        "default-events-missing",
			Component:   "Defaults",
			Description: "returns a default webhook with Events null instead of [contact.created, contact.deleted]",
			Clauses:     clauses("WH-CRUD-001"),
			Apply: func(o *reference.Options, _ *[]server.HandlerOption) error {
				o.Defaults = func() reference.Webhook {
					w := reference.StandardDefaults()
					w.Events = nil
					return w
				}
				return nil
			},
		},
	}
}

// eventsOptional is StandardValidator without the rule that Events must
// name at least one event.
type eventsOptional struct{ reference.StandardValidator }

// Validate implements reference.Validator.
func (v eventsOptional) Validate(w *reference.Webhook, previous *reference.Webhook) error {
	if len(w.Events) > 0 {
		return v.StandardValidator.Validate(w, previous)
	}
	w.Events = []string{"placeholder.event"}
	err := v.StandardValidator.Validate(w, previous)
	w.Events = nil
	return err
}
