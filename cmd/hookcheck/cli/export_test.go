package cli

import (
	"context"
	"io"
	"runtime/debug"

	"github.com/hookcheck/hookcheck/conformance"
)

// SetWorkerLauncher replaces how a parallel run starts its worker
// processes (a test binary is not hookcheck).
func SetWorkerLauncher(l conformance.WorkerLauncher) { launchWorker = l }

// WorkerCommand is the hidden subcommand of a worker process.
const WorkerCommand = workerCommand

// SelftestWith runs "hookcheck selftest" with args, calling runner instead
// of starting child processes: runner gets the arguments of one
// "hookcheck run" and the path of its log, and returns its exit code.
func SelftestWith(ctx context.Context, args []string, stdout, stderr io.Writer, runner func(ctx context.Context, args []string, logPath string) (int, error)) int {
	e := &env{vars: map[string]string{}, stdout: stdout, stderr: stderr}
	return selftest(ctx, e, args, runner)
}

// ColourOn is colourOn: whether the output is coloured for a --color
// mode, a terminal or not, and the value of NO_COLOR.
func ColourOn(mode string, terminal bool, noColor string) (bool, error) {
	return colourOn(mode, terminal, noColor)
}

// SetBuildInfo replaces the build information --version reads and
// returns a function that restores it.
func SetBuildInfo(f func() (*debug.BuildInfo, bool)) (restore func()) {
	prev := buildInfo
	buildInfo = f
	return func() { buildInfo = prev }
}
