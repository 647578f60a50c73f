package mutants

import (
	"github.com/hookcheck/hookcheck/conformance/reference"
	"github.com/hookcheck/hookcheck/conformance/reference/server"
)

// accountingMutants are faults of the usage accounting (spec §1.7, §5).
func accountingMutants() []Mutant {
	return []Mutant{
		{
			Name:        "consecutive-not-reset",
			Component:   "Accounting",
			Description: "does not reset consecutive_errors on a 200, so failures of separate streaks add up",
			Clauses:     clauses("WH-RTY-010", "WH-STA-015"),
			Apply: withAccounting(func(before, after reference.Usage, o reference.Outcome) reference.Usage {
				if o.Success {
					after.ConsecutiveErrors = before.ConsecutiveErrors
				}
				return after
			}),
		},
		{
			Name:        "last-error-not-recorded",
			Component:   "Accounting",
			Description: "never stores last_error, so LastError stays empty after failures",
			Clauses:     clauses("WH-STA-012", "WH-PAR-009"),
			Apply: withAccounting(func(before, after reference.Usage, _ reference.Outcome) reference.Usage {
				after.LastError = before.LastError
				return after
			}),
		},
	}
}

// changedAccounting is AttemptAccounting with its Record result changed.
type changedAccounting struct {
	reference.AttemptAccounting
	change func(before, after reference.Usage, o reference.Outcome) reference.Usage
}

// Record implements reference.UsageAccounting.
func (a changedAccounting) Record(u reference.Usage, o reference.Outcome) reference.Usage {
	return a.change(u, a.AttemptAccounting.Record(u, o), o)
}

// withAccounting returns an Apply that installs AttemptAccounting whose
// Record result is changed by change.
func withAccounting(change func(before, after reference.Usage, o reference.Outcome) reference.Usage) func(*reference.Options, *[]server.HandlerOption) error {
	return func(o *reference.Options, _ *[]server.HandlerOption) error {
		o.Accounting = changedAccounting{change: change}
		return nil
	}
}
