package conformance

import (
	"context"
	"io"
	"maps"
	"os/exec"
	"strconv"
	"time"

	. "github.com/onsi/ginkgo/v2"

	"github.com/hookcheck/hookcheck/conformance/framework"
	"github.com/hookcheck/hookcheck/receiver"
)

// RunConfig says how the suite runs: what it tests and against which
// target, which specs, how many at a time, and where it reports.
type RunConfig struct {
	// Target is the service under test; ignored when StartTarget is set.
	Target framework.Target
	// StartTarget, when set, starts the target after the receiver (the
	// embedded reference service does this).
	StartTarget framework.TargetStarter
	// Receiver configures the suite's receiver (listen addresses, public
	// URL); the zero value listens on 127.0.0.1 ephemeral ports.
	Receiver receiver.Config
	// Profile is how the target resolves the spec's open points.
	Profile framework.Profile
	// LabelFilter selects specs (Ginkgo label-filter syntax, for example
	// "crud && rest" or "!slow").
	LabelFilter string
	// ExpectedFailures is a file of failures the gate accepts.
	ExpectedFailures string
	// Strict makes SHOULD failures fail the gate too.
	Strict bool
	// ReportDir receives report.json, junit.xml, summary.md and
	// report.html; "" writes none.
	ReportDir string
	// Progress receives one line per finished spec; nil prints nothing.
	Progress io.Writer
	// GinkgoOutput receives Ginkgo's own console report; nil discards it.
	GinkgoOutput io.Writer
	// T receives Ginkgo's failure signal; nil uses an internal recorder
	// (pass the *testing.T when running under go test).
	T GinkgoTestingT
	// RandomSeed orders the specs; 0 keeps the registration order seed 1.
	RandomSeed int64
	// Options are extra settings recorded in the report (the profile is
	// recorded anyway).
	Options map[string]string
	// Ready, when set, is called once the preflight passed, just before
	// the first spec runs.
	Ready func(framework.Target)

	// Parallel is how many specs run at a time, each in a worker process
	// that Launch starts; 0 or 1 runs them one by one in this process.
	Parallel int
	// Launch prepares the command of one worker process of a parallel run;
	// required when Parallel is above 1.
	Launch WorkerLauncher
	// MaxRPS, when positive, bounds the API requests the suite sends the
	// target per second (all workers together).
	MaxRPS float64
	// Live, in a parallel run, redraws one status line on Progress (a
	// terminal) instead of printing a plain status line every
	// StatusEvery.
	Live bool
	// StatusEvery is how often a parallel run prints a plain status line
	// when Live is false; 0 means 10 s.
	StatusEvery time.Duration
	// Colour colours the progress lines (Progress is a terminal and
	// NO_COLOR is not set).
	Colour bool
	// RequireAll fails the gate of a partial run: one whose LabelFilter
	// left specs out.
	RequireAll bool
	// ConnectTimeout bounds the preflight's first call to the target
	// (0: DefaultConnectTimeout); Progress gets a line every few seconds
	// while it waits.
	ConnectTimeout time.Duration
	// FailFast stops the run after the first failure the gate counts (a
	// MUST failure, any with Strict, not listed in ExpectedFailures): the
	// specs not started yet are skipped with StoppedByFailFast and the
	// report says Stopped. Specs already running finish.
	FailFast bool

	// dryRun walks the tree without running a spec (ListSpecs).
	dryRun bool
}

// reportOptions are the settings of cfg a report records: the profile's,
// Options, and the shape of the run (label filter, parallel, fail-fast,
// max-rps).
func (cfg RunConfig) reportOptions() map[string]string {
	out := cfg.Profile.Options()
	maps.Copy(out, cfg.Options)
	if cfg.LabelFilter != "" {
		out["label-filter"] = cfg.LabelFilter
	}
	if cfg.Parallel > 1 {
		out["parallel"] = strconv.Itoa(cfg.Parallel)
	}
	if cfg.FailFast {
		out["fail-fast"] = "true"
	}
	if cfg.MaxRPS > 0 {
		out["max-rps"] = strconv.FormatFloat(cfg.MaxRPS, 'g', -1, 64)
	}
	return out
}

// WorkerLauncher prepares the command of one worker process of a parallel
// run: a process that hands its stdin to RunWorker. The parallel executor
// sets the command's stdin, output, process group and cancellation, and
// starts it; ctx ends when the run is interrupted.
type WorkerLauncher func(ctx context.Context) *exec.Cmd
