package reference

// DeliveryGate decides whether a hook in a given state takes deliveries. The
// engine asks it when an event is queued, before every attempt, and after a
// state change (a closed gate drops the hook's pending retries, §9 #7).
type DeliveryGate interface {
	Open(s State) bool
}

// ActiveGate lets only Active hooks receive events.
type ActiveGate struct{}

// Open implements DeliveryGate.
func (ActiveGate) Open(s State) bool { return s == StateActive }
