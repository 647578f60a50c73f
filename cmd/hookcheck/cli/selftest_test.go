package cli_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/onsi/gomega/gbytes"

	"github.com/hookcheck/hookcheck/cmd/hookcheck/cli"
	"github.com/hookcheck/hookcheck/conformance/reference/mutants"
	"github.com/hookcheck/hookcheck/reports"
)

// fakeRuns stands in for the "hookcheck run" children of the selftest: it
// writes a report.json into the run's --report-dir in which the pristine
// run passes and a mutant fails a spec of its first declared clause
// and one of WH-CRUD-029 (a clause no mutant declares), unless configured
// otherwise.
type fakeRuns struct {
	survive       map[string]bool // mutants that fail no spec
	other         map[string]bool // mutants that fail only WH-CRUD-029
	exit          map[string]int  // exit codes without a report
	pristineFails bool

	mu   sync.Mutex
	args [][]string
}

// arg returns the value of flag in args.
func arg(args []string, flag string) string {
	if i := slices.Index(args, flag); i >= 0 && i+1 < len(args) {
		return args[i+1]
	}
	return ""
}

// run implements the selftest runner.
func (f *fakeRuns) run(_ context.Context, args []string, logPath string) (int, error) {
	f.mu.Lock()
	f.args = append(f.args, args)
	f.mu.Unlock()
	if err := os.WriteFile(logPath, []byte("fake run\n"), 0o644); err != nil {
		return 0, err
	}
	name := arg(args, "--mutant")
	if code, ok := f.exit[name]; ok {
		return code, nil
	}
	spec := func(clause string, state reports.State) reports.Spec {
		return reports.Spec{ID: "area/" + clause + "/rest/x", Clause: clause, Level: "MUST", Area: "area", Style: "rest", State: state}
	}
	run := reports.Run{Suite: "hookcheck conformance", Specs: []reports.Spec{spec("WH-CRUD-001", reports.StatePassed), spec("WH-SEC-005", reports.StateSkipped)}}
	code := 0
	switch {
	case name == "" && f.pristineFails:
		run.Specs = append(run.Specs, spec("WH-DLV-001", reports.StateFailed))
		code = 1
	case name == "":
	case f.survive[name]:
	case f.other[name]:
		run.Specs = append(run.Specs, spec("WH-CRUD-029", reports.StateFailed))
		code = 1
	default:
		m, _ := mutants.Lookup(name)
		run.Specs = append(run.Specs, spec(m.Clauses[0], reports.StateFailed), spec("WH-CRUD-029", reports.StateFailed))
		code = 1
	}
	file, err := os.Create(filepath.Join(arg(args, "--report-dir"), "report.json"))
	if err != nil {
		return 0, err
	}
	defer file.Close()
	return code, reports.WriteJSON(file, run)
}

// selftestRun runs the selftest over fake runs in a temporary report
// directory and returns the result and that directory.
func selftestRun(f *fakeRuns, args ...string) (result, string) {
	GinkgoHelper()
	dir := GinkgoT().TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), quickly)
	defer cancel()
	stdout, stderr := gbytes.NewBuffer(), gbytes.NewBuffer()
	code := cli.SelftestWith(ctx, append([]string{"--report-dir", dir}, args...), stdout, stderr, f.run)
	return result{code, string(stdout.Contents()), string(stderr.Contents())}, dir
}

var _ = Describe("hookcheck selftest", func() {
	It("passes when the pristine reference passes and every mutant is killed, and writes the kill matrix", func() {
		f := &fakeRuns{}
		r, dir := selftestRun(f, "--parallel", "3")
		Expect(r.code).To(Equal(cli.ExitOK), r.stdout+r.stderr)
		all := mutants.All()
		variants := map[string]bool{}
		for _, m := range all {
			if len(m.RunFlags) > 0 {
				variants[strings.Join(m.RunFlags, " ")] = true
			}
		}
		Expect(variants).To(HaveKey("--online"))
		Expect(variants).To(HaveKey("--v121"))
		Expect(f.args).To(HaveLen(len(all)+1+len(variants)), "a pristine run, one per set of mutant run flags (--online, --v121), and one run per mutant")
		Expect(r.stdout).To(ContainSubstring("✓ pass      pristine"))
		Expect(r.stdout).To(ContainSubstring("✓ killed    signature-hex"))
		matrix, err := os.ReadFile(filepath.Join(dir, "kill-matrix.md"))
		Expect(err).NotTo(HaveOccurred())
		md := string(matrix)
		Expect(md).To(ContainSubstring("Pristine reference: **pass**"))
		Expect(md).To(ContainSubstring("%d/%d mutants killed (100 %%)", len(all), len(all)))
		for _, m := range all {
			failing := []string{"**" + m.Clauses[0] + "**", "WH-CRUD-029"}
			if m.Clauses[0] > "WH-CRUD-029" {
				failing[0], failing[1] = failing[1], failing[0]
			}
			Expect(md).To(ContainSubstring("| `%s` | %s | %s | %s | 2 | killed |", m.Name, m.Component, strings.Join(m.Clauses, ", "), strings.Join(failing, ", ")))
		}
	})

	It("runs each mutant in the areas of its declared clauses, or the whole suite with --scope full", func() {
		f := &fakeRuns{}
		r, dir := selftestRun(f, "--mutant", "signature-without-secret,name-filter-ignored", "--", "--time-scale", "0.1")
		Expect(r.code).To(Equal(cli.ExitOK), r.stdout+r.stderr)
		Expect(f.args).To(ConsistOf(
			[]string{"run", "--report-dir", filepath.Join(dir, "pristine"), "--delivery-wait", "2s", "--parallel", "1", "--progress", "plain", "--time-scale", "0.1"},
			[]string{"run", "--report-dir", filepath.Join(dir, "signature-without-secret"), "--delivery-wait", "2s", "--parallel", "1", "--progress", "plain", "--mutant", "signature-without-secret", "--label-filter", "security", "--time-scale", "0.1"},
			[]string{"run", "--report-dir", filepath.Join(dir, "name-filter-ignored"), "--delivery-wait", "2s", "--parallel", "1", "--progress", "plain", "--mutant", "name-filter-ignored", "--label-filter", "crud", "--time-scale", "0.1"},
		))
		f = &fakeRuns{}
		r, _ = selftestRun(f, "--mutant", "gone-retried", "--scope", "full", "--delivery-wait", "5s")
		Expect(r.code).To(Equal(cli.ExitOK), r.stdout+r.stderr)
		Expect(f.args).To(HaveLen(2))
		for _, a := range f.args {
			Expect(a).NotTo(ContainElement("--label-filter"))
			Expect(arg(a, "--delivery-wait")).To(Equal("5s"))
		}
	})

	It("runs a mutant with its RunFlags, and the pristine reference with them too", func() {
		m, ok := mutants.Lookup("online-isolation-off")
		Expect(ok).To(BeTrue())
		Expect(m.RunFlags).To(Equal([]string{"--online"}))
		f := &fakeRuns{}
		r, dir := selftestRun(f, "--mutant", "online-isolation-off,signature-without-secret")
		Expect(r.code).To(Equal(cli.ExitOK), r.stdout+r.stderr)
		Expect(f.args).To(ConsistOf(
			[]string{"run", "--report-dir", filepath.Join(dir, "pristine"), "--delivery-wait", "2s", "--parallel", "1", "--progress", "plain"},
			[]string{"run", "--report-dir", filepath.Join(dir, "pristine-online"), "--delivery-wait", "2s", "--parallel", "1", "--progress", "plain", "--label-filter", "security", "--online"},
			[]string{"run", "--report-dir", filepath.Join(dir, "online-isolation-off"), "--delivery-wait", "2s", "--parallel", "1", "--progress", "plain", "--mutant", "online-isolation-off", "--label-filter", "security", "--online"},
			[]string{"run", "--report-dir", filepath.Join(dir, "signature-without-secret"), "--delivery-wait", "2s", "--parallel", "1", "--progress", "plain", "--mutant", "signature-without-secret", "--label-filter", "security"},
		))
		matrix, err := os.ReadFile(filepath.Join(dir, "kill-matrix.md"))
		Expect(err).NotTo(HaveOccurred())
		Expect(string(matrix)).To(ContainSubstring("- Pristine reference with `--online` (`security`): **pass**"))
	})

	It("fails naming a surviving mutant and the clauses that should have caught it", func() {
		f := &fakeRuns{survive: map[string]bool{"threshold-8": true}}
		r, dir := selftestRun(f, "--mutant", "threshold-8,signature-hex")
		Expect(r.code).To(Equal(cli.ExitFailed))
		Expect(r.stdout).To(ContainSubstring("✗ SURVIVED  threshold-8"))
		Expect(r.stdout).To(ContainSubstring("mutant threshold-8 survived: no spec of WH-STA-003, WH-STA-004 failed (no spec failed)"))
		matrix, err := os.ReadFile(filepath.Join(dir, "kill-matrix.md"))
		Expect(err).NotTo(HaveOccurred())
		Expect(string(matrix)).To(ContainSubstring("1/2 mutants killed (50 %)"))
		Expect(string(matrix)).To(ContainSubstring("| `threshold-8` | RetryPolicy | WH-STA-003, WH-STA-004 | — | 0 | SURVIVED |"))
	})

	It("does not count a failure of an undeclared clause as a kill", func() {
		r, dir := selftestRun(&fakeRuns{other: map[string]bool{"signature-hex": true}}, "--mutant", "signature-hex")
		Expect(r.code).To(Equal(cli.ExitFailed))
		Expect(r.stdout).To(ContainSubstring("only specs of other clauses failed: WH-CRUD-029"))
		matrix, err := os.ReadFile(filepath.Join(dir, "kill-matrix.md"))
		Expect(err).NotTo(HaveOccurred())
		Expect(string(matrix)).To(ContainSubstring("| WH-CRUD-029 | 1 | SURVIVED |"))
	})

	It("fails when the pristine reference fails a spec", func() {
		r, _ := selftestRun(&fakeRuns{pristineFails: true}, "--mutant", "signature-hex")
		Expect(r.code).To(Equal(cli.ExitFailed))
		Expect(r.stdout).To(ContainSubstring("the pristine reference fails 1 spec(s) (clauses WH-DLV-001)"))
	})

	It("reports a run that ends in a usage error or without a report", func() {
		r, _ := selftestRun(&fakeRuns{exit: map[string]int{"signature-hex": 2, "no-retry": 1}}, "--mutant", "signature-hex,no-retry")
		Expect(r.code).To(Equal(cli.ExitFailed))
		Expect(r.stdout).To(ContainSubstring("✗ ERROR     signature-hex"))
		Expect(r.stdout).To(ContainSubstring("exited 2 (bad usage"))
		Expect(r.stdout).To(MatchRegexp(`✗ ERROR\s+no-retry .*report\.json`))
	})

	It("runs --parallel runs at a time", func() {
		started := make(chan struct{}, 8)
		both := make(chan struct{})
		var once sync.Once
		var mu sync.Mutex
		running, most := 0, 0
		f := &fakeRuns{}
		runner := func(ctx context.Context, args []string, logPath string) (int, error) {
			mu.Lock()
			running++
			most = max(most, running)
			if running == 2 {
				once.Do(func() { close(both) })
			}
			mu.Unlock()
			defer func() {
				mu.Lock()
				running--
				mu.Unlock()
			}()
			started <- struct{}{}
			select { // the first runs wait until two overlap
			case <-both:
			case <-ctx.Done():
				return 0, ctx.Err()
			case <-time.After(quickly):
				return 0, errors.New("no second run started alongside")
			}
			return f.run(ctx, args, logPath)
		}
		dir := GinkgoT().TempDir()
		ctx, cancel := context.WithTimeout(context.Background(), 2*quickly)
		defer cancel()
		code := cli.SelftestWith(ctx, []string{"--report-dir", dir, "--parallel", "2", "--mutant", "signature-hex,no-retry,threshold-8"},
			gbytes.NewBuffer(), gbytes.NewBuffer(), runner)
		Expect(code).To(Equal(cli.ExitOK))
		Expect(most).To(Equal(2), "never more than --parallel runs, and that many at once")
	})

	It("documents every flag with its environment variable", func() {
		r := run(nil, "selftest", "--help")
		Expect(r.code).To(Equal(cli.ExitOK))
		Expect(r.stdout).To(HavePrefix("Usage: hookcheck selftest [flags] [-- RUN-FLAGS...]"))
		for _, flag := range []string{"parallel", "out", "report-dir", "bin", "scope", "delivery-wait", "run-timeout", "mutant"} {
			Expect(r.stdout).To(MatchRegexp(`(?m)^  --%s\b`, flag))
			Expect(r.stdout).To(ContainSubstring("HOOKCHECK_" + strings.ToUpper(strings.ReplaceAll(flag, "-", "_"))))
		}
	})

	DescribeTable("refuses bad usage",
		func(args []string, want string) {
			r, _ := selftestRun(&fakeRuns{}, args...)
			Expect(r.code).To(Equal(cli.ExitUsage))
			Expect(r.stderr).To(ContainSubstring(want))
		},
		Entry("no parallelism", []string{"--parallel", "0"}, "--parallel must be at least 1"),
		Entry("no parallelism within a run", []string{"--run-parallel", "0"}, "--run-parallel must be at least 1"),
		Entry("an unknown scope", []string{"--scope", "some"}, `--scope "some"`),
		Entry("an unknown mutant", []string{"--mutant", "no-such"}, `unknown mutant "no-such"`),
	)
})
