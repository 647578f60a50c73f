package framework

import (
	"strings"

	. "github.com/onsi/ginkgo/v2"

	"github.com/hookcheck/hookcheck/conformance/driver"
	"github.com/hookcheck/hookcheck/reports"
)

// Extra labels a spec may carry besides the ones Clause gives.
const (
	// LabelSlow marks specs that wait for a real timeout (the target's HTTP
	// timeout, 30 s on NetServer); filter them out with
	// --label-filter '!slow'.
	LabelSlow = "slow"
	// LabelSuite marks every spec of the suite; Run always selects it, so
	// specs of other suites linked into the same binary never run.
	LabelSuite = "conformance"
	// LevelUnknown is the level label of a clause id the catalogue lacks;
	// the catalogue test fails on it.
	LevelUnknown = "UNKNOWN"
)

// Clause returns the labels of a spec for clause id in the given API
// style: clause:<id>, level:<MUST|SHOULD>, the clause's area, the style
// and LabelSuite. An id the catalogue lacks gets level:UNKNOWN and area
// "other", which the catalogue test reports.
func Clause(id string, style driver.Style) Labels {
	level, area := LevelUnknown, "other"
	if cat, err := Catalogue(); err == nil {
		if c, ok := cat.Lookup(id); ok {
			level, area = c.Level, c.Area
		}
	}
	return Label(LabelSuite, reports.ClauseLabelPrefix+id, reports.LevelLabelPrefix+level, area, string(style))
}

// ClauseOf returns the clause id among a spec's labels, or "".
func ClauseOf(labels []string) string {
	for _, l := range labels {
		if id, ok := strings.CutPrefix(l, reports.ClauseLabelPrefix); ok {
			return id
		}
	}
	return ""
}
