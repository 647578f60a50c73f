package mutants

import (
	"slices"
	"strings"

	"github.com/hookcheck/hookcheck/conformance/reference"
	"github.com/hookcheck/hookcheck/conformance/reference/server"
)

// matcherMutants are faults of event and name matching (spec §2.2 R2,
// §9 #16).
func matcherMutants() []Mutant {
	return []Mutant{
		{
			Name:        "event-match-case-sensitive",
			Component:   "Matcher",
			Description: "matches event names case-sensitively, so CONTACT.CREATED misses contact.created",
			Clauses:     clauses("WH-DLV-015"),
			Apply: withMatcher(matcher{
				event: func(subscribed []string, event string) bool { return slices.Contains(subscribed, event) },
			}),
		},
		{
			Name:        "event-match-prefix",
			Component:   "Matcher",
			Description: "delivers every event whose name starts with a subscribed name",
			Clauses:     clauses("WH-DLV-015", "WH-DLV-012"),
			Apply: withMatcher(matcher{
				event: func(subscribed []string, event string) bool {
					for _, s := range subscribed {
						if strings.HasPrefix(strings.ToLower(event), strings.ToLower(s)) {
							return true
						}
					}
					return false
				},
			}),
		},
		{
			Name:        "name-filter-ignored",
			Component:   "Matcher",
			Description: "ignores the list's name filter and returns every webhook",
			Clauses:     clauses("WH-CRUD-008"),
			Apply: withMatcher(matcher{
				name: func(string, string) bool { return true },
			}),
		},
	}
}

// matcher is ExactMatcher with either function replaced.
type matcher struct {
	event func(subscribed []string, event string) bool
	name  func(name, filter string) bool
}

// MatchEvent implements reference.Matcher.
func (m matcher) MatchEvent(subscribed []string, event string) bool {
	if m.event == nil {
		return reference.ExactMatcher{}.MatchEvent(subscribed, event)
	}
	return m.event(subscribed, event)
}

// MatchName implements reference.Matcher.
func (m matcher) MatchName(name, filter string) bool {
	if m.name == nil {
		return reference.ExactMatcher{}.MatchName(name, filter)
	}
	return m.name(name, filter)
}

// withMatcher returns an Apply that installs m.
func withMatcher(m matcher) func(*reference.Options, *[]server.HandlerOption) error {
	return func(o *reference.Options, _ *[]server.HandlerOption) error {
		o.Matcher = m
		return nil
	}
}
