package conformance

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"

	. "github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/formatter"
	"github.com/onsi/ginkgo/v2/types"
	"github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/receiver"
	"github.com/hookcheck/hookcheck/reports"
)

// SuiteName is the Ginkgo description of the suite.
const SuiteName = "hookcheck conformance"

// RunConfig configures Run.
type RunConfig struct {
	// Target is the service under test; ignored when StartTarget is set.
	Target Target
	// StartTarget, when set, starts the target after the receiver (the
	// embedded reference service does this).
	StartTarget TargetStarter
	// Receiver configures the suite's receiver (listen addresses, public
	// URL); the zero value listens on 127.0.0.1 ephemeral ports.
	Receiver receiver.Config
	// Profile is how the target resolves the spec's open points.
	Profile Profile
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
	Ready func(Target)
}

// Result is the outcome of a run.
type Result struct {
	Run  reports.Run
	Gate reports.GateResult
	// Files are the report files written.
	Files []string
}

// ExitCode is 0 when the gate passes, else 1.
func (r *Result) ExitCode() int {
	if r.Gate.Pass {
		return 0
	}
	return 1
}

// ConfigError is a mistake in the configuration found before any spec
// ran: an unreachable target, refused credentials, a bad label filter.
// hookcheck run reports it on one line and exits 2.
type ConfigError struct{ Err error }

// Error implements error.
func (e *ConfigError) Error() string { return e.Err.Error() }

// Unwrap returns the cause.
func (e *ConfigError) Unwrap() error { return e.Err }

// configErrorf builds a *ConfigError.
func configErrorf(format string, args ...any) error {
	return &ConfigError{Err: fmt.Errorf(format, args...)}
}

// ran guards RunSpecs, which Ginkgo allows once per process.
var ran atomic.Bool

// ErrAlreadyRan is returned by a second Run in one process: Ginkgo runs a
// suite once per process.
var ErrAlreadyRan = errors.New("conformance: the suite already ran in this process (Ginkgo runs a suite once per process)")

// Run runs the conformance suite in-process: it starts the receiver (and
// the target, with StartTarget), checks the configuration (preflight),
// runs every selected spec through ginkgo.RunSpecs, writes the reports
// and applies the release gate. A *ConfigError means nothing ran.
func Run(ctx context.Context, cfg RunConfig) (*Result, error) {
	if err := cfg.Profile.Validate(); err != nil {
		return nil, &ConfigError{Err: fmt.Errorf("profile: %w", err)}
	}
	if cfg.LabelFilter != "" {
		if _, err := types.ParseLabelFilter(cfg.LabelFilter); err != nil {
			return nil, configErrorf("--label-filter %q: %s", cfg.LabelFilter, oneLine(err.Error()))
		}
	}
	cat, err := Catalogue()
	if err != nil {
		return nil, err
	}
	var expected reports.ExpectedFailures
	if cfg.ExpectedFailures != "" {
		if expected, err = reports.LoadExpectedFailures(cfg.ExpectedFailures); err != nil {
			return nil, &ConfigError{Err: err}
		}
	}
	env, closeEnv, err := Open(ctx, OpenConfig{Target: cfg.Target, StartTarget: cfg.StartTarget, Receiver: cfg.Receiver, Profile: cfg.Profile})
	if err != nil {
		return nil, err
	}
	defer closeEnv()
	target := env.Target

	if r := CurrentSpecReport(); r.LeafNodeText != "" || !r.StartTime.IsZero() {
		return nil, fmt.Errorf("%w: Run was called from inside a running Ginkgo spec", ErrAlreadyRan)
	}
	if !ran.CompareAndSwap(false, true) {
		return nil, ErrAlreadyRan
	}
	if cfg.Ready != nil {
		cfg.Ready(target)
	}
	report, err := runSpecs(ctx, env, cfg)
	if err != nil {
		return nil, err
	}
	report.SpecReports = slices.DeleteFunc(report.SpecReports, filteredOut)
	run := reports.FromGinkgo(report, cat)
	run.Target = target.Description
	run.Options = cfg.Profile.Options()
	maps.Copy(run.Options, cfg.Options)
	if cfg.LabelFilter != "" {
		run.Options["label-filter"] = cfg.LabelFilter
	}
	res := &Result{Run: run, Gate: reports.GateWithOptions(run, expected, reports.GateOptions{MustOnly: !cfg.Strict})}
	if cfg.ReportDir != "" {
		files, err := reports.WriteFormats(cfg.ReportDir, run, reports.AllFormats)
		if err != nil {
			return res, fmt.Errorf("conformance: write reports: %w", err)
		}
		res.Files = files
	}
	return res, nil
}

// runSpecs installs env and runs the suite through Ginkgo; the report is
// read back from the JSON report Ginkgo writes.
func runSpecs(ctx context.Context, env *Env, cfg RunConfig) (types.Report, error) {
	env.runCtx = ctx
	Install(env)
	defer Install(nil)
	armed.Store(true)
	defer armed.Store(false)
	if cfg.Progress != nil {
		progress.Store(&progressWriter{w: cfg.Progress})
		defer progress.Store(nil)
	}
	out := cfg.GinkgoOutput
	if out == nil {
		out = io.Discard
	}
	prevOut := formatter.ColorableStdOut
	formatter.ColorableStdOut = out
	defer func() { formatter.ColorableStdOut = prevOut }()

	dir, err := os.MkdirTemp("", "hookcheck-ginkgo-")
	if err != nil {
		return types.Report{}, fmt.Errorf("conformance: %w", err)
	}
	defer os.RemoveAll(dir)

	suiteConfig, reporterConfig := GinkgoConfiguration()
	suiteConfig.LabelFilter = SuiteFilter(cfg.LabelFilter, suiteConfig.LabelFilter)
	suiteConfig.RandomSeed = cfg.RandomSeed
	if suiteConfig.RandomSeed == 0 {
		suiteConfig.RandomSeed = 1
	}
	suiteConfig.RandomizeAllSpecs = false
	reporterConfig.NoColor = true
	reporterConfig.JSONReport = filepath.Join(dir, "ginkgo.json")
	reporterConfig.JUnitReport, reporterConfig.TeamcityReport, reporterConfig.GoJSONReport = "", "", ""

	t := cfg.T
	if t == nil {
		t = &failRecorder{}
	}
	gomega.RegisterFailHandler(Fail)
	RunSpecs(t, SuiteName, suiteConfig, reporterConfig)
	rs, err := reports.ReadGinkgoJSON(reporterConfig.JSONReport)
	if err != nil {
		return types.Report{}, fmt.Errorf("conformance: read back Ginkgo's report: %w", err)
	}
	if len(rs) != 1 {
		return types.Report{}, fmt.Errorf("conformance: Ginkgo's report holds %d suites, want 1", len(rs))
	}
	return rs[0], nil
}

// SuiteFilter combines the label filters of a run into the one Run hands
// Ginkgo: always the suite's own specs (LabelSuite), narrowed by each
// non-empty filter.
func SuiteFilter(filters ...string) string {
	out := LabelSuite
	for _, f := range filters {
		if strings.TrimSpace(f) != "" {
			out += " && (" + f + ")"
		}
	}
	return out
}

// failRecorder is the GinkgoTestingT of a run outside go test.
type failRecorder struct{ failed atomic.Bool }

// Fail implements GinkgoTestingT.
func (f *failRecorder) Fail() { f.failed.Store(true) }

// ansi matches terminal colour sequences.
var ansi = regexp.MustCompile(`\x1b\[[0-9;]*m`)

// oneLine flattens a multi-line, coloured message (Ginkgo's label-filter
// errors) into one plain line.
func oneLine(s string) string {
	var parts []string
	for _, l := range strings.Split(ansi.ReplaceAllString(s, ""), "\n") {
		l = strings.Join(strings.Fields(l), " ")
		if l == "" || strings.HasPrefix(l, "Learn more at") {
			continue
		}
		parts = append(parts, l)
	}
	return strings.Join(parts, " — ")
}
