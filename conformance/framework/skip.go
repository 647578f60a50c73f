package conformance

import (
	. "github.com/onsi/ginkgo/v2"

	"github.com/hookcheck/hookcheck/reports"
)

// SkipBecause skips the running spec and records why, so the report shows
// the reason next to the clause instead of a silent pass.
func SkipBecause(reason string) {
	AddReportEntry(reports.SkipReasonEntry, reason)
	Skip(reason, 1)
}
