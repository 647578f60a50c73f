package mutants

import (
	"github.com/hookcheck/hookcheck/conformance/reference"
	"github.com/hookcheck/hookcheck/conformance/reference/server"
)

// successMutants are faults of the SuccessPolicy (spec §5, §9 #2).
func successMutants() []Mutant {
	return []Mutant{
		{
			Name:        "any-2xx-success",
			Component:   "SuccessPolicy",
			Description: "counts every 2xx answer as delivered, not only 200 OK",
			Clauses:     clauses("WH-RTY-007", "WH-VER-008"),
			Apply:       withSuccess(func(status int) bool { return status >= 200 && status < 300 }),
		},
		{
			Name:        "redirect-success",
			Component:   "SuccessPolicy",
			Description: "counts every status below 400 as delivered, so a 302 answer to the test event passes the URL check",
			Clauses:     clauses("WH-VER-021", "WH-VER-008"),
			Apply:       withSuccess(func(status int) bool { return status >= 200 && status < 400 }),
		},
	}
}

// successFunc adapts a function to reference.SuccessPolicy.
type successFunc func(status int) bool

// Success implements reference.SuccessPolicy.
func (f successFunc) Success(status int) bool { return f(status) }

// withSuccess returns an Apply that installs ok as the SuccessPolicy.
func withSuccess(ok func(status int) bool) func(*reference.Options, *[]server.HandlerOption) error {
	return func(o *reference.Options, _ *[]server.HandlerOption) error {
		o.SuccessPolicy = successFunc(ok)
		return nil
	}
}
