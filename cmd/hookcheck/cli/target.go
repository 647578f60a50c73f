package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/hookcheck/hookcheck/conformance/framework"
	"github.com/hookcheck/hookcheck/conformance/reference"
	"github.com/hookcheck/hookcheck/conformance/reference/mutants"
	"github.com/hookcheck/hookcheck/conformance/reference/server"
)

// targetFlags are the flags of `hookcheck target`.
type targetFlags struct {
	listen, prefix, addrFile, trustCA, logLevel string
	auth                                        reference.Auth
	opts                                        reference.Options
	retryDelays                                 framework.DurationList
	schedule                                    reference.Schedule
	mutant                                      string
	listMutants                                 bool
}

func runTarget(ctx context.Context, e *env, args []string) int {
	fs := newFlagSet("target", `Runs the reference NetServer webhook service (REST, HTTP-RPC Agents and SOAP
over one core) until interrupted: a local stand-in for NetServer while you
build a webhook receiver. Webhooks it stores call their TargetUrl for real:
save-time verification, signed deliveries, retries, TooManyErrors, state
events and error e-mails, as in the spec. Point it at "hookcheck receive"
with --trust-ca (the ca.pem "hookcheck ca init" made, which lasts across
receiver restarts, or a running receiver's /_hookcheck/ca.pem) or
--allow-http.`)
	var f targetFlags
	fs.StringVar(&f.listen, "listen", "127.0.0.1:8099", "HTTP `address` of the service")
	fs.StringVar(&f.prefix, "path-prefix", "", "mount every route under this `path`, e.g. /Cust12345 (a tenant-like base URL)")
	fs.StringVar(&f.auth.User, "user", "hookcheck", "Basic auth `user` accepted (empty disables Basic)")
	fs.StringVar(&f.auth.Password, "password", "hookcheck", "Basic auth `password`; prefer HOOKCHECK_PASSWORD")
	fs.StringVar(&f.auth.Ticket, "ticket", "7T:hookcheck", "SoTicket `ticket` accepted (REST/Agents \"Authorization: SoTicket T\", SOAP Credentials/Ticket; empty disables)")
	fs.StringVar(&f.auth.Bearer, "bearer", "7A:hookcheck", "Bearer `token` accepted (empty disables)")
	fs.BoolVar(&f.opts.AllowHTTP, "allow-http", false, "accept http:// TargetUrls (NetServer requires HTTPS)")
	fs.StringVar(&f.trustCA, "trust-ca", "", "PEM `file` of extra CAs to trust for TargetUrls, e.g. the receiver's ca.pem (hookcheck ca path prints it)")
	fs.BoolVar(&f.opts.CheckRevocation, "check-revocation", false, "refuse TargetUrls whose certificate is revoked on the CRL it names (a failed CRL fetch refuses too); NetServer's docs do not say how it checks")
	fs.StringVar(&f.opts.SMTPAddr, "smtp", "", "SMTP `host:port` for error e-mails (e.g. the receiver's sink, 127.0.0.1:2525); empty: none are sent")
	fs.StringVar(&f.opts.MailFrom, "mail-from", "webhooks@hookcheck.local", "sender `address` of error e-mails")
	fs.Float64Var(&f.opts.TimeScale, "time-scale", 1, "multiply every delay of the retry schedule by `F` (0.01 turns 1s and 4s into 10ms and 40ms)")
	fs.Var(&f.retryDelays, "retry-delays", "`delays` before attempts 2, 3, ... of a cycle (default 1s,4s)")
	fs.IntVar(&f.schedule.Attempts, "attempts-per-cycle", 3, "attempts in one delivery cycle")
	fs.IntVar(&f.schedule.ErrorThreshold, "error-threshold", 9, "consecutive failed attempts that turn a webhook TooManyErrors")
	fs.StringVar(&f.opts.Success, "success", "200", "what counts as a delivered call: 200 (exactly) or 2xx")
	fs.DurationVar(&f.opts.HTTPTimeout, "http-timeout", 30*time.Second, "timeout of one call to a TargetUrl (a timeout is a failure)")
	fs.StringVar(&f.opts.PropertiesPlacement, "properties", "top", "where webhook Properties go in bodies: top (merged after the standard fields) or nested (under \"Properties\")")
	fs.BoolVar(&f.opts.SignalValues, "signal-values", false, "add SignalEvent data values to HTTP bodies as FieldValues")
	fs.BoolVar(&f.opts.V121Fields, "v121", false, "the v12.1 entity members (spec §1.8): ErrorEmails, Description, NotifyVia, NotifyWhen and the read-only TotalCalls, TotalErrors, ConsecutiveErrors, LastError, with the NotifyVia/NotifyWhen e-mails")
	fs.StringVar(&f.opts.ContextIdentifier, "context-identifier", "Default", "the ContextIdentifier of payloads (an Online tenant id such as Cust12345)")
	fs.BoolVar(&f.opts.Online, "online", false, "Online app isolation: calls need SO-AppToken (SOAP ApplicationToken) and see only their app's webhooks")
	fs.StringVar(&f.opts.DataDir, "data-dir", "", "keep webhooks and usage statistics in `DIR` across restarts (default: memory only)")
	fs.StringVar(&f.addrFile, "addr-file", "", "write {\"base\",\"soap\"} as JSON to `file` once listening")
	fs.StringVar(&f.logLevel, "log-level", "info", "log `level` on stderr: debug, info, warn, error")
	fs.StringVar(&f.mutant, "mutant", "", "run with the seeded fault `NAME` (see --list-mutants): a deliberately wrong service for trying a receiver or a suite")
	fs.BoolVar(&f.listMutants, "list-mutants", false, "list the seeded faults (name, component, clauses it violates, description) and exit")
	if err := fs.parse(e, args); err != nil {
		if errors.Is(err, errHelp) {
			return ExitOK
		}
		return usageError(e, "target", err)
	}
	if f.listMutants {
		printMutants(e.stdout)
		return ExitOK
	}
	if err := f.finish(e); err != nil {
		return usageError(e, "target", err)
	}
	hopts := []server.HandlerOption{server.WithPathPrefix(f.prefix), server.WithLogger(f.opts.Logger)}
	if f.mutant != "" {
		m, err := mutants.Find(f.mutant)
		if err != nil {
			return usageError(e, "target", fmt.Errorf("--mutant: %w", err))
		}
		if err := m.Apply(&f.opts, &hopts); err != nil {
			return usageError(e, "target", fmt.Errorf("--mutant: %w", err))
		}
	}
	svc, err := reference.New(f.opts)
	if err != nil {
		return usageError(e, "target", err)
	}
	defer svc.Close()
	ln, err := net.Listen("tcp", f.listen)
	if err != nil {
		return usageError(e, "target", fmt.Errorf("listen %s: %w", f.listen, err))
	}
	base := "http://" + ln.Addr().String() + f.prefix
	srv := &http.Server{
		Handler:           server.NewHandler(svc, f.auth, hopts...),
		ReadHeaderTimeout: 10 * time.Second,
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	soap := base + "/Remote/Services88/Webhook.svc"
	if f.addrFile != "" {
		if err := writeAddrFile(f.addrFile, map[string]string{"base": base, "soap": soap}); err != nil {
			_ = srv.Close()
			return usageError(e, "target", err)
		}
	}
	fmt.Fprintf(e.stdout, "hookcheck reference service ready\n")
	fmt.Fprintf(e.stdout, "  base     %s          (hookcheck run --target %s)\n", base, base)
	fmt.Fprintf(e.stdout, "  rest     %s/api/v1/Webhook\n", base)
	fmt.Fprintf(e.stdout, "  agents   %s/api/v1/Agents/Webhook/\n", base)
	fmt.Fprintf(e.stdout, "  soap     %s   (Services87: %s/Remote/Services87/Webhook.svc)\n", soap, base)
	fmt.Fprintf(e.stdout, "  auth     %s\n", f.describeAuth(fs))
	if f.opts.AllowHTTP {
		fmt.Fprintf(e.stdout, "  note     http:// TargetUrls accepted (--allow-http)\n")
	}
	if f.opts.CheckRevocation {
		fmt.Fprintf(e.stdout, "  note     certificates on their CA's CRL are refused (--check-revocation)\n")
	}
	if m, ok := mutants.Lookup(f.mutant); ok {
		fmt.Fprintf(e.stdout, "  mutant   %s: %s (violates %s)\n", m.Name, m.Description, strings.Join(m.Clauses, ", "))
	}
	select {
	case <-ctx.Done():
	case err := <-served:
		fmt.Fprintf(e.stderr, "hookcheck target: serve: %v\n", err)
		return ExitFailed
	}
	fmt.Fprintf(e.stdout, "hookcheck reference service stopping\n")
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		_ = srv.Close()
	}
	return ExitOK
}

// finish checks and completes the parsed flags.
func (f *targetFlags) finish(e *env) error {
	if f.opts.TimeScale <= 0 {
		return fmt.Errorf("--time-scale must be positive, got %v", f.opts.TimeScale)
	}
	if f.schedule.Attempts < 1 || f.schedule.ErrorThreshold < 1 {
		return errors.New("--attempts-per-cycle and --error-threshold must be at least 1")
	}
	if f.opts.Success != "200" && f.opts.Success != "2xx" {
		return fmt.Errorf("--success %q: use 200 or 2xx", f.opts.Success)
	}
	if f.opts.HTTPTimeout <= 0 {
		return errors.New("--http-timeout must be positive")
	}
	def := reference.DefaultSchedule()
	f.schedule.Delays, f.schedule.Cycles = def.Delays, def.Cycles
	if len(f.retryDelays) > 0 {
		f.schedule.Delays = f.retryDelays
	}
	f.opts.RetryPolicy = f.schedule
	if f.trustCA != "" {
		pem, err := os.ReadFile(f.trustCA)
		if err != nil {
			return fmt.Errorf("--trust-ca: %w", err)
		}
		if !strings.Contains(string(pem), "-----BEGIN CERTIFICATE-----") {
			return fmt.Errorf("--trust-ca %s holds no PEM certificate", f.trustCA)
		}
		f.opts.TrustCAPEM = pem
	}
	if f.prefix != "" && !strings.HasPrefix(f.prefix, "/") {
		f.prefix = "/" + f.prefix
	}
	f.prefix = strings.TrimRight(f.prefix, "/")
	var level slog.Level
	if err := level.UnmarshalText([]byte(f.logLevel)); err != nil {
		return fmt.Errorf("--log-level %q: use debug, info, warn or error", f.logLevel)
	}
	f.opts.Logger = slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: level}))
	if f.auth.User == "" && f.auth.Ticket == "" && f.auth.Bearer == "" {
		return errors.New("every credential is disabled: give at least one of --user/--password, --ticket, --bearer")
	}
	return nil
}

// describeAuth names the accepted credentials; a secret that came from
// the environment is named by its variable instead of printed.
func (f *targetFlags) describeAuth(fs *flagSet) string {
	secret := func(flagName, value string) string {
		if fs.fromEnv[flagName] {
			return "(" + envName(flagName) + ")"
		}
		return value
	}
	var parts []string
	if f.auth.User != "" {
		parts = append(parts, fmt.Sprintf("Basic %s:%s", f.auth.User, secret("password", f.auth.Password)))
	}
	if f.auth.Ticket != "" {
		parts = append(parts, "SoTicket "+secret("ticket", f.auth.Ticket))
	}
	if f.auth.Bearer != "" {
		parts = append(parts, "Bearer "+secret("bearer", f.auth.Bearer))
	}
	return strings.Join(parts, " | ")
}

// printMutants lists the seeded faults of the reference, one per line:
// name, component, the clauses it violates and its description.
func printMutants(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tCOMPONENT\tCLAUSES\tDESCRIPTION")
	for _, m := range mutants.All() {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", m.Name, m.Component, strings.Join(m.Clauses, ","), m.Description)
	}
	_ = tw.Flush() // a failed write to stdout has no one to tell
}
