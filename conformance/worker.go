package conformance

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	. "github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"

	"github.com/hookcheck/hookcheck/conformance/driver"
	"github.com/hookcheck/hookcheck/conformance/framework"
	"github.com/hookcheck/hookcheck/receiver/client"
	"github.com/hookcheck/hookcheck/reports"
)

// claimedElsewhere is the skip message of a spec another worker ran; the
// merge of the workers' reports drops these copies.
const claimedElsewhere = "hookcheck: run by another worker of this parallel run"

// interruptedBeforeStart is the not-run reason of a spec a worker owned
// but did not start because the run was interrupted.
const interruptedBeforeStart = "the run was interrupted before this spec started"

// claims is the worker of this process while a parallel run's worker runs
// its specs (nil otherwise).
var claims atomic.Pointer[worker]

// worker is the client side of a parallel run: it asks the coordinator
// for each spec of the shared order and reports the ones it ran.
type worker struct {
	cfg workerConfig
	hc  *http.Client

	mu      sync.Mutex
	seq     int // position of the next spec in the order
	current int // position of the spec this worker runs, -1: none
}

// RunWorker is the body of one worker process of a parallel run: it reads
// its configuration from in (written by the coordinator), runs its share
// of the specs through ginkgo.RunSpecs and writes its Ginkgo report where
// the configuration says. It returns once the report is written.
func RunWorker(ctx context.Context, in io.Reader, ginkgoOut io.Writer) error {
	var cfg workerConfig
	if err := json.NewDecoder(in).Decode(&cfg); err != nil {
		return fmt.Errorf("conformance: worker configuration: %w", err)
	}
	if cfg.Coordinator == "" || cfg.Report == "" {
		return errors.New("conformance: worker configuration lacks the coordinator or the report path")
	}
	if !ran.CompareAndSwap(false, true) {
		return ErrAlreadyRan
	}
	w := &worker{cfg: cfg, hc: &http.Client{}, current: -1}
	target := cfg.Target
	target.HTTPClient = driver.WatchClient(nil, remoteWatcher{w})
	if cfg.RateLimited {
		target.HTTPClient = driver.LimitClient(target.HTTPClient, remoteLimiter{w})
	}
	env, err := framework.NewEnv(target, cfg.Profile, cfg.Receiver, client.New(cfg.Receiver.ControlURL))
	if err != nil {
		return err
	}
	for st, reason := range cfg.Broken {
		env.MarkBroken(st, reason)
	}
	// The specs' context ends with the worker, or when the coordinator
	// says the target stopped answering: the running spec is cut short.
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	go w.watchStop(ctx, cancel)
	rc := RunConfig{LabelFilter: cfg.LabelFilter, RandomSeed: cfg.RandomSeed}
	if cfg.Verbose {
		rc.GinkgoOutput = ginkgoOut
	}
	claims.Store(w)
	defer claims.Store(nil)
	report, err := runSpecs(ctx, env, rc, true)
	if err != nil {
		return err
	}
	data, err := json.Marshal([]types.Report{report})
	if err != nil {
		return fmt.Errorf("conformance: worker report: %w", err)
	}
	if err := os.WriteFile(cfg.Report, data, 0o600); err != nil {
		return fmt.Errorf("conformance: worker report: %w", err)
	}
	return nil
}

// post sends one message to the coordinator and decodes its answer into
// out (nil: none expected).
func (w *worker) post(ctx context.Context, path string, in, out any) error {
	body, err := json.Marshal(in)
	if err != nil {
		return fmt.Errorf("conformance: worker: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.cfg.Coordinator+path, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("conformance: worker: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := w.hc.Do(req)
	if err != nil {
		return fmt.Errorf("conformance: worker %s: %w", path, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		return fmt.Errorf("conformance: worker %s: coordinator answered %d: %s", path, resp.StatusCode, strings.TrimSpace(string(msg)))
	}
	if out == nil {
		return nil
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		return fmt.Errorf("conformance: worker %s: %w", path, err)
	}
	return nil
}

// begin tells the coordinator how many specs will run.
func (w *worker) begin(total int) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := w.post(ctx, "/begin", beginRequest{Worker: w.cfg.Index, Total: total}, nil); err != nil {
		GinkgoWriter.Printf("%v\n", err)
	}
}

// claim asks the coordinator whether this worker runs the current spec,
// and skips the spec when another worker does. claimSpec calls it first
// thing in every spec.
func (w *worker) claim(ctx SpecContext) {
	r := CurrentSpecReport()
	w.mu.Lock()
	seq := w.seq
	w.seq++
	w.current = -1
	w.mu.Unlock()
	req := claimRequest{Worker: w.cfg.Index, Seq: seq, Key: specKey(r), Tag: specTag(r), Serial: r.IsSerial, Wait: specWait(r, w.cfg.Profile)}
	var ans claimAnswer
	if err := w.post(ctx, "/claim", req, &ans); err != nil {
		if ctx.Err() != nil {
			framework.NotRun(interruptedBeforeStart)
		}
		Fail(fmt.Sprintf("parallel run: %v", err))
	}
	if ans.Halted {
		framework.SkipBecause(StoppedByFailFast)
	}
	if ans.NotRun != "" {
		framework.NotRun(ans.NotRun)
	}
	if ans.Interrupted {
		framework.NotRun(interruptedBeforeStart)
	}
	if !ans.Granted {
		Skip(claimedElsewhere)
	}
	w.mu.Lock()
	w.current = seq
	w.mu.Unlock()
}

// done reports a finished spec to the coordinator when this worker ran
// it.
func (w *worker) done(r types.SpecReport) {
	w.mu.Lock()
	seq := w.current
	w.current = -1
	w.mu.Unlock()
	if seq < 0 {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req := doneRequest{Worker: w.cfg.Index, Seq: seq, Line: ProgressLine(r), Failed: r.State.Is(types.SpecStateFailureStates)}
	if notRun(r) {
		req.Line = ""
	}
	if w.cfg.FailFast != nil {
		req.Halt = w.cfg.FailFast.stops(r)
	}
	if err := w.post(ctx, "/done", req, nil); err != nil {
		GinkgoWriter.Printf("%v\n", err)
	}
}

// watchStop long-polls the coordinator until it says the run stops its
// specs (the target stopped answering), then cancels the specs' context
// with that reason; it returns when ctx ends.
func (w *worker) watchStop(ctx context.Context, cancel context.CancelCauseFunc) {
	for ctx.Err() == nil {
		var ans watchAnswer
		if err := w.post(ctx, "/watch", struct{}{}, &ans); err != nil {
			return
		}
		if ans.Stop != "" {
			cancel(&framework.TargetDown{Reason: ans.Stop})
			return
		}
	}
}

// remoteWatcher tells the coordinator about the worker's API calls that
// got no answer from the target; the calls that got one are not
// reported (the coordinator confirms with a probe of its own).
type remoteWatcher struct{ w *worker }

// Answered implements driver.ConnWatcher.
func (remoteWatcher) Answered() {}

// ConnFailed implements driver.ConnWatcher.
func (r remoteWatcher) ConnFailed(err error) {
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = r.w.post(ctx, "/connfail", connFailRequest{Worker: r.w.cfg.Index, Error: err.Error()}, nil)
	}()
}

// remoteLimiter takes the tokens of the run's rate limit from the
// coordinator.
type remoteLimiter struct{ w *worker }

// Wait implements driver.Limiter.
func (l remoteLimiter) Wait(ctx context.Context) error {
	return l.w.post(ctx, "/token", struct{}{}, nil)
}

// specKey names a spec the same way in every worker: its full text and
// location.
func specKey(r types.SpecReport) string {
	return r.FullText() + " @ " + r.LeafNodeLocation.String()
}

// specTag is a spec's short name on the status line: clause/style, or its
// leaf text when it names no clause.
func specTag(r types.SpecReport) string {
	labels := r.Labels()
	id := framework.ClauseOf(labels)
	if id == "" {
		return r.LeafNodeText
	}
	for _, l := range labels {
		for _, st := range reports.Styles {
			if l == st {
				return id + "/" + st
			}
		}
	}
	return id
}
