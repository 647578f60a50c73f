package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
)

// buildInfo reads the binary's build information; tests replace it.
var buildInfo = debug.ReadBuildInfo

// versionLine is what "hookcheck --version" prints: the module version,
// the VCS revision and time (with "+dirty" for a modified tree) when the
// binary was built from a checkout, and the Go version.
func versionLine() string {
	version, revision, when, dirty := "(devel)", "", "", false
	if bi, ok := buildInfo(); ok {
		if v := bi.Main.Version; v != "" {
			version = v
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				revision = s.Value
			case "vcs.time":
				when = s.Value
			case "vcs.modified":
				dirty = s.Value == "true"
			}
		}
	}
	line := "hookcheck " + version
	if revision != "" {
		if len(revision) > 12 {
			revision = revision[:12]
		}
		if dirty {
			revision += "+dirty"
		}
		line += " (" + revision
		if when != "" {
			line += " " + when
		}
		line += ")"
	}
	return line + " " + runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH
}

// printVersion writes the version line.
func printVersion(w io.Writer) {
	fmt.Fprintln(w, versionLine())
}

// runVersion is "hookcheck version".
func runVersion(_ context.Context, e *env, args []string) int {
	fs := newFlagSet("version", `Prints the module version, the VCS revision the binary was built from (with
its commit time, "+dirty" when the tree had changes) and the Go version, as
"hookcheck --version" does. "go install ...@vX" binaries show vX; a build
from a checkout shows (devel) and the revision.`)
	if err := fs.parse(e, args); err != nil {
		if errors.Is(err, errHelp) {
			return ExitOK
		}
		return usageError(e, "version", err)
	}
	printVersion(e.stdout)
	return ExitOK
}
