package reports

import (
	"sort"
	"strings"
)

// NotChecked is a clause a run skipped for want of a capability of the
// target: no spec of it passed or failed because the target does not
// mail the suite's SMTP sink, is on-site, lacks the v12.1 fields, or is
// not said to check certificate revocation.
type NotChecked struct {
	// Clause is the clause id.
	Clause string `json:"clause"`
	// Flag is the hookcheck run flag that would check it, e.g.
	// "--smtp-captured".
	Flag string `json:"flag"`
}

// capabilityFlags maps the catalogue's capability options (Clause.Option)
// to the flag of hookcheck run that turns the capability on. Other
// options describe how the target resolves an open point of the spec:
// their clauses are checked either way.
var capabilityFlags = map[string]string{
	"smtp-captured":    "--smtp-captured",
	"online":           "--online",
	"v121":             "--v121",
	"check-revocation": "--check-revocation",
}

// notChecked returns the clauses whose option is a capability and whose
// specs were all skipped (none passed, failed or was cut short by the
// run), in catalogue order.
func notChecked(clauses []ClauseResult, specs []Spec) []NotChecked {
	skippedOnly := map[string]bool{}
	for _, s := range specs {
		skipped := s.State == StateSkipped || s.State == StatePending
		if was, seen := skippedOnly[s.Clause]; !seen || was {
			skippedOnly[s.Clause] = skipped
		}
	}
	var out []NotChecked
	for _, c := range clauses {
		flag, ok := capabilityFlags[c.Option]
		if !ok || !skippedOnly[c.ID] {
			continue
		}
		out = append(out, NotChecked{Clause: c.ID, Flag: flag})
	}
	return out
}

// NotCheckedLines groups not-checked clauses by flag, one line each:
// "WH-EML-001–003 — pass --smtp-captured to check them", in flag order.
func NotCheckedLines(nc []NotChecked) []string {
	byFlag := map[string][]string{}
	for _, n := range nc {
		byFlag[n.Flag] = append(byFlag[n.Flag], n.Clause)
	}
	flags := make([]string, 0, len(byFlag))
	for f := range byFlag {
		flags = append(flags, f)
	}
	sort.Strings(flags)
	out := make([]string, 0, len(flags))
	for _, f := range flags {
		out = append(out, CompactIDs(byFlag[f])+" — pass "+f+" to check them")
	}
	return out
}

// notCheckedSummary is the not-checked clauses on one line.
func notCheckedSummary(nc []NotChecked) string {
	return strings.Join(NotCheckedLines(nc), "; ")
}
