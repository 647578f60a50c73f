package framework

import (
	"strings"
	"testing"
)

func TestClauseLabels(t *testing.T) {
	got := Clause("WH-RTY-002", "rest")
	want := []string{"conformance", "clause:WH-RTY-002", "level:MUST", "retry", "rest"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("Clause = %v, want %v", got, want)
	}
	if unknown := Clause("WH-NOPE-001", "soap"); !strings.Contains(strings.Join(unknown, " "), "level:UNKNOWN") {
		t.Errorf("an unknown clause gets level:UNKNOWN: %v", unknown)
	}
	if ClauseOf(got) != "WH-RTY-002" || ClauseOf([]string{"x"}) != "" {
		t.Error("ClauseOf")
	}
}
