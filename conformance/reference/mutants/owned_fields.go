package mutants

import (
	"time"

	"github.com/hookcheck/hookcheck/conformance/reference"
	"github.com/hookcheck/hookcheck/conformance/reference/server"
)

// ownedFieldMutants are faults of the server-owned fields and of who an
// event names (spec §1.1, §1.2, §4.3, §9 #27), and of the Secret on update.
func ownedFieldMutants() []Mutant {
	return []Mutant{
		{
			Name:        "associates-system-user",
			Component:   "Validator",
			Description: "stores the system user as RegisteredAssociate and UpdatedAssociate instead of the calling user",
			Clauses:     clauses("WH-CRUD-037"),
			Apply: func(o *reference.Options, _ *[]server.HandlerOption) error {
				o.Validator = systemAssociates{}
				return nil
			},
		},
		{
			Name:        "defaults-server-owned-set",
			Component:   "Defaults",
			Description: "CreateDefaultWebhook answers Registered = now and the default user as RegisteredAssociate instead of 0001-01-01T00:00:00 and null",
			Clauses:     clauses("WH-CRUD-036"),
			Apply: func(o *reference.Options, _ *[]server.HandlerOption) error {
				o.Defaults = func() reference.Webhook {
					w := reference.StandardDefaults()
					w.Registered = time.Now().UTC().Truncate(time.Second)
					as := reference.DefaultAssociate
					w.RegisteredAssociate = &as
					return w
				}
				return nil
			},
		},
		{
			Name:        "signal-changed-by-nobody",
			Component:   "PayloadBuilder",
			Description: "sends ChangedByAssociateId 0 on signalled events instead of the associate that called SignalEvent",
			Clauses:     clauses("WH-DLV-022"),
			Apply: withPayload(func(std reference.JSONPayload, p reference.Payload) ([]byte, error) {
				if !p.Test {
					p.ChangedByAssociateID = 0
				}
				return std.Build(p)
			}),
		},
		{
			Name:        "update-keeps-secret",
			Component:   "Validator",
			Description: "treats the Secret as write-once: an update keeps the stored Secret and ignores the new one",
			Clauses:     clauses("WH-DLV-020"),
			Apply: func(o *reference.Options, _ *[]server.HandlerOption) error {
				o.Validator = secretWriteOnce{}
				return nil
			},
		},
	}
}

// systemAssociate is the associate systemAssociates stores.
var systemAssociate = reference.Associate{AssociateID: 1, Name: "SYSTEM", FullName: "System", UserName: "system", Type: "SystemAssociate"}

// systemAssociates is StandardValidator that also replaces the associates
// the server set with the system user.
type systemAssociates struct{ reference.StandardValidator }

// Validate implements reference.Validator.
func (v systemAssociates) Validate(w *reference.Webhook, previous *reference.Webhook) error {
	for _, as := range []**reference.Associate{&w.RegisteredAssociate, &w.UpdatedAssociate} {
		if *as != nil {
			sys := systemAssociate
			*as = &sys
		}
	}
	return v.StandardValidator.Validate(w, previous)
}

// secretWriteOnce is StandardValidator that keeps the stored Secret on an
// update.
type secretWriteOnce struct{ reference.StandardValidator }

// Validate implements reference.Validator.
func (v secretWriteOnce) Validate(w *reference.Webhook, previous *reference.Webhook) error {
	if previous != nil {
		w.Secret = previous.Secret
	}
	return v.StandardValidator.Validate(w, previous)
}
