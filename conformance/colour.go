package conformance

import "strings"

// SGR colour codes of the terminal output.
const (
	ColourGreen  = "32"
	ColourRed    = "31"
	ColourYellow = "33"
	ColourBold   = "1"
)

// Paint wraps s in the SGR code when on, for a terminal; off, it returns
// s as it is.
func Paint(on bool, code, s string) string {
	if !on || s == "" {
		return s
	}
	return "\x1b[" + code + "m" + s + "\x1b[0m"
}

// paintProgress colours a progress line by its mark: a failure's whole
// line red, a pass's mark green, a skip's mark yellow.
func paintProgress(on bool, line string) string {
	switch {
	case !on:
		return line
	case strings.HasPrefix(line, "✗"):
		return Paint(true, ColourRed, line)
	case strings.HasPrefix(line, "✓"):
		return Paint(true, ColourGreen, "✓") + strings.TrimPrefix(line, "✓")
	case strings.HasPrefix(line, "-"):
		return Paint(true, ColourYellow, "-") + strings.TrimPrefix(line, "-")
	}
	return line
}
