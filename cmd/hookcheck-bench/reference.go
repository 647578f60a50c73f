package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// referenceTimeout bounds the reference benchmark, compilation included.
const referenceTimeout = 5 * time.Minute

// referenceResult is section 6: the metrics of
// conformance/reference's BenchmarkDelivery.
type referenceResult struct {
	Command string `json:"command"`
	// Iterations is b.N: SignalEvent calls, each delivered to 100 webhooks.
	Iterations int `json:"iterations"`
	// Metrics maps each reported unit (deliveries/s, baseline-posts/s,
	// ratio, p50-ms, p99-ms, ns/op) to its value.
	Metrics map[string]float64 `json:"metrics"`
	Output  string             `json:"output"`
}

// runReference is section 6: it runs the reference service's own Go
// benchmark on every core and reads its metrics.
func runReference(ctx context.Context, cfg *config, log io.Writer) (*referenceResult, error) {
	args := []string{cfg.goCmd, "test", "-run", "^$", "-bench", "^BenchmarkDelivery$", "-benchtime", cfg.benchtime, "-count", "1", "./conformance/reference"}
	out := &referenceResult{Command: "go " + strings.Join(args[1:], " ")}
	if cpus := cfg.allCPUs(); cpus != "" {
		args = append([]string{"taskset", "-c", cpus}, args...)
	}
	rctx, cancel := context.WithTimeout(ctx, referenceTimeout)
	defer cancel()
	cmd := exec.CommandContext(rctx, args[0], args[1:]...)
	cmd.Dir = cfg.module
	b, err := cmd.CombinedOutput()
	out.Output = string(b)
	if err != nil {
		return out, fmt.Errorf("reference benchmark: %s: %w\n%s", out.Command, err, b)
	}
	n, metrics, err := parseBenchLine(string(b), "BenchmarkDelivery")
	if err != nil {
		return out, fmt.Errorf("reference benchmark: %w\n%s", err, b)
	}
	out.Iterations, out.Metrics = n, metrics
	fmt.Fprintf(log, "  %d × 100 deliveries: %.0f deliveries/s (plain posts %.0f/s, ratio %.2f), SignalEvent→receipt p50 %.1f ms, p99 %.1f ms\n",
		n, metrics["deliveries/s"], metrics["baseline-posts/s"], metrics["ratio"], metrics["p50-ms"], metrics["p99-ms"])
	return out, nil
}

// parseBenchLine finds the result line of benchmark name in go test
// output ("BenchmarkX-2  N  V unit  V unit ...") and returns N and the
// values by unit.
func parseBenchLine(output, name string) (int, map[string]float64, error) {
	sc := bufio.NewScanner(strings.NewReader(output))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 4 || (f[0] != name && !strings.HasPrefix(f[0], name+"-")) {
			continue
		}
		n, err := strconv.Atoi(f[1])
		if err != nil {
			continue // a log line that starts with the name
		}
		metrics := map[string]float64{}
		for i := 2; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				return 0, nil, fmt.Errorf("%s: value %q of %q is not a number", name, f[i], f[i+1])
			}
			metrics[f[i+1]] = v
		}
		return n, metrics, nil
	}
	return 0, nil, fmt.Errorf("no result line for %s in the go test output", name)
}
