// Package cli is the hookcheck command line, kept out of main so it can be
// tested: Main takes arguments, environment and output streams and returns
// the exit code. It never calls os.Exit itself.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"
)

// Exit codes.
const (
	ExitOK     = 0 // success
	ExitFailed = 1 // the job ran and found failures
	ExitUsage  = 2 // bad usage or configuration
	// ExitInterrupted is hookcheck run's exit code when Ctrl-C or SIGTERM
	// stopped it (128 + SIGINT, as shells report it).
	ExitInterrupted = 130
)

// command is one subcommand.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, e *env, args []string) int
}

func commands() []command {
	return []command{
		{"receive", "run the mock webhook receiver (records calls, injects faults, captures e-mail)", runReceive},
		{"target", "run the reference NetServer webhook service (REST, Agents, SOAP)", runTarget},
		{"run", "run the conformance suite against the embedded reference or --target URL", runRun},
		{"reproduce", "drive one behaviour (too-many-errors, gone, retry-schedule, recover, verify-url) through a target and show its timeline", runReproduce},
		{"report", "render a saved run as HTML/Markdown/JUnit/JSON; \"report diff\" compares two runs", runReport},
		{"selftest", "prove the suite: the pristine reference must pass, every seeded fault must be caught", runSelftest},
		{"profile", "print the profile (the target's answers to the spec's open points) as YAML for --profile FILE", runProfile},
		{"ca", "make the persistent receiver CA once (ca init) so an HTTPS target can trust it", runCA},
		{"completion", "print a bash completion script (source <(hookcheck completion bash))", runCompletion},
		{"version", "print the version and the VCS revision of this binary (also --version)", runVersion},
	}
}

// env is what a command may touch: its environment and output streams.
type env struct {
	vars   map[string]string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

// Main runs hookcheck with args (without the program name) and environ
// (KEY=VALUE pairs) until the work is done or SIGINT/SIGTERM arrives, and
// returns the exit code.
func Main(args, environ []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	return Run(ctx, args, environ, stdout, stderr)
}

// Run is Main with the caller's context: cancelling ctx stops servers.
func Run(ctx context.Context, args, environ []string, stdout, stderr io.Writer) int {
	e := &env{vars: map[string]string{}, stdin: os.Stdin, stdout: stdout, stderr: stderr}
	for _, kv := range environ {
		if k, v, ok := strings.Cut(kv, "="); ok {
			e.vars[k] = v
		}
	}
	if len(args) == 0 {
		usage(stderr)
		return ExitUsage
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		usage(stdout)
		return ExitOK
	case "--version", "-version":
		printVersion(stdout)
		return ExitOK
	case workerCommand:
		return runWorker(ctx, e, args[1:])
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(ctx, e, args[1:])
		}
	}
	fmt.Fprintf(stderr, "hookcheck: unknown command %q (run \"hookcheck --help\")\n", args[0])
	return ExitUsage
}

func usage(w io.Writer) {
	fmt.Fprint(w, `hookcheck tests SuperOffice-style webhook implementations.

Usage:
  hookcheck <command> [flags]

Commands:
`)
	cs := commands()
	sort.Slice(cs, func(i, j int) bool { return cs[i].name < cs[j].name })
	for _, c := range cs {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprint(w, `
Run "hookcheck <command> --help" for a command's flags. Every flag can also
be set through the environment as HOOKCHECK_<FLAG>, upper case with '-'
turned into '_' (--max-calls -> HOOKCHECK_MAX_CALLS); a flag on the command
line wins. Exit codes: 0 success, 1 failures found, 2 bad usage,
130 interrupted (docs/exit-codes.md).
The behavioural spec the suite checks is docs/superoffice-webhooks.md in
the repository; "hookcheck --version" prints the version.
`)
}

// usageError reports a bad invocation on one line and returns ExitUsage.
func usageError(e *env, cmd string, err error) int {
	fmt.Fprintf(e.stderr, "hookcheck %s: %v\n", cmd, err)
	return ExitUsage
}

// errHelp is returned by parse when --help was asked for.
var errHelp = errors.New("help requested")
