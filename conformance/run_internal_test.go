package conformance

import (
	"strings"
	"testing"
	"time"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/hookcheck/hookcheck/conformance/framework"
	"github.com/hookcheck/hookcheck/reports"
)

func TestSuiteFilterAlwaysSelectsTheSuite(t *testing.T) {
	for in, want := range map[string]string{
		"":                     "conformance",
		"crud":                 "conformance && (crud)",
		"crud || soap":         "conformance && (crud || soap)",
		"   ":                  "conformance",
		"!slow, clause:WH-X-1": "conformance && (!slow, clause:WH-X-1)",
	} {
		if got := SuiteFilter(in); got != want {
			t.Errorf("SuiteFilter(%q) = %q, want %q", in, got, want)
		}
	}
	if got := SuiteFilter("crud", "rest"); got != "conformance && (crud) && (rest)" {
		t.Errorf("SuiteFilter of two filters = %q", got)
	}
	if _, err := types.ParseLabelFilter(SuiteFilter("crud || soap")); err != nil {
		t.Errorf("the combined filter does not parse: %v", err)
	}
}

func TestOneLineFlattensGinkgoErrors(t *testing.T) {
	in := "\x1b[1mSyntax Error\x1b[0m\n  crud &&& (\n\n  Invalid token '&'.\n\n  Learn more at: http://x\n"
	got := oneLine(in)
	if strings.Contains(got, "\n") || strings.Contains(got, "\x1b") || strings.Contains(got, "Learn more") {
		t.Errorf("oneLine = %q", got)
	}
	if !strings.Contains(got, "Invalid token '&'.") {
		t.Errorf("oneLine dropped the reason: %q", got)
	}
}

func TestProgressLine(t *testing.T) {
	labels := framework.Clause("WH-DLV-004", "rest")
	r := types.SpecReport{
		ContainerHierarchyTexts:  []string{"delivery", "rest"},
		ContainerHierarchyLabels: [][]string{{}, {}},
		LeafNodeText:             "names the event",
		LeafNodeLabels:           labels,
		State:                    types.SpecStatePassed,
		RunTime:                  1234 * time.Millisecond,
	}
	got := ProgressLine(r)
	for _, want := range []string{"✓", "delivery", "WH-DLV-004", "rest", "delivery rest names the event", "(1.234s)"} {
		if !strings.Contains(got, want) {
			t.Errorf("ProgressLine = %q, lacks %q", got, want)
		}
	}
	r.State = types.SpecStateFailed
	r.Failure = types.Failure{Message: "expected 1\nto be 2"}
	if got := ProgressLine(r); !strings.HasPrefix(got, "✗") || !strings.HasSuffix(got, "— expected 1; to be 2") {
		t.Errorf("failed ProgressLine = %q", got)
	}
	r.State = types.SpecStateSkipped
	r.Failure = types.Failure{Message: "skip message"}
	r.ReportEntries = []types.ReportEntry{{Name: reports.SkipReasonEntry, Value: types.WrapEntryValue("needs --online")}}
	if got := ProgressLine(r); !strings.HasPrefix(got, "-") || !strings.HasSuffix(got, "skipped: needs --online") {
		t.Errorf("skipped ProgressLine = %q", got)
	}
	if filteredOut(r) {
		t.Error("a spec skipped with a reason is not filtered out")
	}
	if !filteredOut(types.SpecReport{State: types.SpecStateSkipped}) {
		t.Error("a spec skipped without a message was left out by a filter")
	}
}
