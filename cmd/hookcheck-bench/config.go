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
	"strconv"
	"strings"
	"time"
)

// pinnedEnv marks the re-executed, already pinned bench process.
const pinnedEnv = "HOOKCHECK_BENCH_PINNED"

// sectionNames are the parts of BENCHMARKS.md, in order.
var sectionNames = []string{"throughput", "memory", "wake", "faults", "suite", "reference"}

// config is the bench's command line.
type config struct {
	hookcheck, tools, nodeDir, out, work string
	baseline, baselineLabel              string
	render                               string
	module                               string
	node, java, goCmd                    string

	warmup, duration time.Duration
	rounds, conns    int
	rateRounds       int
	rates            []float64
	memCalls, bound  int
	wakeSamples      int
	hangConns        int
	hangHold         time.Duration
	benchtime        string

	serverCPU, loadCPU string
	noPin              bool
	sections           []string

	// cpus is the number of online CPUs; pinning needs two.
	cpus int
}

// parseFlags reads the command line.
func parseFlags(args []string) (*config, error) {
	cfg := &config{}
	fs := flag.NewFlagSet("hookcheck-bench", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var rates, sections string
	fs.StringVar(&cfg.hookcheck, "hookcheck", "bin/hookcheck", "the hookcheck `binary` (make build)")
	fs.StringVar(&cfg.baseline, "baseline-hookcheck", "", "a second hookcheck `binary` measured beside --hookcheck in the throughput table (before/after a change)")
	fs.StringVar(&cfg.baselineLabel, "baseline-label", "baseline", "what the --baseline-hookcheck build is, for its table row")
	fs.StringVar(&cfg.module, "module", ".", "the hookcheck module root (where go test runs the reference benchmark)")
	fs.StringVar(&cfg.tools, "tools", "bin/tools", "`directory` holding go-httpbin (make bench-deps)")
	fs.StringVar(&cfg.nodeDir, "node-dir", "cmd/hookcheck-bench/node", "`directory` with node_modules holding mockttp and wiremock (make bench-deps)")
	fs.StringVar(&cfg.out, "out", "BENCHMARKS.md", "Markdown `file` to write")
	fs.StringVar(&cfg.render, "render", "", "measure nothing: render --out from a saved results.json `file`")
	fs.StringVar(&cfg.work, "work", "bin/bench", "scratch `directory`: server logs, raw results (results.json), suite reports")
	fs.StringVar(&cfg.node, "node", "node", "Node.js `command`")
	fs.StringVar(&cfg.java, "java", "java", "Java `command` for WireMock")
	fs.StringVar(&cfg.goCmd, "go", "go", "Go `command` for the reference benchmark")
	fs.DurationVar(&cfg.warmup, "warmup", 5*time.Second, "closed-loop warm-up per server before measuring")
	fs.DurationVar(&cfg.duration, "duration", 4*time.Second, "length of each measured load run")
	fs.IntVar(&cfg.rounds, "rounds", 5, "full-load rounds per server, interleaved across servers; the median is reported")
	fs.IntVar(&cfg.rateRounds, "rate-rounds", 2, "open-loop runs per server and rate, interleaved across servers; their latencies are pooled")
	fs.IntVar(&cfg.conns, "conns", 64, "keep-alive connections of the load generator")
	fs.StringVar(&rates, "rates", "1000,5000,10000", "fixed open-loop `rates` in requests per second, comma-separated")
	fs.IntVar(&cfg.memCalls, "mem-calls", 100000, "calls per memory step")
	fs.IntVar(&cfg.bound, "max-calls", 100000, "the receiver's --max-calls in the memory test")
	fs.IntVar(&cfg.wakeSamples, "wake-samples", 1000, "blocked calls?wait= queries to time")
	fs.IntVar(&cfg.hangConns, "hang-conns", 1000, "concurrent connections held by the hang fault")
	fs.DurationVar(&cfg.hangHold, "hang-hold", 5*time.Second, "how long the hang connections are held")
	fs.StringVar(&cfg.benchtime, "benchtime", "3s", "-benchtime of the reference service's BenchmarkDelivery")
	fs.StringVar(&cfg.serverCPU, "server-cpu", "0", "cores (taskset -c list) for the servers under test")
	fs.StringVar(&cfg.loadCPU, "load-cpu", "1", "cores (taskset -c list) for the load generator")
	fs.BoolVar(&cfg.noPin, "no-pin", false, "do not pin servers and load generator to cores")
	fs.StringVar(&sections, "sections", strings.Join(sectionNames, ","), "sections to measure, comma-separated ("+strings.Join(sectionNames, ", ")+")")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(os.Stderr)
			fs.PrintDefaults()
		}
		return nil, fmt.Errorf("flags: %w", err)
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	for _, s := range strings.Split(rates, ",") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		r, err := strconv.ParseFloat(s, 64)
		if err != nil || r <= 0 {
			return nil, fmt.Errorf("--rates: %q is not a positive number", s)
		}
		cfg.rates = append(cfg.rates, r)
	}
	for _, s := range strings.Split(sections, ",") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		if !slices.Contains(sectionNames, s) {
			return nil, fmt.Errorf("--sections: unknown section %q (know %s)", s, strings.Join(sectionNames, ", "))
		}
		cfg.sections = append(cfg.sections, s)
	}
	if cfg.conns < 1 || cfg.rounds < 1 || cfg.rateRounds < 1 || cfg.memCalls < 1 || cfg.wakeSamples < 1 || cfg.hangConns < 1 {
		return nil, errors.New("--conns, --rounds, --rate-rounds, --mem-calls, --wake-samples and --hang-conns must be positive")
	}
	for _, p := range []*string{&cfg.hookcheck, &cfg.baseline, &cfg.module, &cfg.tools, &cfg.nodeDir, &cfg.out, &cfg.work} {
		if *p == "" {
			continue
		}
		abs, err := filepath.Abs(*p)
		if err != nil {
			return nil, fmt.Errorf("path %s: %w", *p, err)
		}
		*p = abs
	}
	cfg.cpus = onlineCPUs()
	if cfg.cpus < 2 {
		cfg.noPin = true
	}
	if _, err := exec.LookPath("taskset"); err != nil {
		cfg.noPin = true
	}
	return cfg, nil
}

// wants reports whether section s is to be measured.
func (c *config) wants(s string) bool { return slices.Contains(c.sections, s) }

// pin returns the servers' and the load generator's core lists, empty
// when unpinned.
func (c *config) pin() pinning {
	if c.noPin {
		return pinning{}
	}
	return pinning{Server: c.serverCPU, Load: c.loadCPU}
}

// allCPUs is the taskset list of every online core, for the parts that run
// unpinned (the suite, the reference benchmark) while the bench itself is
// pinned.
func (c *config) allCPUs() string {
	if c.noPin {
		return ""
	}
	return "0-" + strconv.Itoa(c.cpus-1)
}

// pinSelf returns the argv and environment to re-execute this process
// under taskset on the load core, or false when it is already pinned or
// pinning is off.
func (c *config) pinSelf() ([]string, []string, bool) {
	if c.noPin || os.Getenv(pinnedEnv) != "" {
		return nil, nil, false
	}
	taskset, err := exec.LookPath("taskset")
	if err != nil {
		return nil, nil, false
	}
	self, err := os.Executable()
	if err != nil {
		return nil, nil, false
	}
	argv := append([]string{taskset, "-c", c.loadCPU, self}, os.Args[1:]...)
	return argv, append(os.Environ(), pinnedEnv+"=1"), true
}

// onlineCPUs counts the processors listed in /proc/cpuinfo (the machine's
// cores, whatever this process's affinity).
func onlineCPUs() int {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return 1
	}
	n := 0
	for _, line := range strings.Split(string(b), "\n") {
		if k, _, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "processor" {
			n++
		}
	}
	return max(n, 1)
}
