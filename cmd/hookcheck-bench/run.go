package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// results is everything one bench run measured; results.json holds it raw
// and BENCHMARKS.md renders it.
type results struct {
	Machine machine `json:"machine"`
	Pinned  pinning `json:"pinned"`
	// Settings are the bench's own parameters, for the methodology.
	Settings settings `json:"settings"`
	// LoadBefore and LoadAfter are the 1-minute load averages around the run.
	LoadBefore float64       `json:"loadBefore"`
	LoadAfter  float64       `json:"loadAfter"`
	Took       time.Duration `json:"tookNs"`

	Throughput *throughputResult `json:"throughput,omitempty"`
	Memory     *memoryResult     `json:"memory,omitempty"`
	MemoryData *memoryResult     `json:"memoryData,omitempty"`
	Wake       *wakeResult       `json:"wake,omitempty"`
	Faults     *faultResult      `json:"faults,omitempty"`
	Suite      *suiteResult      `json:"suite,omitempty"`
	Reference  *referenceResult  `json:"reference,omitempty"`
	// Failed maps a section to the error that stopped it; Skipped lists
	// the sections not asked for (--sections).
	Failed  map[string]string `json:"failed,omitempty"`
	Skipped []string          `json:"skipped,omitempty"`
}

// settings are the parameters a reader needs to reproduce a number.
type settings struct {
	Warmup   time.Duration `json:"warmupNs"`
	Duration time.Duration `json:"durationNs"`
	Rounds   int           `json:"rounds"`
	RateRuns int           `json:"rateRounds"`
	Conns    int           `json:"conns"`
	Rates    []float64     `json:"rates"`
	MemCalls int           `json:"memCalls"`
	Bound    int           `json:"bound"`
	Hang     int           `json:"hangConns"`
	HangHold time.Duration `json:"hangHoldNs"`
	Bench    string        `json:"benchtime"`
}

// run measures the sections cfg asks for and writes BENCHMARKS.md and
// results.json; with --render it only renders a saved results.json.
func run(ctx context.Context, cfg *config, log io.Writer) error {
	if cfg.render != "" {
		return render(cfg.render, cfg.out, log)
	}
	if err := os.MkdirAll(cfg.work, 0o755); err != nil {
		return fmt.Errorf("work directory: %w", err)
	}
	start := time.Now()
	res := &results{
		Machine: describeMachine(cfg, start), Pinned: cfg.pin(), Failed: map[string]string{}, LoadBefore: loadAvg(),
		Settings: settings{
			Warmup: cfg.warmup, Duration: cfg.duration, Rounds: cfg.rounds, RateRuns: cfg.rateRounds, Conns: cfg.conns, Rates: cfg.rates,
			MemCalls: cfg.memCalls, Bound: cfg.bound, Hang: cfg.hangConns, HangHold: cfg.hangHold, Bench: cfg.benchtime,
		},
	}
	fmt.Fprintf(log, "hookcheck-bench: %d cores (%s), servers on cpu %q, load generator on cpu %q\n", res.Machine.CPUs, res.Machine.CPUModel, res.Pinned.Server, res.Pinned.Load)
	section := func(name string, fn func() error) {
		if !cfg.wants(name) {
			res.Skipped = append(res.Skipped, name)
			return
		}
		if ctx.Err() != nil {
			return
		}
		fmt.Fprintf(log, "== %s\n", name)
		t := time.Now()
		if err := fn(); err != nil {
			res.Failed[name] = err.Error()
			fmt.Fprintf(log, "  FAILED: %v\n", err)
		}
		fmt.Fprintf(log, "  (%s)\n", time.Since(t).Round(time.Second))
	}
	section("throughput", func() (err error) {
		res.Throughput, err = runThroughput(ctx, cfg, log)
		return err
	})
	section("memory", func() (err error) {
		if res.Memory, err = runMemory(ctx, cfg, log, ""); err != nil {
			return err
		}
		res.MemoryData, err = runMemory(ctx, cfg, log, filepath.Join(cfg.work, "data-memory"))
		return err
	})
	section("wake", func() (err error) {
		res.Wake, err = runWake(ctx, cfg, log)
		return err
	})
	section("faults", func() (err error) {
		res.Faults, err = runFaults(ctx, cfg, log)
		return err
	})
	section("suite", func() (err error) {
		res.Suite, err = runSuite(ctx, cfg, log)
		return err
	})
	section("reference", func() (err error) {
		res.Reference, err = runReference(ctx, cfg, log)
		return err
	})
	res.Took = time.Since(start)
	res.LoadAfter = loadAvg()
	b, err := json.MarshalIndent(res, "", "  ")
	if err != nil {
		return fmt.Errorf("encode results: %w", err)
	}
	if err := writeFileAtomic(filepath.Join(cfg.work, "results.json"), b); err != nil {
		return err
	}
	if ctx.Err() != nil {
		return fmt.Errorf("interrupted, %s not written: %w", cfg.out, ctx.Err())
	}
	var md bytes.Buffer
	writeMarkdown(&md, res)
	if err := writeFileAtomic(cfg.out, md.Bytes()); err != nil {
		return err
	}
	fmt.Fprintf(log, "wrote %s and %s in %s\n", cfg.out, filepath.Join(cfg.work, "results.json"), res.Took.Round(time.Second))
	if len(res.Failed) > 0 {
		names := make([]string, 0, len(res.Failed))
		for n := range res.Failed {
			names = append(names, n)
		}
		sort.Strings(names)
		return fmt.Errorf("sections failed: %s (see %s)", strings.Join(names, ", "), cfg.out)
	}
	return nil
}

// render writes the Markdown of a saved results.json to out.
func render(in, out string, log io.Writer) error {
	b, err := os.ReadFile(in)
	if err != nil {
		return fmt.Errorf("render: %w", err)
	}
	var res results
	if err := json.Unmarshal(b, &res); err != nil {
		return fmt.Errorf("render %s: %w", in, err)
	}
	var md bytes.Buffer
	writeMarkdown(&md, &res)
	if err := writeFileAtomic(out, md.Bytes()); err != nil {
		return err
	}
	fmt.Fprintf(log, "rendered %s from %s\n", out, in)
	return nil
}

// fmtDur renders a latency compactly: µs below 1 ms, ms below 10 s.
func fmtDur(d time.Duration) string {
	switch {
	case d <= 0:
		return "0"
	case d < time.Millisecond:
		return fmt.Sprintf("%.0f µs", float64(d)/float64(time.Microsecond))
	case d < 10*time.Millisecond:
		return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond))
	case d < 10*time.Second:
		return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond))
	default:
		return fmt.Sprintf("%.1f s", d.Seconds())
	}
}
