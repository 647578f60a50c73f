package reference

import "time"

// Event is one occurrence the engine delivers, before it is addressed to a
// particular webhook: a SignalEvent call, a state change (§6) or the test
// event (§3).
type Event struct {
	// Name is the X-SuperOffice-Event header value and the name matched
	// against each hook's Events ("contact.created", "webhook7.errors").
	Name string
	// BodyEvent is the body's Event member when it differs from Name
	// ("webhook.errors" for the header "webhook7.errors").
	BodyEvent string
	// Entity is the body's Entity member; NoEntity leaves the member out
	// (state events have none).
	Entity   string
	NoEntity bool
	// PrimaryKey is the id of the affected row.
	PrimaryKey int32
	// Changes are the changed column names ([] when none).
	Changes []string
	// Data are the SignalEvent values; HTTP hooks get them only as
	// FieldValues behind Options.SignalValues, crmscript hooks as
	// Changes.<key> parameters (§4.5, §9 #15).
	Data map[string]any
	// FieldValues is the body's FieldValues member; nil leaves it out.
	FieldValues map[string]any
	// ChangedByAssociateID is the associate that caused the event (0 for
	// the engine).
	ChangedByAssociateID int32
	// Timestamp is when the event happened; every attempt and cycle of it
	// carries the same value.
	Timestamp time.Time
	// Test marks the test event, which carries X-Hook-Test: true.
	Test bool
	// Exclude, when non-zero, is a webhook id that must not receive the
	// event (a state event never reaches its own subject, §9 #13).
	Exclude int32
}

// BodyName returns the body's Event member.
func (e Event) BodyName() string {
	if e.BodyEvent != "" {
		return e.BodyEvent
	}
	return e.Name
}

// Payload is an Event addressed to one webhook for one attempt: the
// WebhookPayload of spec §4.3 before serialisation.
type Payload struct {
	Event
	EventID           string
	ContextIdentifier string
	WebhookName       string
	Properties        map[string]any
}
