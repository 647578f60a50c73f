package reports

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// specTitle is a spec's display name with its clause: "[WH-DLV-004] name".
func specTitle(s Spec) string {
	if s.Clause == "" {
		return s.Name
	}
	return "[" + s.Clause + "] " + s.Name
}

// failureMessage is the failure message of a spec, or its panic.
func failureMessage(s Spec) string {
	if s.Failure == nil {
		return string(s.State)
	}
	if strings.TrimSpace(s.Failure.Message) != "" {
		return s.Failure.Message
	}
	if s.Failure.Panic != "" {
		return "panic: " + s.Failure.Panic
	}
	return string(s.State)
}

// oneLine returns the first non-blank line of s, whitespace collapsed and
// cut to max runes with an ellipsis.
func oneLine(s string, max int) string {
	line := ""
	for _, l := range strings.Split(s, "\n") {
		if strings.TrimSpace(l) != "" {
			line = l
			break
		}
	}
	line = strings.Join(strings.Fields(line), " ")
	if utf8.RuneCountInString(line) > max {
		r := []rune(line)
		line = string(r[:max-1]) + "…"
	}
	return line
}

// orderedAreas returns the areas of the specs, known areas first in the
// order of Areas, then the others by first appearance.
func orderedAreas(specs []Spec) []string {
	seen := map[string]bool{}
	for _, s := range specs {
		seen[s.Area] = true
	}
	var out []string
	for _, a := range Areas {
		if seen[a] {
			out = append(out, a)
			delete(seen, a)
		}
	}
	for _, s := range specs {
		if seen[s.Area] {
			out = append(out, s.Area)
			delete(seen, s.Area)
		}
	}
	return out
}

// humanDuration prints a duration rounded for people: 850ms, 4.2s, 1m3s.
func humanDuration(d time.Duration) string {
	switch {
	case d <= 0:
		return "0s"
	case d < time.Millisecond:
		return d.String()
	case d < time.Second:
		return d.Round(time.Millisecond).String()
	case d < time.Minute:
		return fmt.Sprintf("%.1fs", d.Seconds())
	default:
		return d.Round(time.Second).String()
	}
}

// plural returns "1 spec" / "2 specs" ("1 fix" / "2 fixes").
func plural(n int, word string) string {
	switch {
	case n == 1:
		return fmt.Sprintf("%d %s", n, word)
	case strings.HasSuffix(word, "x") || strings.HasSuffix(word, "s"):
		return fmt.Sprintf("%d %ses", n, word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}
