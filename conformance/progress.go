package conformance

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/hookcheck/hookcheck/conformance/framework"
	"github.com/hookcheck/hookcheck/reports"
)

// progress is where a serial run prints one line per finished spec (nil:
// nowhere).
var progress atomic.Pointer[progressWriter]

// progressWriter serialises progress lines and numbers them.
type progressWriter struct {
	mu     sync.Mutex
	w      io.Writer
	colour bool
	total  int // the specs that will run; 0 until the suite starts
	done   int
}

// print writes the line of the next finished spec with its [n/N] counter.
func (pw *progressWriter) print(line string) {
	pw.mu.Lock()
	defer pw.mu.Unlock()
	pw.done++
	fmt.Fprintln(pw.w, Counter(pw.done, pw.total)+" "+paintProgress(pw.colour, line))
}

// Counter is the "[n/N]" before a finished spec's line, n padded to the
// width of N; N is "?" while unknown.
func Counter(n, total int) string {
	if total <= 0 {
		return fmt.Sprintf("[%d/?]", n)
	}
	return fmt.Sprintf("[%*d/%d]", len(strconv.Itoa(total)), n, total)
}

// ProgressLine formats one finished spec: a mark (✓ passed, ✗ failed, -
// skipped), area, clause, style, name and duration; a skip adds its
// reason.
func ProgressLine(r types.SpecReport) string {
	labels := r.Labels()
	area, style := "-", "-"
	for _, l := range labels {
		for _, a := range reports.Areas {
			if l == a {
				area = a
			}
		}
		for _, st := range reports.Styles {
			if l == st {
				style = st
			}
		}
	}
	mark := "?"
	cut, why := cutShort(r)
	switch {
	case cut != "":
		mark = "⏹"
	case r.State.Is(types.SpecStatePassed):
		mark = "✓"
	case r.State.Is(types.SpecStateSkipped | types.SpecStatePending):
		mark = "-"
	case r.State.Is(types.SpecStateFailureStates):
		mark = "✗"
	}
	name := strings.TrimSpace(strings.Join(append(append([]string{}, r.ContainerHierarchyTexts...), r.LeafNodeText), " "))
	line := fmt.Sprintf("%s %-12s %-12s %-6s %s (%s)", mark, area, framework.ClauseOf(labels), style, name, r.RunTime.Round(time.Millisecond))
	switch {
	case cut != "":
		line += " — " + cut + ": " + why
	case r.State.Is(types.SpecStateSkipped):
		line += " — skipped: " + framework.SkipReason(r)
	case r.State.Is(types.SpecStateFailureStates):
		line += " — " + reports.Headline(r.Failure.Message)
	}
	return line
}

// filteredOut reports whether a spec was left out by the label filter (or
// another Ginkgo filter) rather than skipped by the suite: it is skipped
// without a message and never ran.
func filteredOut(r types.SpecReport) bool {
	return r.State.Is(types.SpecStateSkipped) && r.Failure.Message == "" && len(r.ReportEntries) == 0
}

// cutShort says whether the run cut r short: "interrupted" or "not run"
// with the reason, or "" for a spec that ran to its end.
func cutShort(r types.SpecReport) (string, string) {
	for _, e := range r.ReportEntries {
		switch e.Name {
		case reports.InterruptedEntry:
			return "interrupted", e.StringRepresentation()
		case reports.NotRunEntry:
			return "not run", e.StringRepresentation()
		}
	}
	if r.State.Is(types.SpecStateInterrupted) {
		return "interrupted", framework.InterruptedReason
	}
	return "", ""
}

// notRun reports whether the run did not run r (the target had stopped
// answering): such specs get no progress line of their own, the run says
// it once.
func notRun(r types.SpecReport) bool {
	c, _ := cutShort(r)
	return c == "not run"
}
