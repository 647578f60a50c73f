package reference

import "time"

// WireFormat spells the entity values whose text form is a front end's own
// business: the WebhookState (spec §1.3) and the entity's dates
// (Registered, Updated). WithWireFormat sets it per front end, so the
// three front ends can be made to disagree.
type WireFormat interface {
	// State returns the wire text of s.
	State(s State) string
	// Time returns the wire text of t.
	Time(t time.Time) string
}

// StandardWireFormat is the documented form every front end uses by
// default: State by its enum name ("Active") and dates in TimeFormat, UTC
// without an offset.
type StandardWireFormat struct{}

// State implements WireFormat.
func (StandardWireFormat) State(s State) string { return s.String() }

// Time implements WireFormat.
func (StandardWireFormat) Time(t time.Time) string { return FormatTime(t) }
