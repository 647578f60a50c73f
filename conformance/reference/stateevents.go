package reference

import (
	"fmt"
	"time"
)

// StateChange describes a change of a hook's State.
type StateChange struct {
	// Webhook is the hook after the change.
	Webhook Webhook
	// Usage is the hook's usage row at the time of the change.
	Usage Usage
	From  State
	To    State
	// Created is set when the hook has just been created (From is
	// StateUnknown then).
	Created bool
	// ChangedByAssociateID is the associate that saved the hook, 0 when the
	// engine changed the state.
	ChangedByAssociateID int32
	At                   time.Time
}

// StateEventEmitter turns a state change into the events of spec §6 that
// the engine fans out (with signatures and retries) to every Active hook
// subscribed to Event.Name.
type StateEventEmitter interface {
	StateEvents(ch StateChange) []Event
}

// StandardStateEvents emits, for a transition of an existing hook only
// (§9 #13), webhook{id}.started (to Active), .stopped (to Stopped) or .errors
// (to TooManyErrors). The header carries the id, the body Event does not;
// there is no Entity; PrimaryKey is the watched id; FieldValues carry
// events (the watched hook's total_calls), registered,
// registered_associate_id, state (the new WebhookState number), updated and
// updated_associate_id (§9 #12). The subject never receives its own event.
type StandardStateEvents struct{}

// StateEvents implements StateEventEmitter.
func (StandardStateEvents) StateEvents(ch StateChange) []Event {
	if ch.Created || ch.From == ch.To {
		return nil
	}
	var verb string
	switch ch.To {
	case StateActive:
		verb = "started"
	case StateStopped:
		verb = "stopped"
	case StateTooManyErrors:
		verb = "errors"
	default:
		return nil
	}
	w := ch.Webhook
	return []Event{{
		Name:                 fmt.Sprintf("webhook%d.%s", w.WebhookID, verb),
		BodyEvent:            "webhook." + verb,
		NoEntity:             true,
		PrimaryKey:           w.WebhookID,
		Changes:              []string{},
		ChangedByAssociateID: ch.ChangedByAssociateID,
		Timestamp:            ch.At,
		Exclude:              w.WebhookID,
		FieldValues: map[string]any{
			"events":                  ch.Usage.TotalCalls,
			"registered":              FormatPayloadTime(w.Registered),
			"registered_associate_id": associateIDOf(w.RegisteredAssociate),
			"state":                   int(ch.To),
			"updated":                 FormatPayloadTime(w.Updated),
			"updated_associate_id":    associateIDOf(w.UpdatedAssociate),
		},
	}}
}

// associateIDOf returns a's AssociateID, 0 for nil.
func associateIDOf(a *Associate) int32 {
	if a == nil {
		return 0
	}
	return a.AssociateID
}
