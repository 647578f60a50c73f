package conformance

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/hookcheck/hookcheck/conformance/framework"
	"github.com/hookcheck/hookcheck/reports"
)

// workerGrace is how long a worker may take to clean up (delete its
// spec's webhooks) and write its report after the run was interrupted.
const workerGrace = framework.CleanupTimeout + 10*time.Second

// runParallel is the executor of a run with cfg.Parallel workers: this
// process keeps the receiver and the target and coordinates; each worker
// process runs the whole Ginkgo tree in the same order, claiming each spec
// from the coordinator, and writes its report; the reports are merged into
// one.
func runParallel(ctx context.Context, cfg RunConfig, ss *session) (types.Report, error) {
	dir, err := os.MkdirTemp("", "hookcheck-parallel-")
	if err != nil {
		return types.Report{}, fmt.Errorf("conformance: %w", err)
	}
	defer os.RemoveAll(dir)

	board := newStatusBoard(cfg.Progress, cfg.Live, cfg.StatusEvery, cfg.Parallel)
	board.colour = cfg.Colour
	co := newCoordinator(ss.limiter, board)
	co.watch = ss.watch
	secret := make([]byte, 16)
	if _, err := rand.Read(secret); err != nil {
		return types.Report{}, fmt.Errorf("conformance: %w", err)
	}
	prefix := "/" + hex.EncodeToString(secret)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return types.Report{}, fmt.Errorf("conformance: coordinator: %w", err)
	}
	srv := &http.Server{Handler: co.handler(prefix), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()

	if cfg.Ready != nil {
		cfg.Ready(ss.target)
	}
	start := time.Now()
	stopTicker := make(chan struct{})
	var tickerDone sync.WaitGroup
	tickerDone.Go(func() {
		t := time.NewTicker(250 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				board.tick()
			case <-stopTicker:
				return
			}
		}
	})
	stopClaims := context.AfterFunc(ctx, co.stop)
	defer stopClaims()
	watchCtx, stopWatch := context.WithCancel(ctx)
	defer stopWatch()
	ss.watch.count = board.counts
	ss.watch.onDown = co.targetDown
	ss.watch.start(watchCtx)

	base := workerConfig{
		Coordinator: "http://" + ln.Addr().String() + prefix,
		Target:      ss.target,
		Profile:     cfg.Profile,
		Receiver:    ss.info,
		LabelFilter: cfg.LabelFilter,
		RandomSeed:  cfg.RandomSeed,
		RateLimited: ss.limiter != nil,
		Verbose:     cfg.GinkgoOutput != nil,
		Broken:      ss.env.BrokenFrontEnds(),
	}
	if cfg.FailFast {
		base.FailFast = &haltRule{Strict: cfg.Strict, Expected: ss.expected}
	}
	if base.RandomSeed == 0 {
		base.RandomSeed = 1
	}
	base.Target.HTTPClient = nil
	outcomes := make([]workerOutcome, cfg.Parallel)
	var wg sync.WaitGroup
	for i := range cfg.Parallel {
		wc := base
		wc.Index = i + 1
		wc.Report = filepath.Join(dir, fmt.Sprintf("worker-%d.json", wc.Index))
		wg.Go(func() {
			outcomes[i] = runWorkerProcess(ctx, cfg, wc, filepath.Join(dir, fmt.Sprintf("worker-%d.log", wc.Index)))
		})
	}
	wg.Wait()
	close(stopTicker)
	tickerDone.Wait()
	board.close()
	end := time.Now()

	var rs []types.Report
	var problems []string
	for i, o := range outcomes {
		if o.err != nil {
			problems = append(problems, fmt.Sprintf("worker %d: %v", i+1, o.err))
			continue
		}
		rs = append(rs, o.report)
	}
	if err := co.failure(); err != nil {
		problems = append(problems, err.Error())
	}
	merged, more := mergeReports(rs, start, end)
	problems = append(problems, more...)
	merged.SpecialSuiteFailureReasons = append(merged.SpecialSuiteFailureReasons, problems...)
	if len(problems) > 0 {
		merged.SuiteSucceeded = false
	}
	if merged.SuiteDescription == "" {
		merged.SuiteDescription = SuiteName
	}
	return merged, nil
}

// workerOutcome is what one worker process left: its report, or why
// there is none.
type workerOutcome struct {
	report types.Report
	err    error
}

// runWorkerProcess runs one worker to its end and reads its report. The
// worker runs in its own process group, so a Ctrl-C on the terminal
// reaches only this process, which passes one SIGINT on (Ginkgo then
// interrupts the running spec, which still cleans up, and writes the
// report) and kills the worker if it has not ended workerGrace later.
func runWorkerProcess(ctx context.Context, cfg RunConfig, wc workerConfig, logPath string) workerOutcome {
	data, err := json.Marshal(wc)
	if err != nil {
		return workerOutcome{err: fmt.Errorf("configuration: %w", err)}
	}
	log, err := os.Create(logPath)
	if err != nil {
		return workerOutcome{err: fmt.Errorf("log: %w", err)}
	}
	defer log.Close()
	cmd := cfg.Launch(context.WithoutCancel(ctx))
	cmd.Stdin = bytes.NewReader(data)
	cmd.Stdout, cmd.Stderr = log, log
	if cfg.GinkgoOutput != nil {
		cmd.Stderr = cfg.GinkgoOutput
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return workerOutcome{err: fmt.Errorf("start: %w", err)}
	}
	waited := make(chan error, 1)
	go func() { waited <- cmd.Wait() }()
	var werr error
	select {
	case werr = <-waited:
	case <-ctx.Done():
		_ = cmd.Process.Signal(os.Interrupt)
		select {
		case werr = <-waited:
		case <-time.After(workerGrace):
			_ = cmd.Process.Kill()
			werr = <-waited
		}
	}
	rs, rerr := reports.ReadGinkgoJSON(wc.Report)
	if rerr != nil || len(rs) != 1 {
		why := "no report"
		if werr != nil {
			why = werr.Error()
		}
		return workerOutcome{err: fmt.Errorf("ended without a report (%s)%s", why, logTail(logPath))}
	}
	return workerOutcome{report: rs[0]}
}

// logTail returns the last lines of a worker's log for an error message.
func logTail(path string) string {
	b, err := os.ReadFile(path)
	if err != nil || len(bytes.TrimSpace(b)) == 0 {
		return ""
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) > 5 {
		lines = lines[len(lines)-5:]
	}
	return ": " + strings.Join(lines, " | ")
}
