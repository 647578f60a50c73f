package conformance

import (
	"context"
	"fmt"
	"slices"
	"strings"

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
}

// ExitCode is 0 when the gate passes, else 1.
func (r *Result) ExitCode() int {
	if r.Gate.Pass {
		return 0
	}
	return 1
}

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
	return runSpecs(ctx, ss.env, cfg, false)
}

// notInsideSpec refuses a run from inside a running Ginkgo spec (a test
// that calls Run in process): Ginkgo runs one suite per process.
func notInsideSpec() error {
	if r := CurrentSpecReport(); r.LeafNodeText != "" || !r.StartTime.IsZero() {
		return fmt.Errorf("%w: Run was called from inside a running Ginkgo spec", ErrAlreadyRan)
	}
	return nil
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
	run.Options = cfg.reportOptions()
	if cfg.FailFast {
		for _, s := range run.Specs {
			if s.SkipReason == StoppedByFailFast {
				run.Stopped = StoppedByFailFast
				break
			}
		}
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
