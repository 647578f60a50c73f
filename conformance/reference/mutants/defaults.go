package mutants

import (
	"fmt"
	"slices"
	"time"

	"github.com/hookcheck/hookcheck/conformance/reference"
)

// This file gives a mutant the component the caller configured, so it can
// wrap or tweak that rather than NetServer's documented defaults. The
// defaults themselves are the reference's own (Options.Default…).

// schedule returns a copy of the Schedule o configures: its RetryPolicy
// when that is a Schedule, else DefaultSchedule.
func schedule(o *reference.Options) reference.Schedule {
	s, ok := o.RetryPolicy.(reference.Schedule)
	if !ok {
		return reference.DefaultSchedule()
	}
	s.Delays = slices.Clone(s.Delays)
	return s
}

// httpTimeout returns the target timeout o configures.
func httpTimeout(o *reference.Options) time.Duration {
	if o.HTTPTimeout > 0 {
		return o.HTTPTimeout
	}
	return reference.DefaultHTTPTimeout
}

// sender returns the default Sender o configures, with allowHTTP forcing
// plain http on when true.
func sender(o *reference.Options, allowHTTP bool) (*reference.HTTPSender, error) {
	c := *o
	c.AllowHTTP = o.AllowHTTP || allowHTTP
	s, err := c.DefaultSender()
	if err != nil {
		return nil, fmt.Errorf("building the HTTP sender: %w", err)
	}
	return s, nil
}
