package framework

import (
	. "github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"

	"github.com/hookcheck/hookcheck/reports"
)

// SkipBecause skips the running spec and records why, so the report shows
// the reason next to the clause instead of a silent pass.
func SkipBecause(reason string) {
	AddReportEntry(reports.SkipReasonEntry, reason)
	Skip(reason, 1)
}

// SkipReason returns the reason SkipBecause recorded for a skipped spec,
// or else the first line of its skip message.
func SkipReason(r types.SpecReport) string {
	for _, e := range r.ReportEntries {
		if e.Name == reports.SkipReasonEntry {
			return e.StringRepresentation()
		}
	}
	return firstLine(r.Failure.Message)
}
