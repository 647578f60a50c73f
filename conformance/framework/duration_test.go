package framework

import (
	"testing"
	"time"
)

func TestBeDurationSpeaksHumanUnits(t *testing.T) {
	m := BeDuration(">=", 375*time.Millisecond)
	ok, err := m.Match(200760232 * time.Nanosecond)
	if err != nil || ok {
		t.Fatalf("Match = %v, %v; want false, nil", ok, err)
	}
	if got := m.FailureMessage(200760232 * time.Nanosecond); got != "expected 200.8ms to be ≥ 375ms" {
		t.Errorf("FailureMessage = %q", got)
	}
	if ok, _ := BeDuration("<", time.Second).Match(999 * time.Millisecond); !ok {
		t.Error("999ms < 1s")
	}
	if _, err := BeDuration(">=", time.Second).Match(5); err == nil {
		t.Error("an int is not a duration")
	}
	if _, err := BeDuration("~", time.Second).Match(time.Second); err == nil {
		t.Error("~ is no comparison")
	}
}
