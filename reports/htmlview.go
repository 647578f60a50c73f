package reports

import (
	"fmt"
	"slices"
	"strings"
)

// htmlView is what templates/report.html.tmpl renders.
type htmlView struct {
	Run      Run
	Pass     bool
	Partial  bool // a label filter left specs out
	Styles   []string
	Matrix   []matrixRow
	Failures []failureView
	Skips    []Spec
	// CutShort are the interrupted and not-run specs; Verdict is the
	// header's word for the run (passed, FAILED, INTERRUPTED, DID NOT
	// START); NotChecked the not-checked clauses on lines.
	CutShort   []Spec
	Verdict    string
	NotChecked []string
	Areas      []areaView
	// Options are the run's options in name order, folded in the page;
	// Highlights are the few also shown in the header.
	Options    []option
	Highlights []option
	// TimeScale is the run's time-scale option when it is not 1.
	TimeScale string
	// Clause counts by filter of the matrix: pass, fail, notrun.
	ClausesPass, ClausesFail, ClausesNotRun, ClausesLeftOut int
	// LeftOutIDs and PartlyIDs list the left-out clauses briefly.
	LeftOutIDs, PartlyIDs string
}

// option is one run option.
type option struct{ Name, Value string }

// highlighted are the options the header shows beside target and time.
var highlighted = []string{"label-filter", "mutant", "time-scale", "parallel"}

// matrixRow is one clause of the matrix.
type matrixRow struct {
	ClauseResult
	StatusText string
	Cells      []matrixCell
	Search     string // lower-case text the filter box matches
	Filter     string // pass, fail or notrun: what the badges filter on
}

// matrixCell is one clause × style cell.
type matrixCell struct {
	Status Status
	Class  string
	Text   string
	Title  string
	Anchor string // the first failure's anchor, for failed cells
}

// failureView is one failed spec with its evidence.
type failureView struct {
	Spec
	Anchor   string
	Title    string
	Headline string // the message on one line
	Message  string // the whole message, durations humanised
	// ShowMessage is false when an evidence's Actual is the message, so
	// the page shows it once.
	ShowMessage bool
	Evidence    []evidenceView
}

// evidenceView is one evidence entry with its laid-out timeline.
type evidenceView struct {
	Evidence
	Timeline *timeline
	Offsets  []string // each call's time since the first, for the table
}

// areaView lists the specs of one area.
type areaView struct {
	Name                  string
	Specs                 []specRow
	Passed, Failed, Other int
}

// specRow is one spec in the per-area lists.
type specRow struct {
	Spec
	Anchor string
	Class  string
	Detail string
}

// statusClass maps a status to its CSS class.
func statusClass(s Status) string {
	switch s {
	case StatusPass:
		return "pass"
	case StatusFail:
		return "fail"
	case StatusSkip:
		return "skip"
	}
	return "na"
}

// statusText is the text of a matrix cell, readable without colour.
func statusText(s Status) string {
	switch s {
	case StatusPass:
		return "pass"
	case StatusFail:
		return "FAIL"
	case StatusSkip:
		return "skip"
	}
	return "n/a"
}

func stateClass(s State) string {
	switch {
	case s.Failed():
		return "fail"
	case s == StatePassed:
		return "pass"
	case s.CutShort():
		return "na"
	}
	return "skip"
}

// runVerdict is the header's word for the run.
func runVerdict(run Run) string {
	switch {
	case run.NotStarted != "":
		return "DID NOT START"
	case run.Interrupted:
		return "INTERRUPTED"
	case run.Passed():
		return "passed"
	}
	return "FAILED"
}

// buildHTMLView prepares the run for the template.
func buildHTMLView(run Run) htmlView {
	v := htmlView{Run: run, Pass: run.Passed(), Partial: run.LeftOut != nil, Styles: run.Styles,
		Verdict: runVerdict(run), NotChecked: NotCheckedLines(run.NotChecked), CutShort: run.CutShort()}
	for k, val := range run.Options {
		v.Options = append(v.Options, option{k, val})
	}
	slices.SortFunc(v.Options, func(a, b option) int { return strings.Compare(a.Name, b.Name) })
	for _, name := range highlighted {
		if val, ok := run.Options[name]; ok && val != "" {
			v.Highlights = append(v.Highlights, option{name, val})
		}
	}
	if ts := run.Options["time-scale"]; ts != "" && ts != "1" {
		v.TimeScale = ts
	}
	if lo := run.LeftOut; lo != nil {
		v.ClausesLeftOut = len(lo.Clauses)
		v.LeftOutIDs, v.PartlyIDs = CompactIDs(lo.Clauses), CompactIDs(lo.Partly)
	}
	if len(v.Styles) == 0 {
		v.Styles = Styles
	}
	anchors := map[string]string{}
	for i, s := range run.Specs {
		anchors[s.ID] = fmt.Sprintf("spec-%d", i+1)
	}
	type key struct{ clause, style string }
	cellSpecs := map[key][]Spec{}
	for _, s := range run.Specs {
		for _, st := range splitStyle(s.Style) {
			k := key{s.Clause, st}
			cellSpecs[k] = append(cellSpecs[k], s)
		}
	}
	for _, c := range run.Clauses {
		row := matrixRow{ClauseResult: c, StatusText: statusText(c.Status), Filter: clauseFilter(c.Status)}
		if c.LeftOut {
			row.StatusText = "left out"
		}
		switch row.Filter {
		case "pass":
			v.ClausesPass++
		case "fail":
			v.ClausesFail++
		default:
			v.ClausesNotRun++
		}
		row.Search = strings.ToLower(strings.Join([]string{c.ID, c.Title, c.Level, c.Ref, c.Area, string(c.Status)}, " "))
		for _, st := range v.Styles {
			status, ok := c.Styles[st]
			if !ok {
				status = StatusNA
			}
			cell := matrixCell{Status: status, Class: statusClass(status), Text: statusText(status)}
			specs := cellSpecs[key{c.ID, st}]
			cell.Title = cellTitle(c, st, specs)
			for _, s := range specs {
				if s.State.Failed() {
					cell.Anchor = anchors[s.ID]
					break
				}
			}
			row.Cells = append(row.Cells, cell)
		}
		v.Matrix = append(v.Matrix, row)
	}
	for _, s := range run.Failures() {
		msg := failureMessage(s)
		fv := failureView{Spec: s, Anchor: anchors[s.ID], Title: specTitle(s), Headline: Headline(msg),
			Message: HumaniseDurations(msg), ShowMessage: true}
		for _, ev := range s.Evidence {
			if sameText(ev.Actual, msg) {
				fv.ShowMessage = false
			}
			ev.Expected, ev.Actual = HumaniseDurations(ev.Expected), HumaniseDurations(ev.Actual)
			ew := evidenceView{Evidence: ev, Timeline: layoutTimeline(ev.Calls)}
			if len(ev.Calls) > 0 {
				t0 := ev.Calls[0].At
				for _, c := range ev.Calls {
					if c.At.IsZero() || t0.IsZero() {
						ew.Offsets = append(ew.Offsets, "—")
					} else {
						ew.Offsets = append(ew.Offsets, "+"+humanDuration(c.At.Sub(t0)))
					}
				}
			}
			fv.Evidence = append(fv.Evidence, ew)
		}
		v.Failures = append(v.Failures, fv)
	}
	v.Skips = run.Skips()
	byArea := map[string]*areaView{}
	for _, a := range orderedAreas(run.Specs) {
		v.Areas = append(v.Areas, areaView{Name: a})
	}
	for i := range v.Areas {
		byArea[v.Areas[i].Name] = &v.Areas[i]
	}
	for _, s := range run.Specs {
		a := byArea[s.Area]
		row := specRow{Spec: s, Anchor: anchors[s.ID], Class: stateClass(s.State)}
		switch {
		case s.State.Failed():
			a.Failed++
			row.Detail = Headline(failureMessage(s))
		case s.State == StatePassed:
			a.Passed++
		default:
			a.Other++
			row.Detail = s.SkipReason
		}
		a.Specs = append(a.Specs, row)
	}
	return v
}

// clauseFilter is what the page's badges filter a clause row by: pass,
// fail, or notrun (skip and n/a: none of its specs passed or failed).
func clauseFilter(s Status) string {
	switch s {
	case StatusPass, StatusFail:
		return string(s)
	}
	return "notrun"
}

// cellTitle is the tooltip of a matrix cell.
func cellTitle(c ClauseResult, style string, specs []Spec) string {
	if len(specs) == 0 {
		if c.LeftOut {
			return fmt.Sprintf("%s in %s: left out by the label filter", c.ID, style)
		}
		if c.Option != "" {
			return fmt.Sprintf("%s in %s: no spec ran (needs profile option %q)", c.ID, style, c.Option)
		}
		return fmt.Sprintf("%s in %s: no spec ran", c.ID, style)
	}
	var passed, failed, other int
	for _, s := range specs {
		switch {
		case s.State.Failed():
			failed++
		case s.State == StatePassed:
			passed++
		default:
			other++
		}
	}
	return fmt.Sprintf("%s in %s: %s — %d passed, %d failed, %d skipped", c.ID, style, plural(len(specs), "spec"), passed, failed, other)
}
