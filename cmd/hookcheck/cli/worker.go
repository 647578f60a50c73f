package cli

import (
	"context"
	"fmt"
	"os"
	"os/exec"

	"github.com/hookcheck/hookcheck/conformance"
)

// workerCommand is the hidden subcommand that runs one worker of a
// parallel "hookcheck run"; its configuration arrives on stdin from the
// run that started it. It is not listed in the usage: nobody types it.
const workerCommand = "__run-worker"

// launchWorker prepares the command of one worker process: this binary
// with workerCommand. Tests replace it (their binary is not hookcheck).
var launchWorker conformance.WorkerLauncher = func(ctx context.Context) *exec.Cmd {
	bin, err := os.Executable()
	if err != nil {
		bin = os.Args[0]
	}
	return exec.CommandContext(ctx, bin, workerCommand)
}

// runWorker is the worker process: it runs its share of the specs and
// exits 0 once its report is written, 2 when it could not run.
func runWorker(ctx context.Context, e *env, args []string) int {
	if len(args) > 0 {
		fmt.Fprintf(e.stderr, "hookcheck %s: takes no arguments (its configuration comes on stdin)\n", workerCommand)
		return ExitUsage
	}
	if err := conformance.RunWorker(ctx, e.stdin, e.stderr); err != nil {
		fmt.Fprintf(e.stderr, "hookcheck %s: %v\n", workerCommand, err)
		return ExitUsage
	}
	return ExitOK
}
