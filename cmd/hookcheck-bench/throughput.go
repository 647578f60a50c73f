package main

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/hookcheck/hookcheck/receiver/api"
	"github.com/hookcheck/hookcheck/receiver/client"
)

// loadPoint is one measured load level of one server.
type loadPoint struct {
	// Rate is the asked open-loop rate; 0 for full (closed-loop) load.
	Rate float64 `json:"rate"`
	// Achieved is successful requests per second.
	Achieved   float64 `json:"achieved"`
	OK         int     `json:"ok"`
	Errors     int     `json:"errors"`
	FirstError string  `json:"firstError,omitempty"`
	Unfinished int     `json:"unfinished,omitempty"`
	// P50 ... Max are latencies; for open-loop points they run from the
	// request's release by the schedule, for full load from its send.
	P50  time.Duration `json:"p50Ns"`
	P99  time.Duration `json:"p99Ns"`
	P999 time.Duration `json:"p999Ns"`
	Max  time.Duration `json:"maxNs"`
	// LagP99 is how late the dispatcher released requests (open loop).
	LagP99 time.Duration `json:"lagP99Ns,omitempty"`
	// ServerCPU and LoadCPU are the cores used by the server and by the
	// load generator during the point (1 = one full core); Background is
	// what the rest of the machine used meanwhile (other processes and
	// kernel work not charged to either).
	ServerCPU  float64 `json:"serverCpu"`
	LoadCPU    float64 `json:"loadCpu"`
	Background float64 `json:"background"`
	// Wall is how long the point's runs took in all.
	Wall time.Duration `json:"wallNs"`
	// Skipped says why an open-loop point was not run.
	Skipped string `json:"skipped,omitempty"`
}

// CPUPerRequest is the server CPU time per successful request.
func (p loadPoint) CPUPerRequest() time.Duration {
	if p.OK == 0 || p.ServerCPU < 0 {
		return 0
	}
	return time.Duration(p.ServerCPU * float64(p.Wall) / float64(p.OK))
}

// targetResult is everything measured for one server.
type targetResult struct {
	target
	// Rounds are the full-load rounds; Full is the median one by rate.
	Rounds []loadPoint  `json:"rounds,omitempty"`
	Full   *loadPoint   `json:"full,omitempty"`
	Rates  []*loadPoint `json:"rates,omitempty"`
	// Warmup is how many requests the server answered before measuring.
	Warmup int `json:"warmup"`
	// PeakRSS is the server's VmHWM at the end, in KiB.
	PeakRSS int64 `json:"peakRssKiB,omitempty"`
	// Check is a post-run sanity check (hookcheck: recorded, valid signatures).
	Check string `json:"check,omitempty"`
}

// throughputResult is section 1.
type throughputResult struct {
	Targets []*targetResult `json:"targets"`
	// GoBench is the in-process Go benchmark of the same two handlers.
	GoBench *goBenchResult `json:"goBench,omitempty"`
	// GoBenchError says why it could not run.
	GoBenchError string `json:"goBenchError,omitempty"`
}

// sample is one measured run of load against one server.
type sample struct {
	res                   loadResult
	server, load, backgnd float64 // cores used, -1 when unknown
	wall                  time.Duration
}

// measure runs one load run against t (open loop at rate, or full load
// for rate 0) with CPU meters around it.
func measure(t *targetResult, conns int, rate float64, d time.Duration) (sample, error) {
	srv := startCPU(t.proc.pid())
	self := startCPU(0)
	busy0, busyErr := machineBusy()
	t0 := time.Now()
	var s sample
	var err error
	if rate > 0 {
		s.res, err = openLoop(t.req, conns, rate, d)
	} else {
		s.res, err = closedLoop(t.req, conns, d, 0)
	}
	s.wall = time.Since(t0)
	s.server, s.load, s.backgnd = srv.share(), self.share(), -1
	if busy1, berr := machineBusy(); berr == nil && busyErr == nil && s.server >= 0 && s.load >= 0 {
		s.backgnd = max((busy1-busy0).Seconds()/s.wall.Seconds()-s.server-s.load, 0)
	}
	return s, err
}

// summarize turns samples of one server at one load level into a point:
// counts add up, latencies are pooled (percentiles over every request of
// every sample), CPU shares are averaged over the samples' wall time.
func summarize(rate float64, ss []sample) loadPoint {
	p := loadPoint{Rate: rate}
	var elapsed, wall time.Duration
	var srv, load, bg float64
	var lat, lag []time.Duration
	for _, s := range ss {
		p.OK += s.res.OK
		p.Errors += s.res.Errors
		p.Unfinished += s.res.Unfinished
		if p.FirstError == "" {
			p.FirstError = s.res.FirstError
		}
		elapsed += s.res.Elapsed
		wall += s.wall
		w := s.wall.Seconds()
		srv += s.server * w
		load += s.load * w
		if bg >= 0 && s.backgnd >= 0 {
			bg += s.backgnd * w
		} else {
			bg = -1
		}
		lat = append(lat, s.res.Latencies...)
		lag = append(lag, s.res.Lag...)
	}
	if elapsed > 0 {
		p.Achieved = float64(p.OK) / elapsed.Seconds()
	}
	if w := wall.Seconds(); w > 0 {
		p.ServerCPU, p.LoadCPU, p.Background = srv/w, load/w, bg
		if bg >= 0 {
			p.Background = bg / w
		}
	}
	p.Wall = wall
	sortDurations(lat)
	p.P50, p.P99, p.P999 = quantile(lat, 0.50), quantile(lat, 0.99), quantile(lat, 0.999)
	if n := len(lat); n > 0 {
		p.Max = lat[n-1]
	}
	p.LagP99 = quantile(sortDurations(lag), 0.99)
	return p
}

// keptUp reports whether an open-loop point achieved its rate: within 5 %
// and nothing left unanswered.
func (p *loadPoint) keptUp() bool {
	return p != nil && p.Skipped == "" && p.Unfinished == 0 && p.Achieved >= 0.95*p.Rate
}

// runThroughput is section 1: every server pinned to the server core,
// warmed up, then full-load rounds interleaved across servers, then each
// fixed open-loop rate against each server in turn.
func runThroughput(ctx context.Context, cfg *config, log io.Writer) (*throughputResult, error) {
	pin := cfg.pin()
	out := &throughputResult{}
	var live []*targetResult
	defer func() {
		for _, t := range out.Targets {
			t.proc.stop()
		}
	}()
	for _, spec := range targetSpecs(cfg) {
		t := &targetResult{target: spec.t}
		out.Targets = append(out.Targets, t)
		err := spec.start(ctx, cfg, &t.target, pin.Server)
		if err == nil {
			t.req, err = benchRequest(t.url)
		}
		if err == nil {
			// One request per connection, answered 200, before anything counts.
			var ws []*worker
			ws, err = newWorkers(t.req, 1)
			closeWorkers(ws)
		}
		if err != nil {
			t.Skipped = err.Error()
			fmt.Fprintf(log, "  %-10s skipped: %v\n", t.Key, err)
			t.proc.stop()
			t.proc = nil
			continue
		}
		fmt.Fprintf(log, "  %-10s %s (pid %d) at %s\n", t.Key, t.Version, t.proc.pid(), t.url)
		live = append(live, t)
	}
	if ctx.Err() != nil {
		return out, fmt.Errorf("throughput: %w", ctx.Err())
	}
	for _, t := range live {
		n, took, err := warmUp(ctx, t, cfg)
		if err != nil {
			return out, fmt.Errorf("warm up %s: %w", t.Key, err)
		}
		t.Warmup = n
		fmt.Fprintf(log, "  warm-up %-10s %d requests in %s\n", t.Key, n, took.Round(100*time.Millisecond))
	}
	for r := range cfg.rounds {
		for _, t := range live {
			if ctx.Err() != nil {
				return out, fmt.Errorf("throughput: %w", ctx.Err())
			}
			sm, err := measure(t, cfg.conns, 0, cfg.duration)
			if err != nil {
				return out, fmt.Errorf("full load on %s: %w", t.Key, err)
			}
			p := summarize(0, []sample{sm})
			t.Rounds = append(t.Rounds, p)
			waitIdle(t.proc.pid(), idleTimeout)
			fmt.Fprintf(log, "  full load round %d %-10s %8.0f req/s  p50 %s  p99 %s  server cpu %.2f (%s/req)  load cpu %.2f  background %.2f  errors %d\n",
				r+1, t.Key, p.Achieved, fmtDur(p.P50), fmtDur(p.P99), p.ServerCPU, fmtDur(p.CPUPerRequest()), p.LoadCPU, p.Background, p.Errors)
		}
	}
	for _, t := range live {
		t.Full = medianPoint(t.Rounds)
	}
	for i, rate := range cfg.rates {
		samples := map[*targetResult][]sample{}
		var running []*targetResult
		for _, t := range live {
			if i > 0 && !t.Rates[i-1].keptUp() {
				prev := t.Rates[i-1]
				why := prev.Skipped
				if why == "" {
					why = fmt.Sprintf("could not keep up with %s/s", fmtInt(int(prev.Rate)))
				}
				t.Rates = append(t.Rates, &loadPoint{Rate: rate, Skipped: why})
				continue
			}
			running = append(running, t)
		}
		for range cfg.rateRounds {
			for _, t := range running {
				if ctx.Err() != nil {
					return out, fmt.Errorf("throughput: %w", ctx.Err())
				}
				sm, err := measure(t, cfg.conns, rate, cfg.duration)
				if err != nil {
					return out, fmt.Errorf("%.0f req/s on %s: %w", rate, t.Key, err)
				}
				samples[t] = append(samples[t], sm)
				if waited := waitIdle(t.proc.pid(), idleTimeout); waited > time.Second {
					fmt.Fprintf(log, "  (%s worked off its backlog for %s)\n", t.Key, waited.Round(100*time.Millisecond))
				}
			}
		}
		for _, t := range running {
			p := summarize(rate, samples[t])
			t.Rates = append(t.Rates, &p)
			fmt.Fprintf(log, "  %6.0f req/s %-10s achieved %8.0f  p50 %s  p99 %s  p99.9 %s  max %s  lag p99 %s  server cpu %.2f  background %.2f  errors %d unfinished %d\n",
				rate, t.Key, p.Achieved, fmtDur(p.P50), fmtDur(p.P99), fmtDur(p.P999), fmtDur(p.Max), fmtDur(p.LagP99), p.ServerCPU, p.Background, p.Errors, p.Unfinished)
		}
	}
	for _, t := range live {
		if m, err := readMem(t.proc.pid()); err == nil {
			t.PeakRSS = m.HWM
		}
		if t.Key == "hookcheck" || t.Key == "baseline" || t.isData() {
			t.Check = checkRecorded(ctx, t.url)
		}
	}
	// The servers are done; the in-process benchmark needs every core.
	for _, t := range out.Targets {
		t.proc.stop()
	}
	var err error
	if out.GoBench, err = runGoBench(ctx, cfg, log); err != nil {
		out.GoBenchError = err.Error()
		fmt.Fprintf(log, "  %v\n", err)
	}
	return out, nil
}

// idleTimeout bounds how long the bench waits for a server to go idle
// between points.
const idleTimeout = 30 * time.Second

// Warm-up bounds: every server answers at least warmupCalls requests (so
// JIT compilers have seen the hot path) and runs at least --warmup, but
// no longer than maxWarmup.
const (
	warmupCalls = 20000
	maxWarmup   = 20 * time.Second
)

// warmUp sends full load to t until both warm-up minimums are met.
func warmUp(ctx context.Context, t *targetResult, cfg *config) (int, time.Duration, error) {
	start := time.Now()
	n := 0
	for {
		if ctx.Err() != nil {
			return n, time.Since(start), fmt.Errorf("warm-up: %w", ctx.Err())
		}
		res, err := closedLoop(t.req, cfg.conns, cfg.warmup/2, 0)
		if err != nil {
			return n, time.Since(start), err
		}
		n += res.OK
		took := time.Since(start)
		if (n >= warmupCalls && took >= cfg.warmup) || took >= maxWarmup {
			waitIdle(t.proc.pid(), idleTimeout)
			return n, took, nil
		}
	}
}

// medianPoint returns the round with the median achieved rate.
func medianPoint(ps []loadPoint) *loadPoint {
	if len(ps) == 0 {
		return nil
	}
	s := append([]loadPoint(nil), ps...)
	sort.Slice(s, func(i, j int) bool { return s[i].Achieved < s[j].Achieved })
	m := s[(len(s)-1)/2]
	return &m
}

// checkRecorded asks the receiver behind a channel URL what it recorded,
// to show the measured calls were really recorded and verified.
func checkRecorded(ctx context.Context, channelURL string) string {
	base := channelURL
	if i := strings.LastIndex(channelURL, "/hooks/"); i >= 0 {
		base = channelURL[:i]
	}
	c := client.New(base)
	h, err := c.Health(ctx)
	if err != nil {
		return "could not read healthz: " + err.Error()
	}
	info, err := c.Channel(ctx, "bench")
	if err != nil {
		return "could not read the channel: " + err.Error()
	}
	list, err := c.Calls(ctx, "bench", client.CallQuery{After: info.Last - 1})
	if err != nil || len(list.Calls) != 1 {
		return fmt.Sprintf("could not read the last call: %v", err)
	}
	last := list.Calls[0]
	verdict := last.Signature
	if verdict != api.SignatureValid {
		verdict = "**" + verdict + "** (expected valid)"
	}
	disk := ""
	if s := h.Storage; s != nil {
		disk = fmt.Sprintf("; on disk %d calls in %s (%d group commits, the last %.1f ms, %d failed)", s.Calls, fmtKiB(s.Bytes/1024), s.Commits, s.LastCommitMs, s.Failures)
	}
	return fmt.Sprintf("%d calls recorded in all (%d held at the bound, %d evicted); last call #%d: %d-byte body, signature %s%s",
		info.Last, h.Calls, h.Evicted, last.Seq, last.BodySize, verdict, disk)
}

// isData reports whether t is a hookcheck receiver with a data directory.
func (t *targetResult) isData() bool { return strings.HasPrefix(t.Key, "hookcheck-") }
