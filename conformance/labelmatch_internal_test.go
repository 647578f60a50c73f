package conformance

import (
	"strings"
	"testing"
)

func TestClosestLabelsNamesTheLabelsNoSpecHas(t *testing.T) {
	known := map[string]int{"crud": 60, "retry": 20, "rest": 100, "clause:WH-CRUD-001": 3, "clause:WH-CRUD-002": 3, "clause:WH-RTY-001": 3}
	for filter, want := range map[string]string{
		"crud && retyr":           `no spec has the label "retyr" (closest: retry)`,
		"clause:WH-CRUD-003":      `no spec has the label "clause:WH-CRUD-003" (closest: clause:WH-CRUD-001, clause:WH-CRUD-002`,
		"crud && zzzzzzzzzzzz":    `no spec has the label "zzzzzzzzzzzz"`,
		"crud && retry":           "every label in it exists, but no spec has them in this combination",
		"!rest && (crud || /x+/)": "every label in it exists",
	} {
		if got := closestLabels(filter, known); !strings.Contains(got, want) {
			t.Errorf("closestLabels(%q) = %q, want it to contain %q", filter, got, want)
		}
	}
}

func TestEditDistance(t *testing.T) {
	for _, c := range []struct {
		a, b string
		d    int
	}{{"retry", "retyr", 2}, {"", "abc", 3}, {"crud", "crud", 0}, {"kitten", "sitting", 3}} {
		if got := editDistance(c.a, c.b); got != c.d {
			t.Errorf("editDistance(%q, %q) = %d, want %d", c.a, c.b, got, c.d)
		}
	}
}
