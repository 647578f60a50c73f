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
	"github.com/hookcheck/hookcheck/conformance/driver"
	"github.com/hookcheck/hookcheck/conformance/embedded"
	"github.com/hookcheck/hookcheck/receiver"
)

// runFlags are the flags of "hookcheck run" besides the profile.
type runFlags struct {
	target, soapURL, auth, appToken  string
	listen, tlsListen, smtpListen    string
	publicURL                        string
	labelFilter, expected, reportDir string
	mutant                           string
	listMutants, strict, verbose     bool
}

// runRun is "hookcheck run": the conformance suite against the embedded
// reference service or, with --target, any implementation.
func runRun(ctx context.Context, e *env, args []string) int {
	fs := newFlagSet("run", `Runs the conformance suite: every spec of the behavioural spec, clause by
clause, through the REST, Agents and SOAP front ends, with an in-process
receiver standing in for the webhook targets. Prints one line per spec
(✓ passed, ✗ failed, - skipped with its reason), a summary, and writes
report.json, junit.xml, summary.md and report.html to --report-dir.

Without --target it starts the embedded reference service, time-compressed
(--time-scale 0.1, --target-timeout 1.5s, shorter waits unless given),
trusting the receiver's CA and mailing its SMTP sink; the profile flags then
configure the reference too. The profile defaults shown below are
NetServer's documented behaviour, for --target runs. With --target it tests
that implementation; the receiver must be reachable from it
(--receiver-public-url) and the profile flags say how it resolves the
points the spec leaves open (spec §9).

Exit codes: 0 every required (MUST; with --strict also SHOULD) spec passed
or is listed in --expected-failures; 1 failures; 2 bad usage or
configuration (reported on one line before any spec runs).`)
	var f runFlags
	fs.StringVar(&f.target, "target", "", "base `URL` of the implementation under test, the part before /api/v1 (e.g. https://host/Cust12345); empty: the embedded reference")
	fs.StringVar(&f.soapURL, "soap-url", "", "the SOAP Webhook.svc `URL` (default {target}/Remote/Services88/Webhook.svc); \"off\" skips the SOAP specs")
	fs.StringVar(&f.auth, "auth", "", "`credentials`: basic:USER:PASS, bearer:TOKEN or soticket:TICKET (SOAP needs a ticket), or several comma-separated (every scheme the target accepts; the first is used for every call, the others by the auth-matrix specs); prefer HOOKCHECK_AUTH")
	fs.StringVar(&f.appToken, "app-token", "", "app `token` sent as SO-AppToken / SOAP ApplicationToken (Online); prefer HOOKCHECK_APP_TOKEN")
	fs.StringVar(&f.listen, "receiver-listen", "127.0.0.1:0", "HTTP `address` of the suite's receiver (webhook calls and its control API)")
	fs.StringVar(&f.tlsListen, "receiver-tls-listen", "127.0.0.1:0", "HTTPS `address` of the suite's receiver, or off")
	fs.StringVar(&f.smtpListen, "receiver-smtp-listen", "127.0.0.1:0", "SMTP `address` of the suite's e-mail sink, or off")
	fs.StringVar(&f.publicURL, "receiver-public-url", "", "base `URL` the target is told to call when it cannot reach --receiver-listen directly (a tunnel, a TLS front, another host)")
	fs.StringVar(&f.labelFilter, "label-filter", "", "run only the specs whose labels match this Ginkgo label `filter`, e.g. 'crud && rest', 'clause:WH-DLV-004', '!slow'")
	fs.StringVar(&f.expected, "expected-failures", "", "YAML `file` of accepted failures ([{id, reason}], a clause or spec id each)")
	fs.StringVar(&f.reportDir, "report-dir", "hookcheck-report", "`directory` for report.json, junit.xml, summary.md and report.html; empty writes none")
	fs.StringVar(&f.mutant, "mutant", "", "run the embedded reference with the seeded fault `NAME` (embedded target only; see --list-mutants)")
	fs.BoolVar(&f.listMutants, "list-mutants", false, "list the seeded faults of the embedded reference and exit")
	fs.BoolVar(&f.strict, "strict", false, "SHOULD failures fail the run too (by default only MUST failures do)")
	fs.BoolVar(&f.verbose, "verbose", false, "also print Ginkgo's own report (failure details, GinkgoWriter output) on stderr")
	profile := conformance.DefaultProfile()
	profile.RegisterFlags(fs.FlagSet)
	if err := fs.parse(e, args); err != nil {
		if errors.Is(err, errHelp) {
			return ExitOK
		}
		return usageError(e, "run", err)
	}
	if f.listMutants {
		ms := embedded.Mutants()
		if len(ms) == 0 {
			fmt.Fprintln(e.stdout, "the embedded reference offers no mutants yet")
		}
		for _, m := range ms {
			fmt.Fprintln(e.stdout, m)
		}
		return ExitOK
	}
	cfg, err := runConfig(e, fs.FlagSet, f, profile)
	if err != nil {
		return usageError(e, "run", err)
	}
	if cfg.ReportDir != "" {
		if err := os.MkdirAll(cfg.ReportDir, 0o755); err != nil {
			return usageError(e, "run", fmt.Errorf("--report-dir: %w", err))
		}
	}
	where := cfg.Target.BaseURL
	if cfg.StartTarget != nil {
		where = "the embedded reference service"
		if f.mutant != "" {
			where += " (mutant " + f.mutant + ")"
		}
	}
	cfg.Ready = func(t conformance.Target) {
		fmt.Fprintf(e.stdout, "hookcheck run: conformance suite against %s\n", where)
	}
	res, err := conformance.Run(ctx, cfg)
	if err != nil {
		var ce *conformance.ConfigError
		if errors.As(err, &ce) || errors.Is(err, conformance.ErrAlreadyRan) {
			return usageError(e, "run", err)
		}
		fmt.Fprintf(e.stderr, "hookcheck run: %v\n", err)
		if res == nil {
			return ExitUsage
		}
	}
	printSummary(e.stdout, res)
	return res.ExitCode()
}

// runConfig turns the parsed flags into the Run configuration.
func runConfig(e *env, fs *flag.FlagSet, f runFlags, profile conformance.Profile) (conformance.RunConfig, error) {
	given := map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { given[fl.Name] = true })
	cfg := conformance.RunConfig{
		Receiver: receiver.Config{
			Listen: f.listen, TLSListen: f.tlsListen, SMTPListen: f.smtpListen, PublicURL: strings.TrimRight(f.publicURL, "/"),
		},
		LabelFilter:      f.labelFilter,
		ExpectedFailures: f.expected,
		Strict:           f.strict,
		ReportDir:        f.reportDir,
		Progress:         e.stdout,
	}
	if f.verbose {
		cfg.GinkgoOutput = e.stderr
	}
	if f.target == "" {
		for _, name := range []string{"soap-url", "auth", "app-token"} {
			if given[name] {
				return cfg, fmt.Errorf("--%s needs --target (the embedded reference brings its own)", name)
			}
		}
		opts := embedded.Options{
			Online: profile.Online, Mutant: f.mutant,
			RetryDelays: profile.RetryDelays, AttemptsPerCycle: profile.AttemptsPerCycle, Cycles: profile.Cycles, ErrorThreshold: profile.ErrorThreshold,
			Success: profile.Success, Properties: profile.Properties, SignalValues: profile.SignalValues,
		}
		if given["time-scale"] {
			opts.TimeScale = profile.TimeScale
		}
		if given["target-timeout"] {
			opts.HTTPTimeout = profile.TargetTimeout
		}
		if given["context-identifier"] {
			opts.ContextIdentifier = profile.ContextIdentifier
		}
		if f.mutant != "" && !knownMutant(f.mutant) {
			ms := embedded.Mutants()
			if len(ms) == 0 {
				return cfg, fmt.Errorf("--mutant %q: the embedded reference offers no mutants yet", f.mutant)
			}
			return cfg, fmt.Errorf("--mutant %q: unknown; the embedded reference offers %s", f.mutant, strings.Join(ms, ", "))
		}
		p, err := overlay(embedded.Profile(opts), fs, given)
		if err != nil {
			return cfg, err
		}
		cfg.Profile = p
		cfg.StartTarget = embedded.Starter(opts)
		cfg.Options = map[string]string{"target": "embedded"}
		if f.mutant != "" {
			cfg.Options["mutant"] = f.mutant
		}
		return cfg, nil
	}
	if f.mutant != "" {
		return cfg, errors.New("--mutant works with the embedded reference only (drop --target)")
	}
	var auth driver.Auth
	var auths []driver.Auth
	if f.auth != "" {
		as, err := driver.ParseAuthList(f.auth)
		if err != nil {
			return cfg, fmt.Errorf("--auth: %w", err)
		}
		auth, auths = as[0], as
	}
	cfg.Profile = profile
	cfg.Target = conformance.Target{BaseURL: strings.TrimRight(f.target, "/"), SOAPURL: f.soapURL, Auth: auth, Auths: auths, AppToken: f.appToken}
	cfg.Options = map[string]string{"target": cfg.Target.BaseURL, "auth": auth.String()}
	return cfg, cfg.Profile.Validate()
}

// overlay applies the profile flags given on the command line (or through
// the environment) over base, so an embedded run keeps its own defaults
// (time scale, short waits) for the flags not given.
func overlay(base conformance.Profile, fs *flag.FlagSet, given map[string]bool) (conformance.Profile, error) {
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

// knownMutant reports whether the embedded reference offers mutant m.
func knownMutant(m string) bool {
	for _, k := range embedded.Mutants() {
		if k == m {
			return true
		}
	}
	return false
}

// printSummary prints the totals, the failures, the gate and the files.
func printSummary(w io.Writer, res *conformance.Result) {
	run := res.Run
	t := run.Totals
	fmt.Fprintf(w, "\n%d specs: %d passed, %d failed (%d MUST, %d SHOULD), %d skipped — %d clauses: %d passed, %d failed, %d not run — %s\n",
		t.Specs, t.Passed, t.Failed, t.MustFailed, t.ShouldFailed, t.Skipped,
		len(run.Clauses), t.ClausesPassed, t.ClausesFailed, t.ClausesNotRun, run.Duration.Round(100*time.Millisecond))
	for _, f := range run.SuiteFailures {
		fmt.Fprintf(w, "suite failure: %s\n", f)
	}
	for _, s := range run.Failures() {
		msg := ""
		if s.Failure != nil {
			msg = strings.TrimSpace(s.Failure.Message)
			if i := strings.IndexByte(msg, '\n'); i >= 0 {
				msg = msg[:i]
			}
		}
		fmt.Fprintf(w, "✗ %s [%s] %s\n", s.ID, s.Level, msg)
	}
	_ = res.Gate.WriteText(w)
	if len(res.Files) > 0 {
		fmt.Fprintf(w, "reports: %s\n", strings.Join(res.Files, ", "))
	}
}
