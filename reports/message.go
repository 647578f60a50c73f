package reports

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// ReadableDuration prints a measured duration for people, keeping about
// four significant digits: 901µs, 200.7ms, 375ms, 1.5s, 4s, 1m3s.
func ReadableDuration(d time.Duration) string {
	a := d
	if a < 0 {
		a = -a
	}
	switch {
	case a < time.Microsecond:
	case a < time.Millisecond:
		d = d.Round(time.Microsecond)
	case a < time.Second:
		d = d.Round(100 * time.Microsecond)
	case a < time.Minute:
		d = d.Round(10 * time.Millisecond)
	default:
		d = d.Round(time.Second)
	}
	return d.String()
}

// gomegaDuration matches a time.Duration as Gomega formats it:
// "<time.Duration>: 200760232" (nanoseconds).
var gomegaDuration = regexp.MustCompile(`<time\.Duration>: (-?[0-9.]+[a-zµ]*)`)

// goDuration matches a duration as time.Duration.String prints it.
var goDuration = regexp.MustCompile(`\b\d+(?:\.\d+)?(?:h|ms|µs|us|ns|m|s)(?:\d+(?:\.\d+)?(?:h|ms|µs|us|ns|m|s))*\b`)

// HumaniseDurations rewrites the durations in a failure message in human
// units: Gomega's "<time.Duration>: 200760232" becomes "200.8ms" and a
// Go duration with nanosecond digits ("200.744198ms") is rounded the same
// way. Other text is left as it is.
func HumaniseDurations(msg string) string {
	msg = gomegaDuration.ReplaceAllStringFunc(msg, func(m string) string {
		v := gomegaDuration.FindStringSubmatch(m)[1]
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			return ReadableDuration(time.Duration(n))
		}
		if d, err := time.ParseDuration(v); err == nil {
			return ReadableDuration(d)
		}
		return m
	})
	return goDuration.ReplaceAllStringFunc(msg, func(m string) string {
		d, err := time.ParseDuration(m)
		if err != nil {
			return m
		}
		if r := ReadableDuration(d); len(r) < len(m) {
			return r
		}
		return m
	})
}

// callLine matches a line of a call listing in a failure message (the
// suite's framework.DescribeCalls: "  #3 12:00:01.250 POST event=... answered=500").
var callLine = regexp.MustCompile(`^\s+#\d+\s`)

// gomegaType is the "<type>: " prefix Gomega puts before a value.
var gomegaType = regexp.MustCompile(`^<([^>]+)>: `)

// Headline turns a failure message into one complete line for a terminal
// or a table cell: the description lines joined, a call listing left out
// (the report shows the calls), Gomega's
// "Expected\n    <type>: A\nto be >=\n    <type>: B" folded into
// "expected A to be ≥ B", and durations in human units. Nothing is cut:
// the line never ends in a dangling colon.
func Headline(msg string) string {
	lines := strings.Split(strings.ReplaceAll(HumaniseDurations(msg), "\r\n", "\n"), "\n")
	var desc []string
	afterCalls := false // the next description line follows a call listing
	i := 0
	for ; i < len(lines); i++ {
		l := lines[i]
		if strings.TrimSpace(l) == "Expected" && !strings.HasPrefix(l, " ") {
			break
		}
		if callLine.MatchString(l) {
			if n := len(desc); n > 0 && !afterCalls {
				desc[n-1] = strings.TrimSuffix(desc[n-1], ":")
			}
			afterCalls = true
			continue
		}
		if t := strings.Join(strings.Fields(l), " "); t != "" {
			if afterCalls && len(desc) > 0 {
				t = "— " + t
			}
			desc = append(desc, t)
			afterCalls = false
		}
	}
	text := ""
	for j, d := range desc {
		if j > 0 {
			if strings.HasPrefix(d, "— ") || strings.ContainsAny(text[len(text)-1:], ".;:,!?") {
				text += " "
			} else {
				text += "; "
			}
		}
		text += d
	}
	text = strings.TrimSuffix(strings.TrimSpace(text), ":")
	if i < len(lines) {
		if g := foldGomega(lines[i+1:]); g != "" {
			if text != "" {
				text += " — "
			}
			text += g
		}
	}
	text = strings.TrimSuffix(strings.TrimSpace(text), ":")
	return text
}

// foldGomega folds the rest of a Gomega failure after its "Expected" line
// (indented value, verb line, indented value ...) into one line.
func foldGomega(lines []string) string {
	var parts []string
	var value []string
	flush := func() {
		if len(value) == 0 {
			return
		}
		v := strings.Join(value, " ")
		if m := gomegaType.FindStringSubmatch(v); m != nil {
			v = v[len(m[0]):]
			if m[1] == "string" {
				v = strconv.Quote(v)
			}
		}
		if r := []rune(v); len(r) > 200 {
			v = string(r[:199]) + "…"
		}
		parts = append(parts, v)
		value = nil
	}
	for _, l := range lines {
		t := strings.Join(strings.Fields(l), " ")
		if t == "" {
			continue
		}
		if strings.HasPrefix(l, " ") || strings.HasPrefix(l, "\t") {
			value = append(value, t)
			continue
		}
		flush()
		parts = append(parts, verbSymbols.Replace(t))
	}
	flush()
	if len(parts) == 0 {
		return ""
	}
	return "expected " + strings.Join(parts, " ")
}

// verbSymbols prints Gomega's comparison verbs as symbols.
var verbSymbols = strings.NewReplacer(">=", "≥", "<=", "≤")

// sameText reports whether two messages are the same text, ignoring
// surrounding whitespace (an evidence's Actual is often the failure
// message itself, which the report then shows once).
func sameText(a, b string) bool {
	return strings.TrimSpace(a) == strings.TrimSpace(b)
}

// clip shortens a headline to about max runes for a table cell, cutting
// at a space and never leaving a dangling colon; a clipped text ends in
// "…".
func clip(s string, max int) string {
	r := []rune(s)
	if len(r) <= max {
		return s
	}
	cut := string(r[:max])
	if i := strings.LastIndexByte(cut, ' '); i > max/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " :;,—") + " …"
}
