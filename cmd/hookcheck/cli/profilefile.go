package cli

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/hookcheck/hookcheck/conformance/framework"
)

// profileFlagNames are the names of the profile flags
// (framework.Profile.RegisterFlags).
func profileFlagNames() map[string]*flag.Flag {
	fs := flag.NewFlagSet("profile", flag.ContinueOnError)
	p := framework.DefaultProfile()
	p.RegisterFlags(fs)
	out := map[string]*flag.Flag{}
	fs.VisitAll(func(f *flag.Flag) { out[f.Name] = f })
	return out
}

// applyProfileFile sets the profile flags of fs that path (YAML: flag
// name → value, as "hookcheck profile" prints) names, except those given
// on the command line or through HOOKCHECK_* variables, which win. A key
// that is not a profile flag is an error.
func applyProfileFile(fs *flag.FlagSet, path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("--profile: %w", err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return fmt.Errorf("--profile %s: %w", path, err)
	}
	if len(doc.Content) == 0 {
		return nil // an empty file changes nothing
	}
	m := doc.Content[0]
	if m.Kind != yaml.MappingNode {
		return fmt.Errorf("--profile %s: want a mapping of profile flag names to values (see hookcheck profile)", path)
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	known := profileFlagNames()
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		name := k.Value
		if _, ok := known[name]; !ok || fs.Lookup(name) == nil {
			return fmt.Errorf("--profile %s:%d: %q is not a profile flag (hookcheck profile lists them)", path, k.Line, name)
		}
		if given[name] {
			continue
		}
		value, err := scalarOrList(v)
		if err != nil {
			return fmt.Errorf("--profile %s:%d: %s: %w", path, v.Line, name, err)
		}
		if err := fs.Set(name, value); err != nil {
			return fmt.Errorf("--profile %s:%d: %s: %w", path, v.Line, name, err)
		}
	}
	return nil
}

// scalarOrList is a YAML value as a flag value: a scalar as written, a
// list of scalars joined with commas.
func scalarOrList(n *yaml.Node) (string, error) {
	switch n.Kind {
	case yaml.ScalarNode:
		// As written: "missing-id: null" means the value null, not none.
		return n.Value, nil
	case yaml.SequenceNode:
		parts := make([]string, 0, len(n.Content))
		for _, c := range n.Content {
			if c.Kind != yaml.ScalarNode {
				return "", errors.New("want a list of plain values")
			}
			parts = append(parts, c.Value)
		}
		return strings.Join(parts, ","), nil
	}
	return "", errors.New("want a value or a list of values")
}

// writeProfileYAML writes p as YAML that applyProfileFile reads back: every
// profile flag with its value, its help as a comment.
func writeProfileYAML(w io.Writer, p framework.Profile) error {
	fs := flag.NewFlagSet("profile", flag.ContinueOnError)
	q := p
	q.RegisterFlags(fs)
	m := &yaml.Node{Kind: yaml.MappingNode}
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		k := &yaml.Node{Kind: yaml.ScalarNode, Value: f.Name, HeadComment: f.Usage}
		var v *yaml.Node
		if _, list := f.Value.(*framework.DurationList); list {
			v = &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle}
			for _, d := range strings.Split(f.Value.String(), ",") {
				v.Content = append(v.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: d})
			}
		} else {
			v = &yaml.Node{Kind: yaml.ScalarNode, Value: f.Value.String()}
			if needsQuotes(f) {
				v.Style = yaml.DoubleQuotedStyle
			}
		}
		m.Content = append(m.Content, k, v)
	})
	var buf bytes.Buffer
	buf.WriteString("# hookcheck profile: how the target resolves the points the spec leaves open\n")
	buf.WriteString("# (docs/superoffice-webhooks.md §9). Use it with: hookcheck run --profile FILE\n")
	buf.WriteString("# (a flag on the command line or a HOOKCHECK_* variable wins over the file).\n\n")
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err = enc.Encode(m); err != nil {
		return fmt.Errorf("profile: %w", err)
	}
	if err = enc.Close(); err != nil {
		return fmt.Errorf("profile: %w", err)
	}
	_, err = w.Write(buf.Bytes())
	return err
}

// needsQuotes reports whether a flag's value must be quoted to read as
// the string it is: empty, or a word YAML would take for null or a
// boolean (missing-id: null).
func needsQuotes(f *flag.Flag) bool {
	if b, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && b.IsBoolFlag() {
		return false
	}
	switch strings.ToLower(f.Value.String()) {
	case "", "~", "null", "true", "false", "yes", "no", "on", "off", "y", "n":
		return true
	}
	return false
}

// runProfile is "hookcheck profile": the current profile as YAML.
func runProfile(_ context.Context, e *env, args []string) int {
	fs := newFlagSet("profile", `Prints the profile — how the target resolves the points the spec leaves
open (docs/superoffice-webhooks.md §9) and how patient the suite is — as
YAML that "hookcheck run --profile FILE" (and reproduce) reads back: every
profile flag with its value and its meaning as a comment. Without flags it
is NetServer's documented behaviour, the default of a --target run; the
profile flags and --profile FILE change it as they change a run's
(command line > HOOKCHECK_* > file > default).

  hookcheck profile --success 2xx --retry-delays 2s,8s > my-target.yaml
  hookcheck run --target https://... --profile my-target.yaml`)
	p := framework.DefaultProfile()
	var file string
	fs.StringVar(&file, "profile", "", "YAML `file` of profile flag values to start from")
	p.RegisterFlags(fs.FlagSet)
	if err := fs.parse(e, args); err != nil {
		if errors.Is(err, errHelp) {
			return ExitOK
		}
		return usageError(e, "profile", err)
	}
	if file != "" {
		if err := applyProfileFile(fs.FlagSet, file); err != nil {
			return usageError(e, "profile", err)
		}
	}
	if err := p.Validate(); err != nil {
		return usageError(e, "profile", err)
	}
	if err := writeProfileYAML(e.stdout, p); err != nil {
		fmt.Fprintf(e.stderr, "hookcheck profile: %v\n", err)
		return ExitFailed
	}
	return ExitOK
}
