package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"

	"github.com/hookcheck/hookcheck/conformance/driver"
	"github.com/hookcheck/hookcheck/conformance/framework"
	"github.com/hookcheck/hookcheck/conformance/reproduce"
)

// reproduceFlags are the flags of "hookcheck reproduce".
type reproduceFlags struct {
	targetFlagSet
	reportDir, style string
	keep             bool
}

// reproduceSynopsis is the help text of "hookcheck reproduce", with the
// scenarios listed one per line.
func reproduceSynopsis() string {
	var b strings.Builder
	b.WriteString(`Drives one documented webhook behaviour through a target — the embedded
reference service by default, or your server with --target — and shows it
as it happens: one line per attempt the receiver gets (time since the
first, EventId, X-SuperOffice-Retry, the answer given) with the hook's
State in a side column, then a verdict against the profile: "as
documented", or the first difference.

Scenarios:
`)
	for _, s := range reproduce.Scenarios() {
		fmt.Fprintf(&b, "  %-16s %s\n", s.Name, s.Summary)
	}
	b.WriteString(`
The embedded reference runs NetServer's real schedule (0 s, +1 s, +4 s;
too-many-errors takes about 15 s); --time-scale compresses it and applies
to the embedded reference only. A --target runs on its own schedule: the
profile flags (--retry-delays, --cycles, --error-threshold, ...) say what
it should be. Everything the scenario created is deleted afterwards unless
--keep is given.

Exit codes: 0 the target behaved as the profile says; 1 a difference
(named on the verdict line); 2 bad usage or configuration.`)
	return b.String()
}

// runReproduce is "hookcheck reproduce SCENARIO".
func runReproduce(ctx context.Context, e *env, args []string) int {
	fs := newFlagSet("reproduce", reproduceSynopsis())
	fs.argsUsage = "SCENARIO"
	var f reproduceFlags
	f.targetFlagSet.register(fs, e)
	fs.StringVar(&f.reportDir, "report-dir", "", "`directory` for SCENARIO.json and SCENARIO.html (the timeline drawn); empty writes none")
	fs.BoolVar(&f.keep, "keep", false, "leave the hooks and channels in place, print the channel's inspector URL and the hook ids, and keep the receiver (and the embedded reference) running until interrupted")
	fs.StringVar(&f.style, "api", string(driver.REST), "API `style` the scenario saves and signals through: rest, agents or soap")
	fs.Lookup("time-scale").Usage = "multiplies the embedded reference's retry schedule (0.1 runs it ten times faster); embedded reference only — a --target keeps its own schedule, described by --retry-delays"
	fs.section("Scenario flags", "api", "keep")
	fs.section("Output flags", "report-dir")
	profileSection(fs)
	pos, err := fs.parseArgs(e, args, 0, 1)
	if err != nil {
		if errors.Is(err, errHelp) {
			return ExitOK
		}
		return usageError(e, "reproduce", err)
	}
	if f.listMutants {
		printMutantNames(e)
		return ExitOK
	}
	if len(pos) == 0 {
		return usageError(e, "reproduce", fmt.Errorf("missing argument: want SCENARIO, one of %s", strings.Join(reproduce.Names(), ", ")))
	}
	sc, err := reproduce.Find(pos[0])
	if err != nil {
		return usageError(e, "reproduce", err)
	}
	t, err := f.choose(fs.FlagSet)
	if err != nil {
		return usageError(e, "reproduce", err)
	}
	t.Open.Preflight.Progress = e.stdout
	if err := sc.Check(t.Open.Profile); err != nil {
		return usageError(e, "reproduce", err)
	}
	env, closeEnv, err := framework.Open(ctx, t.Open)
	if err != nil {
		return usageError(e, "reproduce", err)
	}
	defer closeEnv()
	fmt.Fprintf(e.stdout, "hookcheck reproduce %s: %s\n", sc.Name, sc.Summary)
	where := "target " + env.Target.BaseURL
	if t.Embedded {
		where = "the embedded reference service at " + env.Target.BaseURL
		if f.mutant != "" {
			where += " (mutant " + f.mutant + ")"
		}
	}
	fmt.Fprintf(e.stdout, "against %s, time scale %g, through %s\n\n", where, env.Profile.TimeScale, f.style)
	fmt.Fprintf(e.stdout, "%10s  %-64s  │ %s\n", "time", "what happened", "State")
	res, err := reproduce.Reproduce(ctx, sc, reproduce.Options{
		Env: env, Style: driver.Style(f.style), Keep: f.keep, Options: t.Options,
		Observe: func(s reproduce.Step) { fmt.Fprintln(e.stdout, s.Line()) },
	})
	if err != nil {
		return usageError(e, "reproduce", err)
	}
	printVerdict(e, res)
	if f.reportDir != "" {
		files, err := reproduce.WriteFiles(f.reportDir, res)
		if err != nil {
			fmt.Fprintf(e.stderr, "hookcheck reproduce: %v\n", err)
			return ExitUsage
		}
		fmt.Fprintf(e.stdout, "reports: %s\n", strings.Join(files, ", "))
	}
	if f.keep {
		printKept(e, res, t.Embedded)
		<-ctx.Done()
	}
	return res.ExitCode()
}

// choose resolves the target flags for reproduce: the embedded reference
// at the real schedule unless --time-scale says otherwise; --time-scale
// with --target is refused.
func (f *reproduceFlags) choose(fs *flag.FlagSet) (chosenTarget, error) {
	switch f.style {
	case string(driver.REST), string(driver.Agents), string(driver.SOAP):
	default:
		return chosenTarget{}, fmt.Errorf("--api %q: want rest, agents or soap", f.style)
	}
	timeScaleGiven := false
	fs.Visit(func(fl *flag.Flag) { timeScaleGiven = timeScaleGiven || fl.Name == "time-scale" })
	if f.target != "" && timeScaleGiven {
		return chosenTarget{}, errors.New("--time-scale applies to the embedded reference only; a --target runs on its own schedule (tell hookcheck what it is with --retry-delays, --cycle-gap)")
	}
	return f.resolve(fs, 1)
}

// printVerdict prints the verdict line and any further differences.
func printVerdict(e *env, res *reproduce.Result) {
	fmt.Fprintf(e.stdout, "\nverdict: %s\n", res.Verdict.Summary)
	if len(res.Verdict.Differences) > 1 {
		for _, d := range res.Verdict.Differences[1:] {
			fmt.Fprintf(e.stdout, "  also: %s\n", d)
		}
	}
}

// printKept names what --keep left in place.
func printKept(e *env, res *reproduce.Result, embedded bool) {
	fmt.Fprintln(e.stdout, "\nkept (--keep):")
	for _, h := range res.Hooks {
		fmt.Fprintf(e.stdout, "  webhook  %d  %s (%s)\n", h.ID, h.Name, h.Role)
	}
	for _, c := range res.Channels {
		fmt.Fprintf(e.stdout, "  inspector  %s  (%s channel)\n", c.Inspector, c.Role)
	}
	what := "the receiver"
	if embedded {
		what += " and the embedded reference"
	}
	fmt.Fprintf(e.stdout, "serving %s until interrupted (Ctrl-C)\n", what)
}
