package main

import (
	"testing"

	"github.com/hookcheck/hookcheck/reports"
)

func TestUnstableNamesTheSpecsWhoseResultChanged(t *testing.T) {
	runs := []map[string]reports.State{
		{"a": reports.StatePassed, "b": reports.StatePassed, "c": reports.StateSkipped},
		{"a": reports.StatePassed, "b": reports.StateFailed, "c": reports.StateSkipped},
		{"a": reports.StatePassed, "b": reports.StatePassed},
	}
	got := unstable([]string{"a", "b", "c"}, runs)
	if len(got) != 2 || got[0].id != "b" || got[0].outcomes != "failed ×1, passed ×2" || got[1].id != "c" || got[1].outcomes != "missing ×1, skipped ×2" {
		t.Errorf("unstable = %+v", got)
	}
	if got := unstable([]string{"a"}, runs); len(got) != 0 {
		t.Errorf("a stable spec is reported: %+v", got)
	}
}

func TestRunRefusesTooFewRuns(t *testing.T) {
	var out, errOut testWriter
	if code := run([]string{"--runs", "1"}, &out, &errOut); code != 2 {
		t.Errorf("exit %d, want 2", code)
	}
}

// testWriter collects output.
type testWriter struct{ b []byte }

func (w *testWriter) Write(p []byte) (int, error) { w.b = append(w.b, p...); return len(p), nil }
