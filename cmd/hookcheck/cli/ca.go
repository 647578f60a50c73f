package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"

	"github.com/hookcheck/hookcheck/receiver"
)

// caDirHelp says where the persistent receiver CA lives by default; the
// flags that take a CA directory quote it.
const caDirHelp = "$XDG_CONFIG_HOME/hookcheck, or ~/.config/hookcheck when XDG_CONFIG_HOME is unset"

// defaultCADir is the directory of the persistent receiver CA:
// $XDG_CONFIG_HOME/hookcheck, else $HOME/.config/hookcheck; "" when
// neither variable is set.
func defaultCADir(e *env) string {
	if x := e.vars["XDG_CONFIG_HOME"]; x != "" && filepath.IsAbs(x) {
		return filepath.Join(x, "hookcheck")
	}
	if h := e.vars["HOME"]; h != "" {
		return filepath.Join(h, ".config", "hookcheck")
	}
	return ""
}

// chooseCADir resolves a --receiver-ca-dir / --ca-dir value: "off" is
// none (a CA for this run only); an explicit directory must hold a CA;
// not given, the default directory is used when it holds one.
func chooseCADir(e *env, value string, given bool) (string, error) {
	switch {
	case value == receiver.Off:
		return "", nil
	case given && value != "":
		if !receiver.HasCA(value) {
			return "", fmt.Errorf("%s holds no CA (%s, %s): make one with \"hookcheck ca init --dir %s\"", value, receiver.CAFile, receiver.CAKeyFile, value)
		}
		return value, nil
	}
	if d := defaultCADir(e); d != "" && receiver.HasCA(d) {
		return d, nil
	}
	return "", nil
}

// runCA is "hookcheck ca init|path".
func runCA(_ context.Context, e *env, args []string) int {
	sub := ""
	if len(args) > 0 {
		sub, args = args[0], args[1:]
	}
	switch sub {
	case "init", "path":
	case "-h", "--help", "-help", "help":
		printCAUsage(e.stdout)
		return ExitOK
	case "":
		printCAUsage(e.stderr)
		return ExitUsage
	default:
		return usageError(e, "ca", fmt.Errorf("unknown subcommand %q: use init or path", sub))
	}
	fs := newFlagSet("ca "+sub, caSynopsis(sub))
	var dir string
	fs.StringVar(&dir, "dir", "", "`directory` of the CA (default "+caDirHelp+")")
	if err := fs.parse(e, args); err != nil {
		if errors.Is(err, errHelp) {
			return ExitOK
		}
		return usageError(e, "ca "+sub, err)
	}
	if dir == "" {
		if dir = defaultCADir(e); dir == "" {
			return usageError(e, "ca "+sub, errors.New("neither XDG_CONFIG_HOME nor HOME is set: give --dir"))
		}
	}
	if sub == "path" {
		if !receiver.HasCA(dir) {
			fmt.Fprintf(e.stderr, "hookcheck ca path: no CA in %s (make one with \"hookcheck ca init\")\n", dir)
			return ExitFailed
		}
		fmt.Fprintln(e.stdout, filepath.Join(dir, receiver.CAFile))
		return ExitOK
	}
	path, created, err := receiver.InitCA(dir)
	if err != nil {
		return usageError(e, "ca init", err)
	}
	what := "kept the CA already in"
	if created {
		what = "created"
	}
	fmt.Fprintf(e.stdout, "%s %s (its key %s is readable by you only)\n", what, path, receiver.CAKeyFile)
	printTrustAdvice(e.stdout, path)
	return ExitOK
}

// printTrustAdvice tells how to make a target trust ca.pem at path.
func printTrustAdvice(w io.Writer, path string) {
	fmt.Fprintf(w, `
Trust it once where the webhooks are sent from:
  hookcheck target:      hookcheck target --trust-ca %[1]s
  Debian/Ubuntu:         sudo cp %[1]s /usr/local/share/ca-certificates/hookcheck.crt && sudo update-ca-certificates
  Windows (NetServer):   certutil -addstore -f Root %[1]s
  macOS:                 sudo security add-trusted-cert -d -r trustRoot -k /Library/Keychains/System.keychain %[1]s

hookcheck receive, run and reproduce sign their HTTPS certificate with it
from now on when it is in the default directory (else pass
--ca-dir / --receiver-ca-dir %[2]s).
`, path, filepath.Dir(path))
}

// caSynopsis is the help text of "hookcheck ca SUB".
func caSynopsis(sub string) string {
	if sub == "path" {
		return `Prints the path of the persistent receiver CA's ca.pem; exit 1 when there
is none yet.`
	}
	return `Makes the persistent receiver CA once: ca.pem (the certificate a target
trusts) and ca-key.pem (its key, mode 0600) in --dir. A CA already there is
kept, so trusting ca.pem once lasts across runs. "hookcheck receive", "run"
and "reproduce" then sign their HTTPS certificate with it (a new leaf for
each start; --receiver-ca-dir / --ca-dir choose another directory, "off" a
CA for that run only). It prints how to trust ca.pem.`
}

// printCAUsage is the overview of "hookcheck ca".
func printCAUsage(w io.Writer) {
	fmt.Fprintf(w, `Usage: hookcheck ca init|path [--dir DIR]

  init   make the persistent receiver CA (ca.pem, ca-key.pem) once and say how to trust it
  path   print the path of its ca.pem

The default directory is %s.
`, caDirHelp)
}
