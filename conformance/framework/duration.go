package framework

import (
	"fmt"
	"time"

	"github.com/onsi/gomega/types"

	"github.com/hookcheck/hookcheck/reports"
)

// BeDuration succeeds when the actual time.Duration compares to bound as
// op says (">=", ">", "<=", "<"), as BeNumerically does, but its failure
// message shows both in human units — "expected 200.8ms to be ≥ 375ms" —
// where Gomega would print nanoseconds.
func BeDuration(op string, bound time.Duration) types.GomegaMatcher {
	return &durationMatcher{op: op, bound: bound}
}

// durationMatcher is the matcher BeDuration returns.
type durationMatcher struct {
	op    string
	bound time.Duration
}

// opSymbols prints the comparison operators of BeDuration.
var opSymbols = map[string]string{">=": "≥", ">": ">", "<=": "≤", "<": "<"}

// Match implements types.GomegaMatcher.
func (m *durationMatcher) Match(actual any) (bool, error) {
	d, ok := actual.(time.Duration)
	if !ok {
		return false, fmt.Errorf("BeDuration wants a time.Duration, got %T", actual)
	}
	switch m.op {
	case ">=":
		return d >= m.bound, nil
	case ">":
		return d > m.bound, nil
	case "<=":
		return d <= m.bound, nil
	case "<":
		return d < m.bound, nil
	}
	return false, fmt.Errorf("BeDuration: unknown comparison %q (want >=, >, <= or <)", m.op)
}

// FailureMessage implements types.GomegaMatcher.
func (m *durationMatcher) FailureMessage(actual any) string {
	return fmt.Sprintf("expected %s to be %s %s", showDuration(actual), opSymbols[m.op], reports.ReadableDuration(m.bound))
}

// NegatedFailureMessage implements types.GomegaMatcher.
func (m *durationMatcher) NegatedFailureMessage(actual any) string {
	return fmt.Sprintf("expected %s not to be %s %s", showDuration(actual), opSymbols[m.op], reports.ReadableDuration(m.bound))
}

// showDuration prints a matcher's actual value: a duration in human units.
func showDuration(actual any) string {
	if d, ok := actual.(time.Duration); ok {
		return reports.ReadableDuration(d)
	}
	return fmt.Sprint(actual)
}

// Human prints a measured duration for a failure message, in human units
// (reports.ReadableDuration).
func Human(d time.Duration) string {
	return reports.ReadableDuration(d)
}
