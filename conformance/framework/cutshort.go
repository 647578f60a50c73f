package framework

import (
	"context"
	"errors"

	. "github.com/onsi/ginkgo/v2"

	"github.com/hookcheck/hookcheck/reports"
)

// A spec the run cuts short is not a finding about the target: when the
// run's context ends (Ctrl-C, SIGTERM, or the runner saw the target stop
// answering) whatever the spec was waiting for fails with "context
// canceled", and that failure says nothing about the target. The runner
// registers FailHandler as Gomega's fail handler, and the receiver-wait
// helpers call cutShortIfRunEnded, so such a spec ends interrupted or not
// run instead of failed.

// TargetDown is the cause with which the runner cancels the specs'
// context when the target stopped answering; Reason is the one line the
// run prints.
type TargetDown struct{ Reason string }

// Error implements error.
func (t *TargetDown) Error() string { return t.Reason }

// InterruptedReason is the reason of a spec cut short by Ctrl-C or
// SIGTERM.
const InterruptedReason = "the run was interrupted (Ctrl-C or SIGTERM) while this spec ran"

// NotRun ends the running spec as not run: the run stopped before it
// (the target stopped answering). The report shows it as "notrun" with
// the reason, neither failed nor skipped.
func NotRun(reason string) {
	AddReportEntry(reports.NotRunEntry, reason)
	Skip("not run: "+reason, 1)
}

// Interrupted ends the running spec as interrupted: the report shows it
// as "interrupted" with the reason, not as a failure.
func Interrupted(reason string) {
	AddReportEntry(reports.InterruptedEntry, reason)
	Skip("interrupted: "+reason, 1)
}

// FailHandler is the Gomega fail handler of a run: a failure after the
// run's context ended ends the spec as interrupted or not run (see
// cutShortIfRunEnded); any other is Ginkgo's Fail.
func FailHandler(message string, callerSkip ...int) {
	cutShortIfRunEnded()
	skip := 0
	if len(callerSkip) > 0 {
		skip = callerSkip[0]
	}
	Fail(message, skip+1)
}

// cutShortIfRunEnded ends the running spec when the run's context has
// ended: not run when the runner saw the target stop answering,
// interrupted otherwise. It returns while the run goes on.
func cutShortIfRunEnded() {
	e := current.Load()
	if e == nil || e.runCtx == nil || e.runCtx.Err() == nil {
		return
	}
	var down *TargetDown
	if errors.As(context.Cause(e.runCtx), &down) {
		NotRun(down.Reason)
	}
	Interrupted(InterruptedReason)
}
