package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/hookcheck/hookcheck/conformance"
	"github.com/hookcheck/hookcheck/conformance/embedded"
	"github.com/hookcheck/hookcheck/conformance/framework"
	"github.com/hookcheck/hookcheck/reports"
)

// runFlags are the flags of "hookcheck run" besides the target flags.
type runFlags struct {
	targetFlagSet
	labelFilter, expected, reportDir string
	strict, verbose, requireAll      bool
	failFast, listSpecs              bool
	parallel                         int
	maxRPS                           float64
	progress, colour, format         string
}

// defaultParallel is how many specs "hookcheck run" runs at a time by
// default: the specs mostly wait (for retry delays, timeouts, quiet
// periods), so more of them than cores fit; the target sees at most this
// many API requests at once.
const defaultParallel = 8

// Colour modes of "hookcheck run --color".
const (
	colourAuto   = "auto"
	colourAlways = "always"
	colourNever  = "never"
)

// Progress modes of "hookcheck run --progress".
const (
	progressAuto  = "auto"
	progressLive  = "live"
	progressPlain = "plain"
)

// runRun is "hookcheck run": the conformance suite against the embedded
// reference service or, with --target, any implementation.
func runRun(ctx context.Context, e *env, args []string) int {
	fs := newFlagSet("run", `Runs the conformance suite: every spec of the behavioural spec
(docs/superoffice-webhooks.md in the repository), clause by clause,
through the REST, Agents and SOAP front ends, with an in-process receiver
standing in for the webhook targets. Prints one line per spec ([n/N]
counter, ✓ passed, ✗ failed, - skipped with its reason; coloured on a
terminal unless NO_COLOR is set, see --color), a summary, the release
gate's verdict, and writes report.json, junit.xml, summary.md and
report.html to --report-dir.

Without --target it starts the embedded reference service, time-compressed
(--time-scale 0.1, --target-timeout 1.5s, shorter waits unless given),
trusting the receiver's CA and mailing its SMTP sink; the profile flags then
configure the reference too. The profile defaults shown below are
NetServer's documented behaviour, for --target runs. With --target it tests
that implementation; the receiver must be reachable from it
(--receiver-public-url) and the profile flags say how it resolves the
points the spec leaves open (spec §9).

With --parallel N (default 8) N specs run at a time, each in a worker
process of its own, against the one target and the one receiver; the specs
with the longest waits on the target's schedule (timeouts, TooManyErrors,
dropped retries) start first, and the specs that observe the whole target
(listing every webhook, the status filter, usage statistics) run alone at
the end. The report lists every spec once, in source order. --parallel 1
runs them one by one in this process, in the order of a serial run.
While a parallel run runs, a status line shows done/total, failures, the
specs in flight with how long each has run, the elapsed time and an
estimate of the rest: redrawn in place on a terminal, a plain line every
10 s otherwise (--progress). Ctrl-C interrupts the running specs, which
still delete their webhooks, and writes a partial report marked
interrupted: the specs cut short are "interrupted", not failed.

A run narrowed by --label-filter is partial: the summary lists the clauses
it left out and the gate's verdict is PARTIAL, which exits 0 unless
--require-all is given. "not run" always means a clause none of whose
specs passed or failed; an --expected-failures entry whose specs did not
run is "unmatched".

A front end that fails the preflight while another answers (its endpoint
missing, answering unlike the webhook service) fails its own specs with
the preflight's reason; the others run. A target that stops answering
mid-run is one finding: the specs not started are "not run", the run
says when in one line. A clause skipped for want of a capability (mail,
--online, --v121) is listed as "not checked" with the flag that checks it.

Exit codes (docs/exit-codes.md): 0 every required (MUST; with --strict also
SHOULD) spec passed or is listed in --expected-failures (PASS, or PARTIAL
without --require-all); 1 failures, a target that stopped answering, or a
partial run with --require-all; 2 bad usage or configuration, a label
filter that matches no spec, or reports that cannot be written (reported
on one line; a run that did not start still writes its reports, saying
why); 130 interrupted (INTERRUPTED).`)
	var f runFlags
	f.targetFlagSet.register(fs, e)
	fs.StringVar(&f.labelFilter, "label-filter", "", "run only the specs whose labels match this Ginkgo label `filter`, e.g. 'crud && rest', 'clause:WH-DLV-004', '!slow'")
	fs.StringVar(&f.expected, "expected-failures", "", "YAML `file` of accepted failures ([{id, reason}], a clause or spec id each)")
	fs.StringVar(&f.reportDir, "report-dir", "hookcheck-report", "`directory` for report.json, junit.xml, summary.md and report.html; empty writes none")
	fs.BoolVar(&f.strict, "strict", false, "SHOULD failures fail the run too (by default only MUST failures do)")
	fs.BoolVar(&f.verbose, "verbose", false, "also print Ginkgo's own report (failure details, GinkgoWriter output) on stderr")
	fs.IntVar(&f.parallel, "parallel", defaultParallel, "how many specs run at a time (`N` worker processes; also the most API requests in flight to the target); 1 runs them one by one in this process")
	fs.Float64Var(&f.maxRPS, "max-rps", 0, "at most this many API requests per `second` to the target, all workers together (0: no limit), for shared staging servers")
	fs.BoolVar(&f.requireAll, "require-all", false, "a partial run (--label-filter left specs out) fails the gate: exit 1 instead of a PARTIAL pass")
	fs.StringVar(&f.colour, "color", colourAuto, "`mode` of colour in the output: auto (on a terminal, unless NO_COLOR is set), always or never")
	fs.BoolVar(&f.failFast, "fail-fast", false, "stop after the first failure that fails the run (MUST, any with --strict, not in --expected-failures): specs not started yet are skipped with that reason, running ones finish, the report is written and says \"stopped\"")
	fs.BoolVar(&f.listSpecs, "list-specs", false, "print the specs a run with this --label-filter would execute, one per line (clause, style, spec id), and exit without contacting a target")
	fs.StringVar(&f.format, "format", "", "also write the report to stdout in this `format` — json, junit or markdown — for a pipe; the progress lines and the summary then go to stderr")
	fs.StringVar(&f.progress, "progress", progressAuto, "`mode` of a parallel run's status line: live (redrawn in place), plain (a line every 10 s) or auto (live on a terminal)")
	fs.section("Run flags (which specs, how many at a time, what fails the run)", "label-filter", "list-specs", "parallel", "max-rps", "fail-fast", "strict", "require-all", "expected-failures")
	fs.section("Output flags", "report-dir", "format", "progress", "color", "verbose")
	profileSection(fs)
	if err := fs.parse(e, args); err != nil {
		if errors.Is(err, errHelp) {
			return ExitOK
		}
		return usageError(e, "run", err)
	}
	if f.listMutants {
		printMutantNames(e)
		return ExitOK
	}
	if f.listSpecs {
		return listSpecs(e, f)
	}
	stdoutFormat, err := parseStdoutFormat(f.format)
	if err != nil {
		return usageError(e, "run", err)
	}
	// out gets the progress lines and the summary: stdout, unless the
	// report goes there.
	out := e.stdout
	if stdoutFormat != "" {
		out = e.stderr
	}
	cfg, err := runConfig(e, fs.FlagSet, f, out)
	if err != nil {
		return usageError(e, "run", err)
	}
	if cfg.ReportDir != "" {
		// Checked before any work, so a run whose reports cannot be
		// written fails at once instead of after the whole suite.
		if err := reports.CheckWritable(cfg.ReportDir, reports.AllFormats); err != nil {
			return usageError(e, "run", fmt.Errorf("--report-dir %s: %w", cfg.ReportDir, err))
		}
	}
	where := cfg.Target.BaseURL
	if cfg.StartTarget != nil {
		where = "the embedded reference service"
		if f.mutant != "" {
			where += " (mutant " + f.mutant + ")"
		}
	}
	cfg.Ready = func(t framework.Target) {
		fmt.Fprintf(out, "hookcheck run: conformance suite against %s\n", where)
	}
	res, err := conformance.Run(ctx, cfg)
	if err != nil {
		var ce *framework.ConfigError
		if errors.As(err, &ce) || errors.Is(err, conformance.ErrAlreadyRan) {
			// Nothing ran; the report of the run says why (it did not
			// start), the line on stderr too.
			return usageError(e, "run", err)
		}
		if res == nil {
			return usageError(e, "run", err)
		}
	}
	printSummary(out, res, cfg.Colour)
	if stdoutFormat != "" {
		if err := stdoutFormat.Write(e.stdout, res.Run); err != nil {
			fmt.Fprintf(e.stderr, "hookcheck run: --format %s: %v\n", f.format, err)
			return ExitUsage
		}
	}
	if res.ReportError != nil {
		// Last, so it is not lost above the summary: a verdict that was
		// not recorded cannot pass a CI job.
		fmt.Fprintf(e.stderr, "hookcheck run: the reports could not be written, so the verdict above is not recorded: %v\n", res.ReportError)
		return ExitUsage
	}
	return res.ExitCode()
}

// parseStdoutFormat checks --format: json, junit or markdown (md), or ""
// for none.
func parseStdoutFormat(v string) (reports.Format, error) {
	switch strings.ToLower(v) {
	case "":
		return "", nil
	case "json":
		return reports.FormatJSON, nil
	case "junit", "xml":
		return reports.FormatJUnit, nil
	case "markdown", "md":
		return reports.FormatMD, nil
	}
	return "", fmt.Errorf("--format %q: use json, junit or markdown", v)
}

// listSpecs is "hookcheck run --list-specs": the specs a run with the
// label filter executes, one per line, and their count on stderr.
func listSpecs(e *env, f runFlags) int {
	specs, err := conformance.ListSpecs(conformance.RunConfig{LabelFilter: f.labelFilter})
	if err != nil {
		return usageError(e, "run", err)
	}
	for _, s := range specs {
		fmt.Fprintf(e.stdout, "%-12s %-7s %s\n", s.Clause, s.Style, s.ID)
	}
	what := "every spec"
	if f.labelFilter != "" {
		what = "--label-filter " + f.labelFilter
	}
	fmt.Fprintf(e.stderr, "%d specs (%s)\n", len(specs), what)
	return ExitOK
}

// runConfig turns the parsed flags into the Run configuration.
func runConfig(e *env, fs *flag.FlagSet, f runFlags, out io.Writer) (conformance.RunConfig, error) {
	cfg := conformance.RunConfig{
		LabelFilter:      f.labelFilter,
		ExpectedFailures: f.expected,
		Strict:           f.strict,
		ReportDir:        f.reportDir,
		Progress:         out,
		Parallel:         f.parallel,
		MaxRPS:           f.maxRPS,
		Launch:           launchWorker,
		RequireAll:       f.requireAll,
		FailFast:         f.failFast,
	}
	if f.parallel < 1 {
		return cfg, fmt.Errorf("--parallel must be at least 1, got %d", f.parallel)
	}
	if f.maxRPS < 0 {
		return cfg, fmt.Errorf("--max-rps must not be negative, got %v", f.maxRPS)
	}
	switch f.progress {
	case progressAuto:
		cfg.Live = isTerminal(out)
	case progressLive:
		cfg.Live = true
	case progressPlain:
	default:
		return cfg, fmt.Errorf("--progress %q: use auto, live or plain", f.progress)
	}
	colour, err := colourOn(f.colour, isTerminal(out), e.vars["NO_COLOR"])
	if err != nil {
		return cfg, err
	}
	cfg.Colour = colour
	if f.verbose {
		cfg.GinkgoOutput = e.stderr
	}
	t, err := f.resolve(fs, 0)
	cfg.Receiver, cfg.Profile, cfg.Target, cfg.StartTarget = t.Open.Receiver, t.Open.Profile, t.Open.Target, t.Open.StartTarget
	cfg.Options = t.Options
	cfg.ConnectTimeout = t.Open.Preflight.ConnectTimeout
	return cfg, err
}

// overlay applies the profile flags given on the command line (or through
// the environment) over base, so an embedded run keeps its own defaults
// (time scale, short waits) for the flags not given.
func overlay(base framework.Profile, fs *flag.FlagSet, given map[string]bool) (framework.Profile, error) {
	pf := flag.NewFlagSet("profile", flag.ContinueOnError)
	pf.SetOutput(io.Discard)
	base.RegisterFlags(pf)
	var err error
	fs.Visit(func(fl *flag.Flag) {
		if err != nil || !given[fl.Name] || pf.Lookup(fl.Name) == nil {
			return
		}
		if serr := pf.Set(fl.Name, fl.Value.String()); serr != nil {
			err = fmt.Errorf("--%s: %w", fl.Name, serr)
		}
	})
	if err != nil {
		return base, err
	}
	return base, base.Validate()
}

// isTerminal reports whether w is a terminal (a character device).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// knownMutant reports whether the embedded reference offers mutant m.
func knownMutant(m string) bool {
	for _, k := range embedded.Mutants() {
		if k == m {
			return true
		}
	}
	return false
}

// colourOn decides whether the output is coloured: --color always or
// never, or auto: on a terminal unless NO_COLOR is set to anything
// (https://no-color.org).
func colourOn(mode string, terminal bool, noColor string) (bool, error) {
	switch mode {
	case colourAuto:
		return terminal && noColor == "", nil
	case colourAlways:
		return true, nil
	case colourNever:
		return false, nil
	}
	return false, fmt.Errorf("--color %q: use auto, always or never", mode)
}

// printSummary prints the totals and the release gate: its verdict, each
// failure once with its whole headline, and what a filtered run left out;
// then the files.
func printSummary(w io.Writer, res *conformance.Result, colour bool) {
	run := res.Run
	t := run.Totals
	cut := ""
	if t.Interrupted > 0 {
		cut += fmt.Sprintf(", %d interrupted", t.Interrupted)
	}
	if t.NotRun > 0 {
		cut += fmt.Sprintf(", %d not run", t.NotRun)
	}
	fmt.Fprintf(w, "\n%d specs: %d passed, %d failed (%d MUST, %d SHOULD), %d skipped%s — %d clauses: %d passed, %d failed, %d not run — %s\n",
		t.Specs, t.Passed, t.Failed, t.MustFailed, t.ShouldFailed, t.Skipped, cut,
		len(run.Clauses), t.ClausesPassed, t.ClausesFailed, t.ClausesNotRun, run.Duration.Round(100*time.Millisecond))
	for _, f := range run.SuiteFailures {
		fmt.Fprintln(w, conformance.Paint(colour, conformance.ColourRed, "suite failure: "+f))
	}
	if run.Interrupted {
		fmt.Fprintln(w, conformance.Paint(colour, conformance.ColourYellow, `interrupted: the report is partial (report.json says "interrupted": true)`))
	}
	if run.Stopped != "" {
		fmt.Fprintln(w, conformance.Paint(colour, conformance.ColourYellow,
			fmt.Sprintf("stopped: %s; the report is partial (report.json says \"stopped\")", strings.TrimPrefix(run.Stopped, "not run: "))))
	}
	var gate strings.Builder
	_ = res.Gate.WriteText(&gate)
	for _, line := range strings.Split(strings.TrimRight(gate.String(), "\n"), "\n") {
		fmt.Fprintln(w, paintGateLine(colour, res.Gate, line))
	}
	if len(res.Files) > 0 {
		fmt.Fprintf(w, "reports: %s\n", strings.Join(res.Files, ", "))
	}
}

// paintGateLine colours a line of the gate's text: the verdict by its
// outcome, the unexpected failures red, the partial notice yellow.
func paintGateLine(colour bool, g reports.GateResult, line string) string {
	switch {
	case strings.HasPrefix(line, "release gate:"):
		code := conformance.ColourGreen
		switch {
		case g.Verdict == reports.VerdictInterrupted:
			code = conformance.ColourYellow
		case !g.Pass:
			code = conformance.ColourRed
		case g.Verdict == reports.VerdictPartial:
			code = conformance.ColourYellow
		}
		return conformance.Paint(colour, code+";"+conformance.ColourBold, line)
	case strings.HasPrefix(line, "  UNEXPECTED"), strings.HasPrefix(line, "  STALE"), strings.HasPrefix(line, "  SUITE"), strings.HasPrefix(line, "  STOPPED"):
		return conformance.Paint(colour, conformance.ColourRed, line)
	case strings.HasPrefix(line, "  PARTIAL"), strings.HasPrefix(line, "  INTERRUPTED"), strings.HasPrefix(line, "  not checked"):
		return conformance.Paint(colour, conformance.ColourYellow, line)
	}
	return line
}
