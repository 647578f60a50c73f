package cli

import (
	"flag"
	"fmt"
	"io"
	"strings"
)

// flagSet wraps flag.FlagSet with environment fallbacks and a help text
// that names each flag's variable.
type flagSet struct {
	*flag.FlagSet
	cmd, synopsis string
	// argsUsage names the positional arguments in the help text (for
	// example "RUN.json"); only commands parsed with parseArgs set it.
	argsUsage string
	// fromEnv names the flags whose value came from a HOOKCHECK_*
	// variable, so a command can avoid echoing secrets given that way.
	fromEnv map[string]bool
	// sections group the flags in the help text, in order; flags in none
	// are listed last under "Other flags".
	sections []helpSection
}

// helpSection is one group of flags in a command's help.
type helpSection struct {
	title string
	names []string
}

// section adds a group of flags to the help text, listed in the given
// order.
func (fs *flagSet) section(title string, names ...string) {
	fs.sections = append(fs.sections, helpSection{title, names})
}

func newFlagSet(cmd, synopsis string) *flagSet {
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return &flagSet{FlagSet: fs, cmd: cmd, synopsis: synopsis}
}

// envName is the environment variable for a flag.
func envName(flagName string) string {
	return "HOOKCHECK_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// parse parses args, then fills every flag not given on the command line
// from its HOOKCHECK_* variable. It returns errHelp for -h/--help, and an
// error naming the flag or variable for bad values.
func (fs *flagSet) parse(e *env, args []string) error {
	for _, a := range args {
		if a == "-h" || a == "--help" || a == "-help" {
			fs.printHelp(e.stdout)
			return errHelp
		}
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q (flags start with --)", fs.Arg(0))
	}
	return fs.fillFromEnv(e)
}

// parseArgs is parse for commands that take between min and max positional
// arguments (max < 0: no limit). Flags may come before, between or after
// them; everything after "--" is positional. It returns the positional
// arguments.
func (fs *flagSet) parseArgs(e *env, args []string, min, max int) ([]string, error) {
	for _, a := range args {
		if a == "--" {
			break
		}
		if a == "-h" || a == "--help" || a == "-help" {
			fs.printHelp(e.stdout)
			return nil, errHelp
		}
	}
	var pos []string
	for len(args) > 0 {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if consumed := len(args) - len(rest); consumed > 0 && args[consumed-1] == "--" {
			pos = append(pos, rest...)
			break
		}
		if len(rest) == 0 {
			break
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
	switch {
	case len(pos) < min:
		return nil, fmt.Errorf("missing argument: want %s", fs.argsUsage)
	case max >= 0 && len(pos) > max:
		return nil, fmt.Errorf("unexpected argument %q (want %s)", pos[max], fs.argsUsage)
	}
	return pos, fs.fillFromEnv(e)
}

// fillFromEnv sets every flag not given on the command line from its
// HOOKCHECK_* variable.
func (fs *flagSet) fillFromEnv(e *env) error {
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		if err != nil || given[f.Name] {
			return
		}
		if v, ok := e.vars[envName(f.Name)]; ok {
			if serr := fs.Set(f.Name, v); serr != nil {
				err = fmt.Errorf("%s=%q: %v", envName(f.Name), v, serr)
				return
			}
			if fs.fromEnv == nil {
				fs.fromEnv = map[string]bool{}
			}
			fs.fromEnv[f.Name] = true
		}
	})
	return err
}

func (fs *flagSet) printHelp(w io.Writer) {
	args := ""
	if fs.argsUsage != "" {
		args = " " + fs.argsUsage
	}
	fmt.Fprintf(w, "Usage: hookcheck %s [flags]%s\n\n%s\n", fs.cmd, args, fs.synopsis)
	if len(fs.sections) == 0 {
		fmt.Fprint(w, "\nFlags:\n")
		fs.VisitAll(func(f *flag.Flag) { printFlag(w, f) })
		return
	}
	listed := map[string]bool{}
	for _, sec := range fs.sections {
		fmt.Fprintf(w, "\n%s:\n", sec.title)
		for _, n := range sec.names {
			if f := fs.Lookup(n); f != nil && !listed[n] {
				listed[n] = true
				printFlag(w, f)
			}
		}
	}
	var rest []*flag.Flag
	fs.VisitAll(func(f *flag.Flag) {
		if !listed[f.Name] {
			rest = append(rest, f)
		}
	})
	if len(rest) > 0 {
		fmt.Fprint(w, "\nOther flags:\n")
		for _, f := range rest {
			printFlag(w, f)
		}
	}
}

// printFlag prints one flag of a help text: name and argument, usage,
// default and variable.
func printFlag(w io.Writer, f *flag.Flag) {
	name, usage := flag.UnquoteUsage(f)
	fmt.Fprintf(w, "  --%s", f.Name)
	if name != "" {
		fmt.Fprintf(w, " %s", name)
	}
	fmt.Fprintf(w, "\n      %s", strings.ReplaceAll(usage, "\n", "\n      "))
	if f.DefValue != "" && f.DefValue != "0" && f.DefValue != "false" && f.DefValue != "[]" {
		fmt.Fprintf(w, " (default %s)", f.DefValue)
	}
	fmt.Fprintf(w, "\n      env %s\n", envName(f.Name))
}

// listFlag is a repeatable, comma-splitting string flag.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }

// Set appends comma-separated values.
func (l *listFlag) Set(v string) error {
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p != "" {
			*l = append(*l, p)
		}
	}
	return nil
}
