package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os/exec"
	"sort"
	"strconv"
	"strings"
)

// goBenchRuns is how many times the in-process Go benchmark runs.
const goBenchRuns = 3

// goBenchResult is the in-process comparison of `go test -bench
// BenchmarkThroughput ./receiver`: the same two handlers, client beside
// them in one process.
type goBenchResult struct {
	Command string `json:"command"`
	// Bare and Receiver are ns/op per run.
	Bare     []float64 `json:"bareNsPerOp"`
	Receiver []float64 `json:"receiverNsPerOp"`
	// DataDir is the receiver with a data directory.
	DataDir []float64 `json:"dataDirNsPerOp,omitempty"`
}

// DataDirRatio is Ratio for the receiver with a data directory.
func (g *goBenchResult) DataDirRatio() float64 {
	b, r := median(g.Bare), median(g.DataDir)
	if r == 0 {
		return 0
	}
	return b / r
}

// Ratio returns median bare ns/op over median receiver ns/op: the
// receiver's throughput as a fraction of the bare handler's.
func (g *goBenchResult) Ratio() float64 {
	b, r := median(g.Bare), median(g.Receiver)
	if r == 0 {
		return 0
	}
	return b / r
}

// median returns the median of xs (0 for none).
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	if n := len(s); n%2 == 0 {
		return (s[n/2-1] + s[n/2]) / 2
	}
	return s[len(s)/2]
}

// runGoBench runs receiver's BenchmarkThroughput on every core, as
// `go test` would, and reads ns/op of its two sub-benchmarks.
func runGoBench(ctx context.Context, cfg *config, log io.Writer) (*goBenchResult, error) {
	args := []string{cfg.goCmd, "test", "-run", "^$", "-bench", "^BenchmarkThroughput$", "-benchtime", "2s", "-count", strconv.Itoa(goBenchRuns), "./receiver"}
	out := &goBenchResult{Command: "go " + strings.Join(args[1:], " ")}
	if cpus := cfg.allCPUs(); cpus != "" {
		args = append([]string{"taskset", "-c", cpus}, args...)
	}
	rctx, cancel := context.WithTimeout(ctx, referenceTimeout)
	defer cancel()
	cmd := exec.CommandContext(rctx, args[0], args[1:]...)
	cmd.Dir = cfg.module
	b, err := cmd.CombinedOutput()
	if err != nil {
		return out, fmt.Errorf("go benchmark: %s: %w\n%s", out.Command, err, b)
	}
	sc := bufio.NewScanner(strings.NewReader(string(b)))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 4 || f[3] != "ns/op" {
			continue
		}
		ns, err := strconv.ParseFloat(f[2], 64)
		if err != nil {
			continue
		}
		switch {
		case strings.HasPrefix(f[0], "BenchmarkThroughput/bare-"):
			out.Bare = append(out.Bare, ns)
		case strings.HasPrefix(f[0], "BenchmarkThroughput/receiver-"):
			out.Receiver = append(out.Receiver, ns)
		case strings.HasPrefix(f[0], "BenchmarkThroughput/datadir-"):
			out.DataDir = append(out.DataDir, ns)
		}
	}
	if len(out.Bare) == 0 || len(out.Receiver) == 0 {
		return out, fmt.Errorf("go benchmark: no BenchmarkThroughput results in:\n%s", b)
	}
	fmt.Fprintf(log, "  in-process BenchmarkThroughput: bare %.0f ns/op, receiver %.0f ns/op (medians of %d): ratio %.2f\n",
		median(out.Bare), median(out.Receiver), len(out.Bare), out.Ratio())
	return out, nil
}
