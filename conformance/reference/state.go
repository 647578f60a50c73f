package reference

import (
	"fmt"
	"strconv"
	"strings"
)

// State is the WebhookState enum (spec §1.3): 0 Unknown, 1 Active,
// 2 Stopped, 3 TooManyErrors.
type State int16

// The WebhookState values.
const (
	StateUnknown       State = 0
	StateActive        State = 1
	StateStopped       State = 2
	StateTooManyErrors State = 3
)

var stateNames = [...]string{"Unknown", "Active", "Stopped", "TooManyErrors"}

// String returns the enum name used on the wire ("Active").
func (s State) String() string {
	if s >= 0 && int(s) < len(stateNames) {
		return stateNames[s]
	}
	return strconv.Itoa(int(s))
}

// ParseState accepts a state name (case-insensitive) or its number.
func ParseState(v string) (State, error) {
	v = strings.TrimSpace(v)
	for i, n := range stateNames {
		if strings.EqualFold(n, v) {
			return State(i), nil
		}
	}
	if n, err := strconv.Atoi(v); err == nil && n >= 0 && n < len(stateNames) {
		return State(n), nil
	}
	return 0, fmt.Errorf("state %s is not one of Unknown, Active, Stopped, TooManyErrors (or 0-3)", Quote(v))
}
