package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hookcheck/hookcheck/conformance/framework"
	"github.com/hookcheck/hookcheck/conformance/reference/mutants"
	"github.com/hookcheck/hookcheck/reports"
)

// Scopes of the mutant runs of `hookcheck selftest`.
const (
	scopeAreas = "areas" // the spec areas of the mutant's declared clauses
	scopeFull  = "full"  // the whole suite
)

// selftestFlags are the flags of `hookcheck selftest`.
type selftestFlags struct {
	parallel     int
	runParallel  int
	out          string
	reportDir    string
	bin          string
	scope        string
	deliveryWait time.Duration
	runTimeout   time.Duration
	only         listFlag
}

// selftestRunner runs `hookcheck` with args, its output going to logPath,
// and returns the exit code; an error means it could not be run at all.
type selftestRunner func(ctx context.Context, args []string, logPath string) (int, error)

func runSelftest(ctx context.Context, e *env, args []string) int {
	return selftest(ctx, e, args, nil)
}

// selftest is runSelftest with the runner of the child runs (nil: exec
// the --bin binary).
func selftest(ctx context.Context, e *env, args []string, runner selftestRunner) int {
	fs := newFlagSet("selftest", `Proves the conformance suite: runs it against the pristine embedded
reference, which must pass every spec, and against every seeded fault
("mutant", see "hookcheck target --list-mutants"), each of which must fail
at least one spec of a clause it declares. Each run is a separate
"hookcheck run --mutant NAME --report-dir DIR/NAME" process, --parallel at
a time. Mutant runs cover the spec areas of the mutant's declared clauses
(--scope areas) or the whole suite (--scope full). Writes the kill matrix
(mutant x failing clauses, killed or survived, and the score) to --out.

Arguments after "--" are passed to every run, e.g. -- --time-scale 0.1.

Exit codes: 0 the pristine reference passes and every mutant is killed;
1 otherwise (each survivor is named with the clauses that should have
caught it); 2 bad usage.`)
	fs.argsUsage = "[-- RUN-FLAGS...]"
	var f selftestFlags
	fs.IntVar(&f.parallel, "parallel", 3, "how many runs at a time (a run mostly waits for deliveries and retry delays: about 1 s of CPU per 35 s run)")
	fs.IntVar(&f.runParallel, "run-parallel", 1, "--parallel of every run: how many specs each run runs at a time (`N` worker processes); the runs already overlap, so 1 keeps the machine's load at --parallel")
	fs.StringVar(&f.reportDir, "report-dir", "hookcheck-selftest", "`directory` for each run's reports (DIR/pristine, DIR/NAME)")
	fs.StringVar(&f.out, "out", "", "kill matrix Markdown `file` (default DIR/kill-matrix.md)")
	fs.StringVar(&f.bin, "bin", "", "the hookcheck `binary` to run (default: this one)")
	fs.StringVar(&f.scope, "scope", scopeAreas, "what a mutant run covers: areas (the spec areas of its declared clauses) or full (the whole suite)")
	fs.DurationVar(&f.deliveryWait, "delivery-wait", 2*time.Second, "--delivery-wait of every run: how long a spec waits for a delivery that must come (the pristine reference delivers within milliseconds)")
	fs.DurationVar(&f.runTimeout, "run-timeout", 5*time.Minute, "longest one run may take")
	fs.Var(&f.only, "mutant", "run only these mutants (`NAME`, repeatable or comma-separated); the pristine run always runs")
	extra, err := fs.parseArgs(e, args, 0, -1)
	if err != nil {
		if errors.Is(err, errHelp) {
			return ExitOK
		}
		return usageError(e, "selftest", err)
	}
	plan, err := f.plan()
	if err != nil {
		return usageError(e, "selftest", err)
	}
	if runner == nil {
		bin := f.bin
		if bin == "" {
			if bin, err = os.Executable(); err != nil {
				return usageError(e, "selftest", fmt.Errorf("--bin: finding this binary: %w", err))
			}
		}
		runner = execRunner(bin)
	}
	if err := os.MkdirAll(f.reportDir, 0o755); err != nil {
		return usageError(e, "selftest", fmt.Errorf("--report-dir: %w", err))
	}
	out := f.out
	if out == "" {
		out = filepath.Join(f.reportDir, "kill-matrix.md")
	}
	fmt.Fprintf(e.stdout, "hookcheck selftest: %d runs (the pristine reference and the mutants), %d at a time\n", len(plan), f.parallel)
	k := killMatrix{Started: time.Now(), Parallel: f.parallel, Scope: f.scope}
	results := f.runAll(ctx, e, plan, extra, runner)
	k.Duration = time.Since(k.Started)
	for _, r := range results {
		if r.Mutant == nil {
			k.Pristine = append(k.Pristine, r)
		} else {
			k.Mutants = append(k.Mutants, r)
		}
	}
	if ctx.Err() != nil {
		fmt.Fprintf(e.stderr, "hookcheck selftest: interrupted\n")
		return ExitFailed
	}
	var md bytes.Buffer
	if err := k.writeMarkdown(&md); err != nil {
		fmt.Fprintf(e.stderr, "hookcheck selftest: %v\n", err)
		return ExitFailed
	}
	if err := os.WriteFile(out, md.Bytes(), 0o644); err != nil {
		fmt.Fprintf(e.stderr, "hookcheck selftest: writing the kill matrix: %v\n", err)
		return ExitFailed
	}
	fmt.Fprintf(e.stdout, "\npristine reference: %s — score: %s — %s\nkill matrix: %s\n",
		k.pristineVerdict(), k.score(), k.Duration.Round(time.Second), out)
	code := ExitOK
	for _, r := range results {
		if !r.ok() {
			fmt.Fprintf(e.stdout, "✗ %s\n", r.explain())
			code = ExitFailed
		}
	}
	return code
}

// selftestJob is one planned run: the pristine reference (mutant nil) or
// one mutant, with the label filter of its scope and extra run flags.
type selftestJob struct {
	name   string
	mutant *mutants.Mutant
	filter string
	flags  []string
}

// plan checks the flags and returns the runs: the pristine one first, then
// one pristine run for each set of mutant RunFlags, then the mutants in
// catalogue order. Every declared clause must be in the suite's catalogue.
func (f *selftestFlags) plan() ([]selftestJob, error) {
	if f.parallel < 1 {
		return nil, fmt.Errorf("--parallel must be at least 1, got %d", f.parallel)
	}
	if f.runParallel < 1 {
		return nil, fmt.Errorf("--run-parallel must be at least 1, got %d", f.runParallel)
	}
	if f.scope != scopeAreas && f.scope != scopeFull {
		return nil, fmt.Errorf("--scope %q: use %s or %s", f.scope, scopeAreas, scopeFull)
	}
	if f.deliveryWait <= 0 || f.runTimeout <= 0 {
		return nil, errors.New("--delivery-wait and --run-timeout must be positive")
	}
	cat, err := framework.Catalogue()
	if err != nil {
		return nil, err
	}
	for _, name := range f.only {
		if _, err := mutants.Find(name); err != nil {
			return nil, fmt.Errorf("--mutant: %w", err)
		}
	}
	all := mutants.All()
	var jobs []selftestJob
	variants := map[string]*selftestJob{} // pristine runs with RunFlags, by flags
	var variantOrder []string
	for i := range all {
		m := &all[i]
		if len(f.only) > 0 && !slices.Contains(f.only, m.Name) {
			continue
		}
		var areas []string
		for _, id := range m.Clauses {
			c, ok := cat.Lookup(id)
			if !ok {
				return nil, fmt.Errorf("mutant %s declares clause %s, which the clause catalogue lacks", m.Name, id)
			}
			areas = append(areas, c.Area)
		}
		job := selftestJob{name: m.Name, mutant: m, flags: m.RunFlags}
		if f.scope == scopeAreas {
			job.filter = areaFilter(areas)
		}
		jobs = append(jobs, job)
		if len(m.RunFlags) == 0 {
			continue
		}
		key := strings.Join(m.RunFlags, " ")
		v := variants[key]
		if v == nil {
			v = &selftestJob{name: pristineName + "-" + flagsSlug(m.RunFlags), flags: m.RunFlags}
			variants[key] = v
			variantOrder = append(variantOrder, key)
		}
		if f.scope == scopeAreas {
			v.filter = areaFilter(append(strings.Split(v.filter, " || "), areas...))
		}
	}
	pristine := []selftestJob{{name: pristineName}}
	for _, key := range variantOrder {
		pristine = append(pristine, *variants[key])
	}
	return append(pristine, jobs...), nil
}

// areaFilter returns the label filter selecting the given spec areas.
func areaFilter(areas []string) string {
	areas = slices.DeleteFunc(slices.Clone(areas), func(a string) bool { return a == "" })
	slices.Sort(areas)
	return strings.Join(slices.Compact(areas), " || ")
}

// flagsSlug turns run flags into a directory-safe name ("--online" →
// "online").
func flagsSlug(flags []string) string {
	slug := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			return r
		}
		return '-'
	}, strings.Join(flags, " "))
	return strings.Trim(strings.Join(strings.FieldsFunc(slug, func(r rune) bool { return r == '-' }), "-"), "-")
}

// runAll runs the jobs, f.parallel at a time, printing a line as each
// ends, and returns their results in plan order.
func (f *selftestFlags) runAll(ctx context.Context, e *env, jobs []selftestJob, extra []string, runner selftestRunner) []selftestResult {
	results := make([]selftestResult, len(jobs))
	next := make(chan int)
	var (
		wg sync.WaitGroup
		mu sync.Mutex // serialises the progress lines
	)
	for range min(f.parallel, len(jobs)) {
		wg.Go(func() {
			for i := range next {
				r := f.runOne(ctx, jobs[i], extra, runner)
				results[i] = r
				mu.Lock()
				printSelftestLine(e, r)
				mu.Unlock()
			}
		})
	}
	for i := range jobs {
		select {
		case next <- i:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
	}
	close(next)
	wg.Wait()
	for i, j := range jobs {
		if results[i].Name == "" {
			results[i] = selftestResult{Name: j.name, Mutant: j.mutant, Filter: j.filter, Flags: j.flags, Err: ctx.Err()}
		}
	}
	return results
}

// runOne makes one run and reads its report.
func (f *selftestFlags) runOne(ctx context.Context, j selftestJob, extra []string, runner selftestRunner) selftestResult {
	r := selftestResult{Name: j.name, Mutant: j.mutant, Filter: j.filter, Flags: j.flags}
	dir := filepath.Join(f.reportDir, j.name)
	if err := os.RemoveAll(dir); err != nil {
		r.Err = fmt.Errorf("clearing %s: %w", dir, err)
		return r
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		r.Err = fmt.Errorf("creating %s: %w", dir, err)
		return r
	}
	args := []string{"run", "--report-dir", dir, "--delivery-wait", f.deliveryWait.String(), "--parallel", strconv.Itoa(f.runParallel), "--progress", progressPlain}
	if j.mutant != nil {
		args = append(args, "--mutant", j.mutant.Name)
	}
	if j.filter != "" {
		args = append(args, "--label-filter", j.filter)
	}
	args = append(args, j.flags...)
	args = append(args, extra...)
	ctx, cancel := context.WithTimeout(ctx, f.runTimeout)
	defer cancel()
	start := time.Now()
	r.Exit, r.Err = runner(ctx, args, filepath.Join(dir, "run.log"))
	r.Duration = time.Since(start)
	if r.Err == nil && ctx.Err() != nil {
		r.Err = fmt.Errorf("stopped after %s: %w", f.runTimeout, ctx.Err())
	}
	if r.Err == nil && r.Exit == ExitUsage {
		r.Err = fmt.Errorf("hookcheck %s exited %d (bad usage; see %s)", strings.Join(args, " "), r.Exit, filepath.Join(dir, "run.log"))
	}
	if r.Err != nil {
		return r
	}
	run, err := reports.ReadRun(filepath.Join(dir, "report.json"))
	if err != nil {
		r.Err = err
		return r
	}
	r.Run = &run
	return r
}

// printSelftestLine prints the line of one finished run.
func printSelftestLine(e *env, r selftestResult) {
	mark := "✓"
	if !r.ok() {
		mark = "✗"
	}
	detail := strings.Join(r.killers(), " ")
	switch {
	case r.Err != nil:
		detail = r.Err.Error()
	case r.Mutant == nil && r.Run != nil:
		t := r.Run.Totals
		detail = fmt.Sprintf("%d specs: %d passed, %d failed, %d skipped", t.Specs, t.Passed, t.Failed, t.Skipped)
	case r.verdict() == verdictSurvived:
		detail = "should fail " + strings.Join(r.Mutant.Clauses, " ")
	}
	fmt.Fprintf(e.stdout, "%s %-9s %-30s %7s  %s\n", mark, r.verdict(), r.Name, r.Duration.Round(100*time.Millisecond), detail)
}

// execRunner runs bin as a child process; cancelling the context
// interrupts it (SIGINT, so it writes its reports) and kills it if it has
// not ended 10 s later.
func execRunner(bin string) selftestRunner {
	return func(ctx context.Context, args []string, logPath string) (int, error) {
		log, err := os.Create(logPath)
		if err != nil {
			return 0, fmt.Errorf("creating the run log: %w", err)
		}
		defer log.Close()
		cmd := exec.CommandContext(ctx, bin, args...)
		cmd.Stdout, cmd.Stderr = log, log
		cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
		cmd.WaitDelay = 10 * time.Second
		err = cmd.Run()
		var exit *exec.ExitError
		switch {
		case err == nil:
			return 0, nil
		case errors.As(err, &exit) && exit.Exited():
			return exit.ExitCode(), nil
		}
		return 0, fmt.Errorf("running %s: %w", bin, err)
	}
}
