package embedded_test

import (
	"context"
	"testing"
	"time"

	"github.com/hookcheck/hookcheck/conformance/driver"
	"github.com/hookcheck/hookcheck/conformance/embedded"
	"github.com/hookcheck/hookcheck/conformance/framework"
)

func TestStarterServesEveryFrontEnd(t *testing.T) {
	target, stop, err := embedded.Starter(embedded.Options{Online: true})(context.Background(), framework.ReceiverInfo{})
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := stop(); err != nil {
			t.Errorf("stop: %v", err)
		}
	}()
	if target.Auth.Ticket() == "" || target.AppToken == "" {
		t.Fatalf("an Online embedded target carries a ticket and an app token: %+v", target)
	}
	for _, st := range driver.Styles {
		d, err := driver.New(st, driver.Config{BaseURL: target.BaseURL, Auth: target.Auth, AppToken: target.AppToken})
		if err != nil {
			t.Fatal(err)
		}
		wh, err := d.Default(t.Context())
		if err != nil {
			t.Fatalf("%s Default: %v", st, err)
		}
		if wh.State != driver.StateActive {
			t.Errorf("%s Default State = %q", st, wh.State)
		}
		bad, _ := driver.New(st, driver.Config{BaseURL: target.BaseURL, Auth: target.Auth.Wrong(), AppToken: target.AppToken})
		if _, err := bad.Default(t.Context()); err == nil {
			t.Errorf("%s accepted wrong credentials", st)
		}
	}
}

func TestProfileMirrorsTheOptions(t *testing.T) {
	p := embedded.Profile(embedded.Options{TimeScale: 0.5, HTTPTimeout: 2 * time.Second, Online: true, AllowHTTP: true,
		RetryDelays: []time.Duration{time.Second}, AttemptsPerCycle: 2, Cycles: 4, ErrorThreshold: 5, Success: "2xx", Properties: "nested",
		SignalValues: true, ContextIdentifier: "Cust1"})
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	if p.TimeScale != 0.5 || p.TargetTimeout != 2*time.Second || !p.Online || p.RequireHTTPS || p.AttemptsPerCycle != 2 ||
		p.Cycles != 4 || p.ErrorThreshold != 5 || p.Success != "2xx" || p.Properties != "nested" || !p.SignalValues ||
		p.ContextIdentifier != "Cust1" || !p.SMTPCaptured || len(p.RetryDelays) != 1 {
		t.Errorf("the profile does not mirror the options: %+v", p)
	}
	d := embedded.Profile(embedded.Options{})
	if d.TimeScale != embedded.DefaultTimeScale || d.TargetTimeout != embedded.DefaultHTTPTimeout || !d.RequireHTTPS || d.UsageStats != "archive" {
		t.Errorf("the default embedded profile: %+v", d)
	}
}

func TestStarterRefusesUnknownMutants(t *testing.T) {
	_, _, err := embedded.Starter(embedded.Options{Mutant: "no-such-mutant"})(context.Background(), framework.ReceiverInfo{})
	if err == nil {
		t.Fatal("an unknown mutant was accepted")
	}
}
