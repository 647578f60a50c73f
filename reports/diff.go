package reports

import (
	"fmt"
	"io"
)

// DiffResult compares two runs spec by spec (by Spec.ID).
type DiffResult struct {
	// Regressions passed in the old run and fail in the new one.
	Regressions []DiffEntry `json:"regressions"`
	// Fixes failed in the old run and pass in the new one.
	Fixes []DiffEntry `json:"fixes"`
	// New are specs only the new run has.
	New []DiffEntry `json:"new"`
	// Removed are specs only the old run has.
	Removed []DiffEntry `json:"removed"`
	// Changed are specs present in both whose state changed otherwise (for
	// example skipped → failed, passed → skipped).
	Changed []DiffEntry `json:"changed,omitempty"`
}

// DiffEntry is one spec in a diff. Old or New is empty when the spec is
// missing from that run.
type DiffEntry struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Clause  string `json:"clause,omitempty"`
	Level   string `json:"level,omitempty"`
	Style   string `json:"style,omitempty"`
	Old     State  `json:"old,omitempty"`
	New     State  `json:"new,omitempty"`
	Message string `json:"message,omitempty"`
}

// Diff compares old and new by spec ID, in the new run's order (removed
// specs in the old run's order).
func Diff(old, new Run) DiffResult {
	res := DiffResult{Regressions: []DiffEntry{}, Fixes: []DiffEntry{}, New: []DiffEntry{}, Removed: []DiffEntry{}}
	before := map[string]Spec{}
	for _, s := range old.Specs {
		before[s.ID] = s
	}
	after := map[string]bool{}
	for _, s := range new.Specs {
		after[s.ID] = true
		o, had := before[s.ID]
		e := diffEntry(s)
		e.New = s.State
		if !had {
			res.New = append(res.New, e)
			continue
		}
		e.Old = o.State
		switch {
		case o.State == StatePassed && s.State.Failed():
			res.Regressions = append(res.Regressions, e)
		case o.State.Failed() && s.State == StatePassed:
			e.Message = ""
			res.Fixes = append(res.Fixes, e)
		case o.State != s.State:
			res.Changed = append(res.Changed, e)
		}
	}
	for _, s := range old.Specs {
		if !after[s.ID] {
			e := diffEntry(s)
			e.Old, e.Message = s.State, ""
			res.Removed = append(res.Removed, e)
		}
	}
	return res
}

func diffEntry(s Spec) DiffEntry {
	e := DiffEntry{ID: s.ID, Name: s.Name, Clause: s.Clause, Level: s.Level, Style: s.Style}
	if s.State.Failed() {
		e.Message = oneLine(failureMessage(s), 200)
	}
	return e
}

// HasRegressions reports whether any spec regressed.
func (d DiffResult) HasRegressions() bool {
	return len(d.Regressions) > 0
}

// WriteText prints the diff for people: a count line, then one line per
// regression, fix, state change, new and removed spec.
func (d DiffResult) WriteText(w io.Writer) error {
	lines := []string{fmt.Sprintf("%s, %s, %d changed, %d new, %d removed",
		plural(len(d.Regressions), "regression"), plural(len(d.Fixes), "fix"), len(d.Changed), len(d.New), len(d.Removed))}
	add := func(tag string, es []DiffEntry) {
		for _, e := range es {
			l := fmt.Sprintf("%-11s %s  %s → %s", tag, e.ID, orDash(string(e.Old)), orDash(string(e.New)))
			if e.Message != "" {
				l += ": " + e.Message
			}
			lines = append(lines, l)
		}
	}
	add("REGRESSION", d.Regressions)
	add("FIX", d.Fixes)
	add("CHANGED", d.Changed)
	add("NEW", d.New)
	add("REMOVED", d.Removed)
	for _, l := range lines {
		if _, err := fmt.Fprintln(w, l); err != nil {
			return fmt.Errorf("reports: write diff: %w", err)
		}
	}
	return nil
}
