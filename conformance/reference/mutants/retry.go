package mutants

import (
	"github.com/hookcheck/hookcheck/conformance/reference"
	"github.com/hookcheck/hookcheck/conformance/reference/server"
)

// retryMutants are faults of the RetryPolicy (spec §5, §9 #3, #4, #6).
func retryMutants() []Mutant {
	return []Mutant{
		{
			Name:        "no-retry",
			Component:   "RetryPolicy",
			Description: "makes one attempt per cycle: a failed delivery is never retried within its cycle",
			Clauses:     clauses("WH-RTY-001", "WH-RTY-003"),
			Apply: withSchedule(func(s *reference.Schedule) {
				s.Attempts = 1
			}),
		},
		{
			Name:        "retry-delay-2s",
			Component:   "RetryPolicy",
			Description: "waits 2 s instead of 4 s before attempt 3",
			Clauses:     clauses("WH-RTY-002"),
			Apply: withSchedule(func(s *reference.Schedule) {
				s.Delays = append(s.Delays[:1:1], s.Delay(3)/2)
			}),
		},
		{
			Name:        "threshold-8",
			Component:   "RetryPolicy",
			Description: "turns a webhook TooManyErrors after 8 consecutive failed attempts instead of 9",
			Clauses:     clauses("WH-STA-003", "WH-STA-004"),
			Apply: withSchedule(func(s *reference.Schedule) {
				s.ErrorThreshold = 8
			}),
		},
		{
			Name:        "threshold-10",
			Component:   "RetryPolicy",
			Description: "turns a webhook TooManyErrors only after 10 consecutive failed attempts instead of 9",
			Clauses:     clauses("WH-STA-003", "WH-SEV-003", "WH-EML-001"),
			Apply: withSchedule(func(s *reference.Schedule) {
				s.ErrorThreshold = 10
			}),
		},
		{
			Name:        "single-cycle",
			Component:   "RetryPolicy",
			Description: "discards a payload after its first failed cycle instead of requeuing it for the next",
			Clauses:     clauses("WH-RTY-004", "WH-STA-003"),
			Apply: withSchedule(func(s *reference.Schedule) {
				s.Cycles = 1
			}),
		},
		{
			Name:        "gone-retried",
			Component:   "RetryPolicy",
			Description: "retries a 410 Gone like a 500 instead of disabling the webhook at once",
			Clauses:     clauses("WH-STA-006"),
			Apply: func(o *reference.Options, _ *[]server.HandlerOption) error {
				o.RetryPolicy = nothingPermanent{schedule(o)}
				return nil
			},
		},
	}
}

// withSchedule returns an Apply that installs the configured Schedule
// changed by change.
func withSchedule(change func(s *reference.Schedule)) func(*reference.Options, *[]server.HandlerOption) error {
	return func(o *reference.Options, _ *[]server.HandlerOption) error {
		s := schedule(o)
		change(&s)
		o.RetryPolicy = s
		return nil
	}
}

// nothingPermanent is a Schedule for which no status is permanent.
type nothingPermanent struct{ reference.Schedule }

// Permanent implements reference.RetryPolicy: never.
func (nothingPermanent) Permanent(int) bool { return false }
