package main

import (
	"errors"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// machine describes where the numbers were measured.
type machine struct {
	CPUs      int    `json:"cpus"`
	CPUModel  string `json:"cpuModel"`
	MemTotal  string `json:"memTotal"`
	Kernel    string `json:"kernel"`
	GoVersion string `json:"goVersion"`
	Commit    string `json:"commit"`
	Date      string `json:"date"`
}

// describeMachine gathers the machine facts BENCHMARKS.md starts with.
func describeMachine(cfg *config, now time.Time) machine {
	m := machine{CPUs: cfg.cpus, GoVersion: goVersion(), Commit: gitDescribe(), Date: now.UTC().Format("2006-01-02 15:04 MST")}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPUModel = strings.TrimSpace(v)
				break
			}
		}
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && k == "MemTotal" {
				kib, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 64)
				m.MemTotal = strconv.FormatFloat(kib/(1<<20), 'f', 1, 64) + " GiB"
				break
			}
		}
	}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.Kernel = strings.TrimSpace(string(b))
	}
	return m
}

// goVersion returns the version of the Go toolchain that built the bench.
func goVersion() string { return runtime.Version() }

// gitDescribe returns the checked-out commit of the module, with -dirty
// when a tracked file other than the bench's own output (the *.md files
// it regenerates) differs from it, or "unknown".
func gitDescribe() string {
	out, err := exec.Command("git", "describe", "--always", "--abbrev=12").Output()
	if err != nil {
		return "unknown"
	}
	commit := strings.TrimSpace(string(out))
	// Exit status 1: differences; 0: none. Anything else says nothing.
	diff := exec.Command("git", "diff", "--quiet", "HEAD", "--", ".", ":(exclude,glob)**/BENCHMARKS*.md", ":(exclude)BENCHMARKS.md")
	if err := diff.Run(); err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) && exit.ExitCode() == 1 {
			commit += "-dirty"
		}
	}
	return commit
}
