package conformance

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	. "github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"

	"github.com/hookcheck/hookcheck/conformance/framework"
	"github.com/hookcheck/hookcheck/reports"
)

// Result is the outcome of a run.
type Result struct {
	Run  reports.Run
	Gate reports.GateResult
	// Files are the report files written.
	Files []string
	// ReportError, when set, says why the reports could not be written:
	// the run's verdict cannot be taken, and it exits 2.
	ReportError error
}

// Exit codes of a run, as hookcheck run exits.
const (
	// ExitPass: the gate passed.
	ExitPass = 0
	// ExitFail: the gate failed (failures of the target, or a target
	// that stopped answering).
	ExitFail = 1
	// ExitConfig: the run did not start, or its reports could not be
	// written; the operator must fix something.
	ExitConfig = 2
	// ExitInterrupted: Ctrl-C or SIGTERM stopped the run (128+SIGINT).
	ExitInterrupted = 130
)

// ExitCode is ExitConfig when the reports could not be written,
// ExitInterrupted for an interrupted run, else ExitPass when the gate
// passes and ExitFail when it does not.
func (r *Result) ExitCode() int {
	switch {
	case r.ReportError != nil:
		return ExitConfig
	case r.Run.Interrupted:
		return ExitInterrupted
	case r.Gate.Pass:
		return ExitPass
	}
	return ExitFail
}

// Run runs the conformance suite: it starts the receiver (and the target,
// with StartTarget), checks the configuration (preflight), runs every
// selected spec, writes the reports and applies the release gate. It does
// the set-up and the finish once; in between an executor runs the specs:
// with Parallel above 1 in worker processes (runParallel), otherwise in
// this process through ginkgo.RunSpecs (runSerial). A
// *framework.ConfigError means nothing ran: the result then is the report
// of a run that did not start (written to ReportDir), saying why.
func Run(ctx context.Context, cfg RunConfig) (*Result, error) {
	started := time.Now()
	exec, err := executorOf(cfg)
	if err != nil {
		return notStarted(cfg, started, err)
	}
	ss, err := setUp(ctx, cfg)
	if err != nil {
		return notStarted(cfg, started, err)
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

// notStarted is the result of a run that did not start because of err:
// the report says so (one entry, the reason), and is written to
// cfg.ReportDir so a CI job's summary and test report show the cause.
// It returns err, with the report's own failure added when it could not
// be written.
func notStarted(cfg RunConfig, started time.Time, err error) (*Result, error) {
	run := reports.NotStartedRun(err.Error(), started)
	run.Options = cfg.reportOptions()
	res := &Result{Run: run, Gate: reports.GateWithOptions(run, nil, reports.GateOptions{})}
	if cfg.ReportDir == "" {
		return res, err
	}
	files, werr := reports.WriteFormats(cfg.ReportDir, run, reports.AllFormats)
	res.Files = files
	if werr != nil {
		res.ReportError = werr
		return res, fmt.Errorf("%w (and its report could not be written: %v)", err, werr)
	}
	return res, err
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
	// The specs' context ends with the run, or with the target: when the
	// watch sees it stop answering, the specs not started are not run and
	// the running one is cut short.
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	serialCount.done.Store(0)
	serialCount.total.Store(0)
	ss.watch.count = serialProgress
	ss.watch.onDown = func(reason string) {
		targetGone.Store(&reason)
		cancel(&framework.TargetDown{Reason: reason})
	}
	defer targetGone.Store(nil)
	ss.watch.start(ctx)
	return runSpecs(ctx, ss.env, cfg, false)
}

// targetGone is the reason a serial run's target stopped answering (nil
// while it answers): the specs not started yet are not run.
var targetGone atomic.Pointer[string]

// notInsideSpec refuses a run from inside a running Ginkgo spec (a test
// that calls Run in process): Ginkgo runs one suite per process.
func notInsideSpec() error {
	if r := CurrentSpecReport(); r.LeafNodeText != "" || !r.StartTime.IsZero() {
		return fmt.Errorf("%w: Run was called from inside a running Ginkgo spec", ErrAlreadyRan)
	}
	return nil
}

// finish turns the Ginkgo report of the run into the result: the report
// in the stable shape, the gate and the report files. A label filter
// that selected no spec is a *framework.ConfigError. A failure to write
// the reports is returned with the result (ReportError).
func (ss *session) finish(ctx context.Context, cfg RunConfig, report types.Report) (*Result, error) {
	interrupted := ctx.Err() != nil || interruptedReport(report)
	if interrupted || ss.watch.reason() != "" {
		why := "the run was interrupted before this spec started"
		if r := ss.watch.reason(); r != "" && !interrupted {
			why = r
		}
		markUnstarted(&report, cfg.LabelFilter, why)
	}
	var left []types.SpecReport
	selected := 0
	for _, sr := range report.SpecReports {
		if !sr.LeafNodeType.Is(types.NodeTypeIt) {
			continue
		}
		if filteredOut(sr) {
			left = append(left, sr)
		} else {
			selected++
		}
	}
	if selected == 0 && cfg.LabelFilter != "" && !interrupted {
		return notStarted(cfg, report.StartTime, noSpecMatches(cfg.LabelFilter, left))
	}
	report.SpecReports = slices.DeleteFunc(report.SpecReports, filteredOut)
	if interrupted {
		report.SpecialSuiteFailureReasons = slices.DeleteFunc(report.SpecialSuiteFailureReasons, func(r string) bool {
			return strings.Contains(strings.ToLower(r), "interrupt")
		})
	}
	run := reports.FromGinkgo(report, ss.cat)
	if cfg.LabelFilter != "" {
		run.MarkLeftOut(cfg.LabelFilter, left)
	}
	run.Target = ss.target.Description
	run.Options = cfg.reportOptions()
	if cfg.FailFast {
		for _, s := range run.Specs {
			if s.SkipReason == StoppedByFailFast {
				run.Stopped = StoppedByFailFast
				break
			}
		}
	}
	run.Interrupted = interrupted
	run.TargetStopped = ss.watch.reason()
	res := &Result{Run: run, Gate: reports.GateWithOptions(run, ss.expected, reports.GateOptions{MustOnly: !cfg.Strict, RequireAll: cfg.RequireAll})}
	if cfg.ReportDir != "" {
		files, err := reports.WriteFormats(cfg.ReportDir, run, reports.AllFormats)
		res.Files = files
		if err != nil {
			res.ReportError = fmt.Errorf("conformance: write reports: %w", err)
			return res, res.ReportError
		}
	}
	return res, nil
}

// markUnstarted marks the specs of the run that never started (Ginkgo
// skips every spec after an interrupt the way it skips a filtered-out
// one) as not run, with why: a spec the run's filter selects is one the
// run meant to run.
func markUnstarted(report *types.Report, filter, why string) {
	selects, err := types.ParseLabelFilter(SuiteFilter(filter))
	if err != nil {
		return
	}
	for i, sr := range report.SpecReports {
		if !sr.LeafNodeType.Is(types.NodeTypeIt) || !filteredOut(sr) || !selects(sr.Labels()) {
			continue
		}
		report.SpecReports[i].ReportEntries = append(report.SpecReports[i].ReportEntries,
			types.ReportEntry{Name: reports.NotRunEntry, Value: types.WrapEntryValue(why)})
	}
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
