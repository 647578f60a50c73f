package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/hookcheck/hookcheck/reports"
)

// suiteTimeout bounds one `hookcheck run`.
const suiteTimeout = 5 * time.Minute

// areaRow is the suite's time in one spec area.
type areaRow struct {
	Area    string        `json:"area"`
	Specs   int           `json:"specs"`
	Passed  int           `json:"passed"`
	Failed  int           `json:"failed"`
	Skipped int           `json:"skipped"`
	Time    time.Duration `json:"timeNs"`
}

// suiteResult is section 5.
type suiteResult struct {
	// Unavailable says why the suite could not be timed ("" = it was).
	Unavailable string `json:"unavailable,omitempty"`
	Command     string `json:"command"`
	// Wall is the command's wall time, process start to exit; Suite is
	// the suite's own duration from report.json.
	Wall     time.Duration  `json:"wallNs"`
	Suite    time.Duration  `json:"suiteNs"`
	ExitCode int            `json:"exitCode"`
	Totals   reports.Totals `json:"totals"`
	Areas    []areaRow      `json:"areas"`
}

// runSuite is section 5: `hookcheck run` against the embedded reference,
// on every core (the suite's own servers run in-process), timed from
// outside; per-area times come from its report.json.
func runSuite(ctx context.Context, cfg *config, log io.Writer) (*suiteResult, error) {
	dir := filepath.Join(cfg.work, "suite")
	out := &suiteResult{Command: "hookcheck run --report-dir " + dir}
	if _, err := os.Stat(cfg.hookcheck); err != nil {
		out.Unavailable = "no hookcheck binary: " + err.Error()
		return out, nil
	}
	if help, err := exec.CommandContext(ctx, cfg.hookcheck, "run", "--help").CombinedOutput(); err != nil {
		out.Unavailable = "`hookcheck run` is not in this build (" + firstLine(string(help)) + ")"
		return out, nil
	}
	if err := os.RemoveAll(dir); err != nil {
		return out, fmt.Errorf("suite: clear %s: %w", dir, err)
	}
	argv := []string{cfg.hookcheck, "run", "--report-dir", dir}
	if cpus := cfg.allCPUs(); cpus != "" {
		argv = append([]string{"taskset", "-c", cpus}, argv...)
	}
	logPath := filepath.Join(cfg.work, "suite.log")
	lf, err := os.Create(logPath)
	if err != nil {
		return out, fmt.Errorf("suite: log: %w", err)
	}
	defer lf.Close()
	rctx, cancel := context.WithTimeout(ctx, suiteTimeout)
	defer cancel()
	cmd := exec.CommandContext(rctx, argv[0], argv[1:]...)
	cmd.Stdout, cmd.Stderr = lf, lf
	start := time.Now()
	err = cmd.Run()
	out.Wall = time.Since(start)
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		out.ExitCode = ee.ExitCode()
	default:
		return out, fmt.Errorf("suite: %s: %w", strings.Join(argv, " "), err)
	}
	if out.ExitCode == 2 || rctx.Err() != nil {
		out.Unavailable = fmt.Sprintf("`hookcheck run` did not complete (exit %d, %v); see %s", out.ExitCode, rctx.Err(), logPath)
		return out, nil
	}
	run, err := reports.ReadRun(filepath.Join(dir, "report.json"))
	if err != nil {
		out.Unavailable = "`hookcheck run` wrote no readable report.json: " + err.Error()
		return out, nil
	}
	out.Suite, out.Totals, out.Areas = run.Duration, run.Totals, byArea(run.Specs)
	fmt.Fprintf(log, "  %d specs (%d passed, %d failed, %d skipped) in %s wall, exit %d\n",
		out.Totals.Specs, out.Totals.Passed, out.Totals.Failed, out.Totals.Skipped, out.Wall.Round(100*time.Millisecond), out.ExitCode)
	return out, nil
}

// byArea sums the specs' outcomes and durations per area, in the order
// the areas first ran.
func byArea(specs []reports.Spec) []areaRow {
	var rows []areaRow
	index := map[string]int{}
	for _, s := range specs {
		i, ok := index[s.Area]
		if !ok {
			i = len(rows)
			index[s.Area] = i
			rows = append(rows, areaRow{Area: s.Area})
		}
		r := &rows[i]
		r.Specs++
		r.Time += s.Duration
		switch {
		case s.State.Failed():
			r.Failed++
		case s.State == reports.StatePassed:
			r.Passed++
		default:
			r.Skipped++
		}
	}
	return rows
}

// firstLine returns s up to its first newline, trimmed.
func firstLine(s string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	return line
}
