package reference

import (
	"errors"
	"fmt"
	"net/http"
	"time"
)

// RetryPolicy is the failure schedule of spec §5 and §9 #3/#4/#6: how many
// attempts one cycle has, the waits between them, how many cycles a payload
// gets, the gap before a requeued cycle, the consecutive-error threshold and
// which statuses disable a hook at once. The engine multiplies every
// duration it returns by Options.TimeScale.
type RetryPolicy interface {
	// AttemptsPerCycle returns the attempts of one cycle (at least 1).
	AttemptsPerCycle() int
	// Delay returns the wait before attempt n (n >= 2) of a cycle.
	Delay(attempt int) time.Duration
	// MaxCycles returns how many cycles a payload gets; 0 or less means
	// no limit (the threshold still applies).
	MaxCycles() int
	// CycleGap returns the wait before a requeued payload starts its next
	// cycle.
	CycleGap() time.Duration
	// Threshold returns the consecutive failed attempts that turn a hook
	// into TooManyErrors; 0 or less disables the rule.
	Threshold() int
	// Permanent reports whether a response status disables the hook at
	// once, without retries (410 Gone, §9 #6).
	Permanent(status int) bool
}

// Schedule is the standard RetryPolicy: the numbers of the schedule, taken
// as they are (DefaultSchedule has NetServer's). New refuses a Schedule
// with a negative field.
type Schedule struct {
	Attempts       int
	Delays         []time.Duration // Delays[0] precedes attempt 2, Delays[1] attempt 3; the last repeats
	Cycles         int
	Gap            time.Duration
	ErrorThreshold int
}

// DefaultSchedule returns NetServer's documented schedule: 3 attempts at
// 0 s, +1 s, +4 s; 3 cycles with no gap; TooManyErrors after 9 failures.
func DefaultSchedule() Schedule {
	return Schedule{
		Attempts:       3,
		Delays:         []time.Duration{time.Second, 4 * time.Second},
		Cycles:         3,
		ErrorThreshold: 9,
	}
}

// AttemptsPerCycle implements RetryPolicy.
func (s Schedule) AttemptsPerCycle() int { return max(1, s.Attempts) }

// Delay implements RetryPolicy.
func (s Schedule) Delay(attempt int) time.Duration {
	i := attempt - 2
	if i < 0 || len(s.Delays) == 0 {
		return 0
	}
	return s.Delays[min(i, len(s.Delays)-1)]
}

// MaxCycles implements RetryPolicy.
func (s Schedule) MaxCycles() int { return s.Cycles }

// CycleGap implements RetryPolicy.
func (s Schedule) CycleGap() time.Duration { return s.Gap }

// Threshold implements RetryPolicy.
func (s Schedule) Threshold() int { return s.ErrorThreshold }

// Permanent implements RetryPolicy: only 410 Gone is permanent.
func (s Schedule) Permanent(status int) bool { return status == http.StatusGone }

// validate refuses negative numbers.
func (s Schedule) validate() error {
	if s.Attempts < 0 || s.Gap < 0 || s.ErrorThreshold < 0 {
		return errors.New("reference: Schedule.Attempts, Gap and ErrorThreshold may not be negative")
	}
	for _, d := range s.Delays {
		if d < 0 {
			return fmt.Errorf("reference: Schedule.Delays holds a negative delay %v", d)
		}
	}
	return nil
}
