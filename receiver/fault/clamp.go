package fault

import (
	"fmt"
	"maps"

	"github.com/hookcheck/hookcheck/receiver/api"
)

// clamp limits the durations of r to lim.MaxDelay in place and returns one
// warning per clamped value.
func clamp(r *api.Rule, lim Limits) []string {
	var warnings []string
	one := func(field string, d *api.Duration) {
		if d.D() > lim.MaxDelay {
			warnings = append(warnings, fmt.Sprintf("%s %s is above the receiver's limit and was clamped to %s", field, d.D(), lim.MaxDelay))
			*d = api.Duration(lim.MaxDelay)
		}
	}
	if r.Respond != nil {
		one("respond.delay", &r.Respond.Delay)
		one("respond.jitter", &r.Respond.Jitter)
	}
	if r.Fault != nil {
		one("fault.duration", &r.Fault.Duration)
	}
	return warnings
}

// cloneRule deep-copies r so clamping never touches the caller's rules.
func cloneRule(r api.Rule) api.Rule {
	if r.Match != nil {
		m := *r.Match
		m.Header = maps.Clone(m.Header)
		r.Match = &m
	}
	if r.Respond != nil {
		rs := *r.Respond
		rs.Headers = maps.Clone(rs.Headers)
		r.Respond = &rs
	}
	r.Times = clonePtr(r.Times)
	r.Fault = clonePtr(r.Fault)
	r.Probability = clonePtr(r.Probability)
	r.Seed = clonePtr(r.Seed)
	return r
}

// clonePtr returns a pointer to a copy of *p, or nil.
func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}
