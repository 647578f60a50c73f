package conformance_test

import (
	"os"
	"testing"

	"github.com/hookcheck/hookcheck/conformance"
	"github.com/hookcheck/hookcheck/conformance/embedded"
)

// TestConformance runs the whole suite against the embedded reference
// service, Online so the app-isolation specs run too. Every spec must pass
// or be skipped with a reason.
func TestConformance(t *testing.T) {
	opts := embedded.Options{Online: true}
	var progress *os.File
	if testing.Verbose() {
		progress = os.Stdout
	}
	cfg := conformance.RunConfig{
		StartTarget: embedded.Starter(opts),
		Profile:     embedded.Profile(opts),
		ReportDir:   t.TempDir(),
		Strict:      true,
		T:           t,
	}
	if progress != nil {
		cfg.Progress = progress
	}
	res, err := conformance.Run(t.Context(), cfg)
	if err != nil {
		t.Fatalf("conformance run: %v", err)
	}
	for _, s := range res.Run.Failures() {
		msg := ""
		if s.Failure != nil {
			msg = s.Failure.Message
		}
		t.Errorf("FAILED %s: %s", s.ID, msg)
	}
	if !res.Gate.Pass {
		t.Errorf("the release gate failed: %d unexpected failures, suite failures %v", len(res.Gate.UnexpectedFailures), res.Gate.SuiteFailures)
	}
	t.Logf("%d specs: %d passed, %d failed, %d skipped in %s", res.Run.Totals.Specs, res.Run.Totals.Passed, res.Run.Totals.Failed, res.Run.Totals.Skipped, res.Run.Duration)
}
