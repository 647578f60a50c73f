package reports

import (
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strings"

	"github.com/onsi/ginkgo/v2/types"
)

// maxOutput bounds the GinkgoWriter output kept for a failed spec.
const maxOutput = 64 << 10

// FromGinkgo builds the run model from a Ginkgo suite report, using the
// catalogue for clause titles, levels, references and areas. Suite-level
// nodes (BeforeSuite, AfterSuite, ...) appear only when they failed, as specs
// of area "suite". Target and Options are left for the caller to fill.
func FromGinkgo(r types.Report, catalogue Catalogue) Run {
	run := Run{
		Schema:        SchemaVersion,
		Suite:         r.SuiteDescription,
		StartedAt:     r.StartTime,
		Duration:      r.RunTime,
		SuiteFailures: append([]string(nil), r.SpecialSuiteFailureReasons...),
	}
	byID := map[string]Clause{}
	for _, c := range catalogue {
		byID[c.ID] = c
	}
	var parts []specIDParts
	for _, sr := range r.SpecReports {
		spec, part, ok := specFromGinkgo(sr, byID)
		if !ok {
			continue
		}
		run.Specs = append(run.Specs, spec)
		parts = append(parts, part)
	}
	for i, id := range assignSpecIDs(parts) {
		run.Specs[i].ID = id
	}
	run.Styles = columnStyles(run.Specs)
	run.Clauses = BuildClauses(catalogue, run.Specs, run.Styles)
	run.Totals = Count(run.Specs, run.Clauses)
	run.NotChecked = notChecked(run.Clauses, run.Specs)
	return run
}

// FromGinkgoReports merges several suite reports (a Ginkgo JSON report file
// holds a list) into one run.
func FromGinkgoReports(rs []types.Report, catalogue Catalogue) Run {
	if len(rs) == 0 {
		return FromGinkgo(types.Report{}, catalogue)
	}
	merged := rs[0]
	var names []string
	names = appendUnique(names, rs[0].SuiteDescription)
	for _, r := range rs[1:] {
		merged = merged.Add(r)
		names = appendUnique(names, r.SuiteDescription)
	}
	merged.SuiteDescription = strings.Join(names, ", ")
	return FromGinkgo(merged, catalogue)
}

// ReadGinkgoJSON reads a report written by ginkgo --json-report or
// reporters.GenerateJSONReport: a JSON list of suite reports.
func ReadGinkgoJSON(path string) ([]types.Report, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reports: read Ginkgo report: %w", err)
	}
	var rs []types.Report
	if err := json.Unmarshal(data, &rs); err != nil {
		return nil, fmt.Errorf("reports: Ginkgo report %s: %w", path, err)
	}
	return rs, nil
}

// specFromGinkgo converts one spec report; ok is false for suite-level
// nodes that did not fail.
func specFromGinkgo(sr types.SpecReport, catalogue map[string]Clause) (Spec, specIDParts, bool) {
	state := State(sr.State.String())
	if !sr.LeafNodeType.Is(types.NodeTypeIt) {
		if !state.Failed() {
			return Spec{}, specIDParts{}, false
		}
		leaf := "[" + sr.LeafNodeType.String() + "]"
		if sr.LeafNodeText != "" {
			leaf += " " + sr.LeafNodeText
		}
		sr.LeafNodeText = leaf
	}
	l := parseLabels(sr.Labels())
	cl, known := catalogue[l.clause]
	spec := Spec{
		Name:     strings.TrimSpace(strings.Join(append(append([]string{}, sr.ContainerHierarchyTexts...), sr.LeafNodeText), " ")),
		Clause:   l.clause,
		Level:    l.level,
		Area:     l.area,
		Style:    strings.Join(l.styles, "+"),
		Labels:   l.other,
		State:    state,
		Duration: sr.RunTime,
	}
	if spec.Level == "" && known {
		spec.Level = cl.Level
	}
	if spec.Area == "" && known {
		spec.Area = cl.Area
	}
	switch {
	case spec.Area != "":
	case !sr.LeafNodeType.Is(types.NodeTypeIt):
		spec.Area = "suite"
	default:
		spec.Area = "other"
	}
	if spec.Style == "" {
		spec.Style = AnyStyle
	}
	for _, e := range sr.ReportEntries {
		switch e.Name {
		case EvidenceEntry:
			if ev, ok := evidenceFromEntry(e); ok {
				spec.Evidence = append(spec.Evidence, ev)
			}
		case SkipReasonEntry:
			if spec.SkipReason == "" {
				spec.SkipReason = stringFromEntry(e)
			}
		case NotRunEntry, InterruptedEntry:
			// The run, not the spec, ended it: whatever Ginkgo recorded
			// after (a skip, a failure of the aborted wait), the spec did
			// not run to its end.
			if state != StatePassed {
				spec.SkipReason = stringFromEntry(e)
				state = StateNotRun
				if e.Name == InterruptedEntry {
					state = StateInterrupted
				}
				spec.State = state
			}
		}
	}
	switch {
	case state.Failed():
		spec.Failure = &Failure{
			Message:  stripANSI(sr.Failure.Message),
			Location: locationString(sr.Failure.Location),
			Panic:    stripANSI(sr.Failure.ForwardedPanic),
		}
		spec.Output = tail(stripANSI(sr.CombinedOutput()), maxOutput)
	case state == StateSkipped && spec.SkipReason == "":
		spec.SkipReason = strings.TrimSpace(stripANSI(sr.Failure.Message))
		if spec.SkipReason == "" {
			spec.SkipReason = "skipped without a reason (filtered out by a label filter or focus, or the suite stopped early)"
		}
	case state == StatePending && spec.SkipReason == "":
		spec.SkipReason = "pending (marked as not yet implemented)"
	case state == StateInterrupted && spec.SkipReason == "":
		spec.SkipReason = "interrupted: the run was stopped (Ctrl-C or SIGTERM) while this spec ran"
	}
	if !state.NotRun() {
		spec.SkipReason = ""
	}
	part := specIDParts{
		area: spec.Area, clause: spec.Clause, style: spec.Style,
		containers: sr.ContainerHierarchyTexts, leaf: sr.LeafNodeText,
	}
	return spec, part, true
}

// evidenceFromEntry decodes an evidence entry: the raw value when the report
// is still in memory, its JSON form when it was read from a file.
func evidenceFromEntry(e types.ReportEntry) (Evidence, bool) {
	switch v := e.GetRawValue().(type) {
	case Evidence:
		return v, true
	case *Evidence:
		if v != nil {
			return *v, true
		}
		return Evidence{}, false
	}
	data := []byte(e.Value.AsJSON)
	if len(data) == 0 {
		var err error
		if data, err = json.Marshal(e.GetRawValue()); err != nil {
			return Evidence{}, false
		}
	}
	var ev Evidence
	if err := json.Unmarshal(data, &ev); err != nil {
		// Not the agreed shape: keep what the suite said as text.
		return Evidence{Actual: e.StringRepresentation()}, true
	}
	return ev, true
}

// stringFromEntry returns a report entry's value as text.
func stringFromEntry(e types.ReportEntry) string {
	if s, ok := e.GetRawValue().(string); ok {
		return s
	}
	return e.StringRepresentation()
}

func locationString(cl types.CodeLocation) string {
	if cl.FileName == "" {
		return ""
	}
	return fmt.Sprintf("%s:%d", ModuleRelative(cl.FileName), cl.LineNumber)
}

// ansi matches terminal colour and cursor sequences.
var ansi = regexp.MustCompile(`\x1b\[[0-9;?]*[ -/]*[@-~]`)

// stripANSI removes terminal escape sequences from s.
func stripANSI(s string) string {
	return ansi.ReplaceAllString(s, "")
}

// tail keeps the last max bytes of s (on a line boundary when it can),
// saying how much was cut.
func tail(s string, max int) string {
	if len(s) <= max {
		return s
	}
	cut := s[len(s)-max:]
	if i := strings.IndexByte(cut, '\n'); i >= 0 && i < len(cut)-1 {
		cut = cut[i+1:]
	}
	return fmt.Sprintf("[… %d bytes cut …]\n%s", len(s)-len(cut), strings.ToValidUTF8(cut, ""))
}
