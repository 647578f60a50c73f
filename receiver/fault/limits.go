package fault

import "time"

// DefaultMaxDelay is the MaxDelay used when Limits leaves it zero.
const DefaultMaxDelay = 5 * time.Minute

// MaxGarbageBytes bounds how many bytes a garbage fault may write.
const MaxGarbageBytes = 1 << 20

// Limits bounds user-given values.
type Limits struct {
	// MaxDelay clamps every delay, jitter, slow-body duration and hang
	// (DefaultMaxDelay when zero or negative).
	MaxDelay time.Duration
}

// withDefaults returns l with zero fields replaced by their defaults.
func (l Limits) withDefaults() Limits {
	if l.MaxDelay <= 0 {
		l.MaxDelay = DefaultMaxDelay
	}
	return l
}
