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
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	. "github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/formatter"
	"github.com/onsi/ginkgo/v2/types"
	"github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/conformance/driver"
	"github.com/hookcheck/hookcheck/conformance/framework"
	"github.com/hookcheck/hookcheck/receiver"
	"github.com/hookcheck/hookcheck/reports"
)

// SuiteName is the Ginkgo description of the suite.
const SuiteName = "hookcheck conformance"

// RunConfig configures Run.
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
	// Launch prepares the command of one worker process of a parallel run
	// (see RunWorker); required when Parallel is above 1.
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

// ran guards RunSpecs, which Ginkgo allows once per process.
var ran atomic.Bool

// ErrAlreadyRan is returned by a second Run in one process: Ginkgo runs a
// suite once per process.
var ErrAlreadyRan = errors.New("conformance: the suite already ran in this process (Ginkgo runs a suite once per process)")

// Run runs the conformance suite: it starts the receiver (and the target,
// with StartTarget), checks the configuration (preflight), runs every
// selected spec, writes the reports and applies the release gate. It does
// the set-up and the finish once; in between an executor runs the specs:
// with Parallel above 1 in worker processes (runParallel), otherwise in
// this process through ginkgo.RunSpecs (runSerial). A
// *framework.ConfigError means nothing ran.
func Run(ctx context.Context, cfg RunConfig) (*Result, error) {
	exec, err := executorOf(cfg)
	if err != nil {
		return nil, err
	}
	ss, err := setUp(ctx, cfg)
	if err != nil {
		return nil, err
	}
	defer ss.close()
	if err := notInsideSpec(); err != nil {
		return nil, err
	}
	report, err := exec(ctx, cfg, ss)
	if err != nil {
		return nil, err
	}
	return ss.finish(ctx, cfg, report)
}

// executor runs the selected specs of a run that is set up (each calls
// cfg.Ready just before its first spec) and returns the Ginkgo report of
// every spec.
type executor func(ctx context.Context, cfg RunConfig, ss *session) (types.Report, error)

// executorOf picks the executor of cfg, or says why cfg cannot run.
func executorOf(cfg RunConfig) (executor, error) {
	switch {
	case cfg.Parallel < 0:
		return nil, framework.ConfigErrorf("--parallel must be at least 1, got %d", cfg.Parallel)
	case cfg.Parallel <= 1:
		return runSerial, nil
	case cfg.Launch == nil:
		return nil, framework.ConfigErrorf("--parallel %d: no way to start worker processes", cfg.Parallel)
	}
	return runParallel, nil
}

// runSerial is the executor of a serial run: the specs run one by one in
// this process, in the order of the Ginkgo tree.
func runSerial(ctx context.Context, cfg RunConfig, ss *session) (types.Report, error) {
	if !ran.CompareAndSwap(false, true) {
		return types.Report{}, ErrAlreadyRan
	}
	if cfg.Ready != nil {
		cfg.Ready(ss.target)
	}
	if cfg.FailFast {
		failFast.Store(&haltRule{Strict: cfg.Strict, Expected: ss.expected})
		halted.Store(false)
		defer failFast.Store(nil)
	}
	return runSpecs(ctx, ss.env, cfg, nil)
}

// notInsideSpec refuses a run from inside a running Ginkgo spec (a test
// that calls Run in process): Ginkgo runs one suite per process.
func notInsideSpec() error {
	if r := CurrentSpecReport(); r.LeafNodeText != "" || !r.StartTime.IsZero() {
		return fmt.Errorf("%w: Run was called from inside a running Ginkgo spec", ErrAlreadyRan)
	}
	return nil
}

// session is what a run set up before its first spec: the receiver, the
// target and the Env the specs share.
type session struct {
	cat      reports.Catalogue
	expected reports.ExpectedFailures
	info     framework.ReceiverInfo
	target   framework.Target
	env      *framework.Env
	limiter  driver.Limiter
	closers  []func() error
}

// close stops the target and the receiver.
func (ss *session) close() {
	for i := len(ss.closers) - 1; i >= 0; i-- {
		_ = ss.closers[i]()
	}
}

// setUp validates cfg, starts the receiver and the target and runs the
// preflight.
func setUp(ctx context.Context, cfg RunConfig) (_ *session, err error) {
	if cfg.MaxRPS < 0 {
		return nil, framework.ConfigErrorf("--max-rps must not be negative, got %v", cfg.MaxRPS)
	}
	if cfg.LabelFilter != "" {
		if _, err := types.ParseLabelFilter(cfg.LabelFilter); err != nil {
			return nil, framework.ConfigErrorf("--label-filter %q: %s", cfg.LabelFilter, oneLine(err.Error()))
		}
	}
	ss := &session{}
	if ss.cat, err = framework.Catalogue(); err != nil {
		return nil, err
	}
	if cfg.ExpectedFailures != "" {
		if ss.expected, err = reports.LoadExpectedFailures(cfg.ExpectedFailures); err != nil {
			return nil, &framework.ConfigError{Err: err}
		}
	}
	if cfg.MaxRPS > 0 {
		ss.limiter = driver.NewTokenBucket(cfg.MaxRPS)
	}
	env, closeEnv, err := framework.Open(ctx, framework.OpenConfig{Target: cfg.Target, StartTarget: cfg.StartTarget,
		Receiver: cfg.Receiver, Profile: cfg.Profile, Limiter: ss.limiter,
		Preflight: framework.PreflightOptions{ConnectTimeout: cfg.ConnectTimeout, Progress: cfg.Progress}})
	if err != nil {
		return nil, err
	}
	ss.closers = append(ss.closers, func() error { closeEnv(); return nil })
	ss.env, ss.target, ss.info = env, env.Target, env.Receiver
	return ss, nil
}

// finish turns the Ginkgo report of the run into the result: the report
// in the stable shape, the gate and the report files.
func (ss *session) finish(ctx context.Context, cfg RunConfig, report types.Report) (*Result, error) {
	var left []types.SpecReport
	for _, sr := range report.SpecReports {
		if filteredOut(sr) && sr.LeafNodeType.Is(types.NodeTypeIt) {
			left = append(left, sr)
		}
	}
	report.SpecReports = slices.DeleteFunc(report.SpecReports, filteredOut)
	run := reports.FromGinkgo(report, ss.cat)
	if cfg.LabelFilter != "" {
		run.MarkLeftOut(cfg.LabelFilter, left)
	}
	run.Target = ss.target.Description
	run.Options = cfg.Profile.Options()
	maps.Copy(run.Options, cfg.Options)
	if cfg.LabelFilter != "" {
		run.Options["label-filter"] = cfg.LabelFilter
	}
	if cfg.Parallel > 1 {
		run.Options["parallel"] = strconv.Itoa(cfg.Parallel)
	}
	if cfg.FailFast {
		run.Options["fail-fast"] = "true"
		for _, s := range run.Specs {
			if s.SkipReason == StoppedByFailFast {
				run.Stopped = StoppedByFailFast
				break
			}
		}
	}
	if cfg.MaxRPS > 0 {
		run.Options["max-rps"] = strconv.FormatFloat(cfg.MaxRPS, 'g', -1, 64)
	}
	run.Interrupted = ctx.Err() != nil || interruptedReport(report)
	res := &Result{Run: run, Gate: reports.GateWithOptions(run, ss.expected, reports.GateOptions{MustOnly: !cfg.Strict, RequireAll: cfg.RequireAll})}
	if cfg.ReportDir != "" {
		files, err := reports.WriteFormats(cfg.ReportDir, run, reports.AllFormats)
		if err != nil {
			return res, fmt.Errorf("conformance: write reports: %w", err)
		}
		res.Files = files
	}
	return res, nil
}

// interruptedReport reports whether Ginkgo ended the suite early on an
// interrupt (Ctrl-C, SIGTERM).
func interruptedReport(r types.Report) bool {
	for _, reason := range r.SpecialSuiteFailureReasons {
		if strings.Contains(strings.ToLower(reason), "interrupt") {
			return true
		}
	}
	return false
}

// runSpecs installs env and runs the suite through Ginkgo; the report is
// read back from the JSON report Ginkgo writes.
func runSpecs(ctx context.Context, env *framework.Env, cfg RunConfig, w *worker) (types.Report, error) {
	if env != nil {
		env.SetRunContext(ctx)
	}
	framework.Install(env)
	defer framework.Install(nil)
	defer framework.Arm()()
	if cfg.Progress != nil {
		progress.Store(&progressWriter{w: cfg.Progress, colour: cfg.Colour})
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
	suiteConfig.DryRun = cfg.dryRun
	if w != nil {
		// Every worker walks the same order: each spec on its own, the
		// longest expected wait first (scheduleTransformer), serial specs
		// last.
		suiteConfig.RandomizeAllSpecs = true
		defer AddTreeConstructionNodeArgsTransformer(scheduleTransformer(env.Profile))()
		claims.Store(w)
		defer claims.Store(nil)
	}
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
	out := framework.LabelSuite
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
