package framework_test

import (
	"strings"
	"testing"

	"github.com/hookcheck/hookcheck/conformance/driver"
	"github.com/hookcheck/hookcheck/conformance/embedded"
	"github.com/hookcheck/hookcheck/conformance/framework"
)

// TestSandboxCleansUpWhatItOwns drives a sandbox without Ginkgo against
// the embedded reference: its names carry its prefix, and Clean deletes
// the webhooks it created, a stored webhook under its prefix it never
// owned (a refused save the target stored anyway), and its channels, but
// leaves another sandbox's webhook alone.
func TestSandboxCleansUpWhatItOwns(t *testing.T) {
	ctx := t.Context()
	opts := embedded.Options{}
	env, closeEnv, err := framework.Open(ctx, framework.OpenConfig{StartTarget: embedded.Starter(opts), Profile: embedded.Profile(opts)})
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	defer closeEnv()

	sb, err := framework.NewSandbox(env, driver.Agents, "test-")
	if err != nil {
		t.Fatalf("new sandbox: %v", err)
	}
	other, err := framework.NewSandbox(env, driver.REST, "")
	if err != nil {
		t.Fatalf("new sandbox: %v", err)
	}
	ch, err := sb.OpenChannel(ctx)
	if err != nil {
		t.Fatalf("open channel: %v", err)
	}
	if !strings.HasPrefix(ch.Secret, "hc-secret-") || ch.URL == "" {
		t.Errorf("channel %+v: want a random secret and a URL", ch)
	}
	wh := sb.Webhook(ch, sb.Event("changed"))
	if !strings.HasPrefix(wh.Name, framework.HookNamePrefix+"test-") || !strings.HasSuffix(wh.Name, "-1") {
		t.Errorf("name %q: want %stest-<token>-1", wh.Name, framework.HookNamePrefix)
	}
	if wh.TargetURL != ch.URL || wh.Secret != ch.Secret || wh.Events[0] != sb.Entity+".changed" {
		t.Errorf("webhook %+v is not aimed at channel %+v with the sandbox's event", wh, ch)
	}
	owned, err := sb.CreateHook(ctx, nil, wh)
	if err != nil || owned == nil || owned.ID <= 0 {
		t.Fatalf("create through the sandbox's driver: %+v, %v", owned, err)
	}
	stray, err := other.D.Create(ctx, sb.Webhook(ch, sb.Event("changed")))
	if err != nil {
		t.Fatalf("create the stray webhook: %v", err)
	}
	kept, err := other.CreateHook(ctx, nil, other.Webhook(ch, other.Event("changed")))
	if err != nil {
		t.Fatalf("create another sandbox's webhook: %v", err)
	}

	if errs := sb.Clean(ctx); len(errs) > 0 {
		t.Fatalf("clean: %v", errs)
	}
	list, err := other.REST.List(ctx, driver.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	left := map[int32]bool{}
	for _, w := range list {
		left[w.ID] = true
	}
	if left[owned.ID] || left[stray.ID] || !left[kept.ID] {
		t.Errorf("after Clean: owned %d left %v, stray %d left %v, other's %d left %v (want false, false, true)",
			owned.ID, left[owned.ID], stray.ID, left[stray.ID], kept.ID, left[kept.ID])
	}
	if _, err := env.RV.Channel(ctx, ch.ID); err == nil {
		t.Errorf("channel %s survived Clean", ch.ID)
	}
	if errs := other.Clean(ctx); len(errs) > 0 {
		t.Fatalf("clean the other sandbox: %v", errs)
	}
}

// TestNewSandboxSaysWhyAStyleIsMissing: a style the target lacks is an
// error whose text is the reason a spec is skipped with.
func TestNewSandboxSaysWhyAStyleIsMissing(t *testing.T) {
	env, err := framework.NewEnv(framework.Target{BaseURL: "http://127.0.0.1:9", SOAPURL: framework.SOAPOff}, framework.DefaultProfile(), framework.ReceiverInfo{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := framework.NewSandbox(env, driver.SOAP, ""); err == nil || err.Error() != "the target has no SOAP front end (--soap-url off)" {
		t.Errorf("NewSandbox(SOAP off) = %v", err)
	}
}
