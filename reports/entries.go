package reports

import (
	"fmt"
	"strings"
	"time"
)

// Report entry names the conformance suite uses with Ginkgo's AddReportEntry
// so that FromGinkgo can find the evidence of a spec.
const (
	// EvidenceEntry names a report entry whose value is an Evidence (or its
	// JSON form): what the spec expected, what it saw, and the calls the
	// receiver recorded. A spec may add several.
	EvidenceEntry = "evidence"
	// SkipReasonEntry names a report entry whose value is a string saying why
	// the spec was skipped (for example "needs --online"). Without it the
	// message given to Skip is used.
	SkipReasonEntry = "skip-reason"
	// NotRunEntry names a report entry whose value says why the run did
	// not run a spec it had selected (the target stopped answering): the
	// spec, skipped in Ginkgo's terms, is StateNotRun in the report.
	NotRunEntry = "not-run"
	// InterruptedEntry names a report entry whose value says what cut the
	// spec short (Ctrl-C, SIGTERM): the spec is StateInterrupted in the
	// report, not a failure.
	InterruptedEntry = "interrupted"
)

// Evidence is what a spec observed, attached with
// AddReportEntry(reports.EvidenceEntry, reports.Evidence{...}). Its JSON form
// is {"expected","actual","calls":[CallPoint...]}.
type Evidence struct {
	// Expected says what the clause requires, in words or values.
	Expected string `json:"expected"`
	// Actual says what the target did.
	Actual string `json:"actual"`
	// Calls are the deliveries the receiver recorded, in order; retry and
	// state specs get a timeline of them in report.html.
	Calls []CallPoint `json:"calls,omitempty"`
}

// CallPoint is one recorded delivery attempt, reduced to what a timeline
// needs. Its JSON names follow the receiver's CALL object.
type CallPoint struct {
	// Seq is the receiver's sequence number of the call.
	Seq int `json:"seq"`
	// At is when the receiver got the call.
	At time.Time `json:"receivedAt"`
	// EventID is the X-SuperOffice-EventId header; the timeline groups calls
	// by it.
	EventID string `json:"eventId,omitempty"`
	// Retry is the X-SuperOffice-Retry header (0 for the first attempt).
	Retry int `json:"retry"`
	// Status is the HTTP status the receiver answered (0 when a fault
	// prevented an answer).
	Status int `json:"status"`
	// Fault names the injected fault (reset, close, hang, ...), if any.
	Fault string `json:"fault,omitempty"`
}

// Succeeded reports whether the receiver accepted the call: a 2xx answer
// without an injected fault.
func (c CallPoint) Succeeded() bool {
	return c.Fault == "" && c.Status >= 200 && c.Status < 300
}

// String describes the evidence on a few lines, so Ginkgo's console output
// shows something readable for the report entry.
func (e Evidence) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "expected: %s\nactual:   %s", e.Expected, e.Actual)
	for _, c := range e.Calls {
		fmt.Fprintf(&b, "\n  #%d %s event=%s retry=%d status=%d", c.Seq, c.At.Format(time.RFC3339Nano), c.EventID, c.Retry, c.Status)
		if c.Fault != "" {
			fmt.Fprintf(&b, " fault=%s", c.Fault)
		}
	}
	return b.String()
}
