package reference

import "strings"

// Matcher decides which webhooks an event reaches and which pass a name
// filter (spec §9 #16).
type Matcher interface {
	// MatchEvent reports whether a hook subscribed to subscribed receives
	// event.
	MatchEvent(subscribed []string, event string) bool
	// MatchName reports whether a hook called name passes the nameFilter
	// filter (filter is never empty).
	MatchName(name, filter string) bool
}

// ExactMatcher matches case-insensitively and exactly, with no wildcards.
type ExactMatcher struct{}

// MatchEvent implements Matcher.
func (ExactMatcher) MatchEvent(subscribed []string, event string) bool {
	for _, e := range subscribed {
		if strings.EqualFold(e, event) {
			return true
		}
	}
	return false
}

// MatchName implements Matcher.
func (ExactMatcher) MatchName(name, filter string) bool { return strings.EqualFold(name, filter) }
