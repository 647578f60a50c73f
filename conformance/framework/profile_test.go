package framework

import (
	"flag"
	"io"
	"strings"
	"testing"
	"time"
)

func TestDefaultProfileIsValidAndDocumented(t *testing.T) {
	p := DefaultProfile()
	if err := p.Validate(); err != nil {
		t.Fatalf("the default profile is invalid: %v", err)
	}
	if p.AttemptsPerCycle != 3 || p.Cycles != 3 || p.ErrorThreshold != 9 || p.Success != "200" || !p.RequireHTTPS {
		t.Errorf("the default profile is not NetServer's documented behaviour: %+v", p)
	}
	if got := p.RetryDelay(2); got != time.Second {
		t.Errorf("RetryDelay(2) = %s, want 1s", got)
	}
	if got := p.RetryDelay(3); got != 4*time.Second {
		t.Errorf("RetryDelay(3) = %s, want 4s", got)
	}
	if got := p.RetryDelay(7); got != 4*time.Second {
		t.Errorf("RetryDelay(7) = %s, want the last delay to repeat", got)
	}
	if got := p.CycleSpan(); got != 5*time.Second {
		t.Errorf("CycleSpan = %s, want 5s", got)
	}
}

func TestProfileScalesDelays(t *testing.T) {
	p := DefaultProfile()
	p.TimeScale = 0.05
	if got := p.RetryDelay(3); got != 200*time.Millisecond {
		t.Errorf("scaled RetryDelay(3) = %s, want 200ms", got)
	}
	if p.FailuresWait(9) <= 3*p.CycleSpan() {
		t.Errorf("FailuresWait(9) = %s leaves no room beyond three cycles of %s", p.FailuresWait(9), p.CycleSpan())
	}
}

func TestProfileValidateNamesTheFlag(t *testing.T) {
	for _, tc := range []struct {
		mod  func(*Profile)
		flag string
	}{
		{func(p *Profile) { p.TimeScale = 0 }, "--time-scale"},
		{func(p *Profile) { p.Success = "3xx" }, "--success"},
		{func(p *Profile) { p.Properties = "side" }, "--properties"},
		{func(p *Profile) { p.StateNumbering = "roman" }, "--state-numbering"},
		{func(p *Profile) { p.AttemptsPerCycle = 0 }, "--attempts-per-cycle"},
		{func(p *Profile) { p.Cycles = 0 }, "--cycles"},
		{func(p *Profile) { p.SaveErrorStatus = 200 }, "--save-error-status"},
		{func(p *Profile) { p.RetryDelays = nil }, "--retry-delays"},
		{func(p *Profile) { p.QuietPeriod = 0 }, "--quiet-period"},
	} {
		p := DefaultProfile()
		tc.mod(&p)
		err := p.Validate()
		if err == nil || !strings.Contains(err.Error(), tc.flag) {
			t.Errorf("Validate() = %v, want an error naming %s", err, tc.flag)
		}
	}
}

func TestProfileStateNumbering(t *testing.T) {
	p := DefaultProfile()
	if p.StateNumber("Active") != 1 || p.StateNumber("TooManyErrors") != 3 || p.StateNumber("stopped") != 2 {
		t.Error("enum numbering is 1 Active, 2 Stopped, 3 TooManyErrors")
	}
	p.StateNumbering = "ste"
	if p.StateNumber("Active") != 0 || p.StateNumber("TooManyErrors") != 2 {
		t.Error("ste numbering is 0 Active, 1 Stopped, 2 TooManyErrors")
	}
	if p.StateNumber("Unknown") != -1 {
		t.Error("ste numbering has no Unknown")
	}
}

func TestProfileFlagsRoundTrip(t *testing.T) {
	p := DefaultProfile()
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	p.RegisterFlags(fs)
	if err := fs.Parse([]string{"--retry-delays", "500ms, 2", "--success", "2xx", "--online", "--cycles", "4"}); err != nil {
		t.Fatal(err)
	}
	if len(p.RetryDelays) != 2 || p.RetryDelays[0] != 500*time.Millisecond || p.RetryDelays[1] != 2*time.Second {
		t.Errorf("--retry-delays parsed to %v", p.RetryDelays)
	}
	if p.Success != "2xx" || !p.Online || p.Cycles != 4 {
		t.Errorf("flags not applied: %+v", p)
	}
	opts := p.Options()
	if opts["retry-delays"] != "500ms,2s" || opts["success"] != "2xx" || opts["online"] != "true" {
		t.Errorf("Options() = %v", opts)
	}
	if err := fs.Parse([]string{"--retry-delays", "soon"}); err == nil {
		t.Error("--retry-delays soon was accepted")
	}
	if !p.SuccessStatus(204) {
		t.Error("2xx accepts 204")
	}
}

func TestScaledTextShowsTheSpecValueAndTheScale(t *testing.T) {
	p := DefaultProfile()
	if got := p.ScaledText(4 * time.Second); got != "4s" {
		t.Errorf("at time-scale 1: %q", got)
	}
	p.TimeScale = 0.1
	if got := p.ScaledText(p.SpecRetryDelay(3)); got != "400ms (spec 4s × time-scale 0.1)" {
		t.Errorf("at time-scale 0.1: %q", got)
	}
	if p.RetryDelay(3) != 400*time.Millisecond {
		t.Errorf("RetryDelay(3) = %s", p.RetryDelay(3))
	}
}
