// Command hookcheck-soak runs the conformance suite many times against the
// embedded reference (hookcheck run, parallel by default) and reports every
// spec whose result changed between runs: the flake hunt behind make soak.
//
//	hookcheck-soak [--bin bin/hookcheck] [--runs 20] [--dir bin/soak] [-- RUN-FLAGS...]
//
// It prints one line per run and a Markdown table of the specs that did not
// give the same result every time (with the count of each outcome), and
// exits 1 when there is one, or when a run could not be read.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/hookcheck/hookcheck/reports"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run is main with its arguments and output, returning the exit code.
func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("hookcheck-soak", flag.ContinueOnError)
	fs.SetOutput(stderr)
	bin := fs.String("bin", "bin/hookcheck", "the hookcheck `binary`")
	runs := fs.Int("runs", 20, "how many runs")
	dir := fs.String("dir", "bin/soak", "`directory` for each run's reports (DIR/run-N)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *runs < 2 {
		fmt.Fprintln(stderr, "hookcheck-soak: --runs must be at least 2")
		return 2
	}
	extra := fs.Args()
	results := make([]map[string]reports.State, 0, *runs)
	var order []string
	for i := 1; i <= *runs; i++ {
		out := filepath.Join(*dir, fmt.Sprintf("run-%d", i))
		if err := os.RemoveAll(out); err != nil {
			fmt.Fprintf(stderr, "hookcheck-soak: %v\n", err)
			return 1
		}
		if err := os.MkdirAll(out, 0o755); err != nil {
			fmt.Fprintf(stderr, "hookcheck-soak: %v\n", err)
			return 1
		}
		start := time.Now()
		code, err := runOnce(*bin, out, extra)
		wall := time.Since(start)
		if err != nil {
			fmt.Fprintf(stderr, "hookcheck-soak: run %d: %v\n", i, err)
			return 1
		}
		r, err := reports.ReadRun(filepath.Join(out, "report.json"))
		if err != nil {
			fmt.Fprintf(stderr, "hookcheck-soak: run %d (exit %d): %v\n", i, code, err)
			return 1
		}
		states := map[string]reports.State{}
		for _, s := range r.Specs {
			if !slices.Contains(order, s.ID) {
				order = append(order, s.ID)
			}
			states[s.ID] = s.State
		}
		results = append(results, states)
		t := r.Totals
		fmt.Fprintf(stdout, "run %2d/%d: exit %d, %d specs: %d passed, %d failed, %d skipped — %s wall\n",
			i, *runs, code, t.Specs, t.Passed, t.Failed, t.Skipped, wall.Round(100*time.Millisecond))
	}
	changed := unstable(order, results)
	fmt.Fprintln(stdout)
	if len(changed) == 0 {
		fmt.Fprintf(stdout, "%d/%d runs identical: every one of %d specs gave the same result every time.\n", *runs, *runs, len(order))
		return 0
	}
	fmt.Fprintf(stdout, "%d of %d specs changed their result across %d runs:\n\n| spec | outcomes |\n|---|---|\n", len(changed), len(order), *runs)
	for _, row := range changed {
		fmt.Fprintf(stdout, "| %s | %s |\n", row.id, row.outcomes)
	}
	return 1
}

// runOnce runs hookcheck run once with its reports in dir and returns its
// exit code (1 is a run with failures, not an error).
func runOnce(bin, dir string, extra []string) (int, error) {
	args := append([]string{"run", "--report-dir", dir, "--progress", "plain"}, extra...)
	cmd := exec.Command(bin, args...)
	log, err := os.Create(filepath.Join(dir, "run.log"))
	if err != nil {
		return 0, fmt.Errorf("run log: %w", err)
	}
	defer log.Close()
	cmd.Stdout, cmd.Stderr = log, log
	err = cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return 0, nil
	case errors.As(err, &exit) && exit.ExitCode() == 1:
		return 1, nil
	case errors.As(err, &exit):
		return exit.ExitCode(), fmt.Errorf("hookcheck run exited %d (see %s)", exit.ExitCode(), filepath.Join(dir, "run.log"))
	}
	return 0, fmt.Errorf("running %s: %w", bin, err)
}

// row is one spec whose result changed.
type row struct{ id, outcomes string }

// unstable returns the specs (in order) that did not give one result in
// every run, each with its outcomes counted ("passed ×19, failed ×1";
// "missing" when a run lacked the spec).
func unstable(order []string, results []map[string]reports.State) []row {
	var out []row
	for _, id := range order {
		counts := map[string]int{}
		for _, r := range results {
			st, ok := r[id]
			key := string(st)
			if !ok {
				key = "missing"
			}
			counts[key]++
		}
		if len(counts) < 2 {
			continue
		}
		var parts []string
		for k, n := range counts {
			parts = append(parts, fmt.Sprintf("%s ×%d", k, n))
		}
		slices.Sort(parts)
		out = append(out, row{id, strings.Join(parts, ", ")})
	}
	return out
}
