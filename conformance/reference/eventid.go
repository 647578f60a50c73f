package reference

import (
	"crypto/rand"
	"fmt"
)

// EventIDSource picks the EventId of every attempt (spec §5): previous is the
// EventId of the payload's prior attempt ("" for a fresh payload), cycle and
// attempt are 1-based.
type EventIDSource interface {
	EventID(previous string, cycle, attempt int) string
}

// CycleEventIDs keeps one EventId for all attempts of a cycle and draws a new
// one for the first attempt of every cycle.
type CycleEventIDs struct{}

// EventID implements EventIDSource.
func (CycleEventIDs) EventID(previous string, cycle, attempt int) string {
	if attempt > 1 && previous != "" {
		return previous
	}
	return NewGUID()
}

// NewGUID returns a random (version 4) GUID in lower-case 8-4-4-4-12 form.
func NewGUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
