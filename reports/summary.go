package reports

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"time"
)

// Limits that keep summary.md inside a pull-request comment (GitHub allows
// 65536 characters).
const (
	summaryBudget   = 60000
	summaryMaxRows  = 50
	summaryMsgWidth = 400
)

// WriteSummary writes summary.md: a verdict and totals line, tables of MUST
// and SHOULD failures (clause, style, spec, one-line message), the skip
// reasons, and collapsed details of each failure. It stays under the size of
// a pull-request comment by cutting the details and saying so.
func WriteSummary(w io.Writer, run Run) error {
	var b strings.Builder
	t := run.Totals
	verdict := "✅ passed"
	switch {
	case run.NotStarted != "":
		verdict = "⛔ did not start"
	case run.Interrupted:
		verdict = "⏹️ interrupted (incomplete)"
	case !run.Passed():
		verdict = "❌ failed"
	case run.LeftOut != nil:
		verdict = "⚠️ partial (what ran passed)"
	}
	fmt.Fprintf(&b, "## hookcheck conformance: %s\n\n", verdict)
	if run.NotStarted != "" {
		fmt.Fprintf(&b, "> **The run did not start:** %s\n\n", mdText(oneLine(run.NotStarted, 600)))
	}
	if run.NotStarted == "" {
		fmt.Fprintf(&b, "**%s**: %d passed · %d failed (%d MUST, %d SHOULD) · %d skipped%s — clauses: %d pass, %d fail, %d not run — %s\n\n",
			plural(t.Specs, "spec"), t.Passed, t.Failed, t.MustFailed, t.ShouldFailed, t.Skipped, cutShortCounts(t),
			t.ClausesPassed, t.ClausesFailed, t.ClausesNotRun, humanDuration(run.Duration))
	}
	var meta []string
	if run.Suite != "" {
		meta = append(meta, "suite "+mdText(run.Suite))
	}
	if run.Target != "" {
		meta = append(meta, "target "+mdCode(run.Target))
	}
	if !run.StartedAt.IsZero() {
		meta = append(meta, "started "+run.StartedAt.UTC().Format(time.RFC3339))
	}
	if len(meta) > 0 {
		fmt.Fprintf(&b, "%s\n\n", strings.Join(meta, " · "))
	}
	if run.TargetStopped != "" {
		fmt.Fprintf(&b, "> **The target stopped answering:** %s. The specs after it are not run.\n\n", mdText(oneLine(run.TargetStopped, 300)))
	}
	if run.Interrupted {
		b.WriteString("> **Interrupted:** the run was stopped (Ctrl-C or SIGTERM) before its end; the specs cut short are listed as interrupted or not run, not as failures.\n\n")
	}
	for _, f := range run.SuiteFailures {
		fmt.Fprintf(&b, "> **Suite failure:** %s\n\n", mdText(oneLine(f, 300)))
	}
	if len(run.NotChecked) > 0 {
		fmt.Fprintf(&b, "> **Not checked** (the target lacks the capability, or was not said to have it): %s.\n\n", mdText(notCheckedSummary(run.NotChecked)))
	}
	if lo := run.LeftOut; lo != nil {
		fmt.Fprintf(&b, "> **Partial run:** %s.", mdText(lo.Summary()))
		if len(lo.Clauses) > 0 {
			fmt.Fprintf(&b, " Left out: %s.", mdText(CompactIDs(lo.Clauses)))
		}
		if len(lo.Partly) > 0 {
			fmt.Fprintf(&b, " In part: %s.", mdText(CompactIDs(lo.Partly)))
		}
		b.WriteString("\n\n")
	}

	var must, should []Spec
	for _, s := range run.Failures() {
		if s.Level == LevelShould {
			should = append(should, s)
		} else {
			must = append(must, s)
		}
	}
	failureTable(&b, "MUST failures", must)
	failureTable(&b, "SHOULD failures", should)
	skipSection(&b, "Not run or interrupted", run.CutShort())
	skipSection(&b, "Skipped", run.Skips())
	failureDetails(&b, run.Failures())
	b.WriteString("<sub>Full report with the clause matrix and call timelines: report.html</sub>\n")
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("reports: write summary.md: %w", err)
	}
	return nil
}

// cutShortCounts is " · N interrupted · N not run" for the counts that
// are not zero.
func cutShortCounts(t Totals) string {
	s := ""
	if t.Interrupted > 0 {
		s += fmt.Sprintf(" · %d interrupted", t.Interrupted)
	}
	if t.NotRun > 0 {
		s += fmt.Sprintf(" · %d not run", t.NotRun)
	}
	return s
}

func failureTable(b *strings.Builder, title string, specs []Spec) {
	if len(specs) == 0 {
		return
	}
	fmt.Fprintf(b, "### %s (%d)\n\n| Clause | Style | Spec | Message |\n|---|---|---|---|\n", title, len(specs))
	for i, s := range specs {
		if i == summaryMaxRows {
			fmt.Fprintf(b, "\n…and %d more (see report.html)\n", len(specs)-i)
			break
		}
		fmt.Fprintf(b, "| %s | %s | %s | %s |\n", mdCode(orDash(s.Clause)), mdText(s.Style),
			mdText(oneLine(s.Name, 100)), mdText(clip(Headline(failureMessage(s)), summaryMsgWidth)))
	}
	b.WriteString("\n")
}

// skipSection lists specs that did not run to their end under title:
// their reasons with counts, then the specs.
func skipSection(b *strings.Builder, title string, skips []Spec) {
	if len(skips) == 0 {
		return
	}
	count := map[string]int{}
	var reasons []string
	for _, s := range skips {
		r := oneLine(orDash(s.SkipReason), summaryMsgWidth)
		if count[r] == 0 {
			reasons = append(reasons, r)
		}
		count[r]++
	}
	sort.SliceStable(reasons, func(i, j int) bool { return count[reasons[i]] > count[reasons[j]] })
	fmt.Fprintf(b, "### %s (%d)\n\n| Reason | Specs |\n|---|---|\n", title, len(skips))
	for _, r := range reasons {
		fmt.Fprintf(b, "| %s | %d |\n", mdText(r), count[r])
	}
	fmt.Fprintf(b, "\n<details><summary>%s specs</summary>\n\n| Clause | Style | Spec | Reason |\n|---|---|---|---|\n", title)
	for i, s := range skips {
		if i == summaryMaxRows {
			fmt.Fprintf(b, "\n…and %d more (see report.html)\n", len(skips)-i)
			break
		}
		fmt.Fprintf(b, "| %s | %s | %s | %s |\n", mdCode(orDash(s.Clause)), mdText(s.Style),
			mdText(oneLine(s.Name, 100)), mdText(oneLine(orDash(s.SkipReason), summaryMsgWidth)))
	}
	b.WriteString("\n</details>\n\n")
}

func failureDetails(b *strings.Builder, failures []Spec) {
	if len(failures) == 0 {
		return
	}
	fmt.Fprintf(b, "<details><summary>Failure details (%d)</summary>\n\n", len(failures))
	for i, s := range failures {
		var d strings.Builder
		fmt.Fprintf(&d, "#### %s · %s\n\n", mdText(specTitle(s)), mdText(s.Style))
		fmt.Fprintf(&d, "%s · %s", mdCode(s.ID), string(s.State))
		if s.Failure != nil && s.Failure.Location != "" {
			fmt.Fprintf(&d, " · at %s", mdCode(s.Failure.Location))
		}
		d.WriteString("\n\n")
		msg := failureMessage(s)
		shown := false
		for _, ev := range s.Evidence {
			if sameText(ev.Actual, msg) {
				shown = true
			}
		}
		if !shown {
			d.WriteString(mdBlock(cut(HumaniseDurations(msg), 4000)))
		}
		for _, ev := range s.Evidence {
			d.WriteString("Expected:\n\n" + mdBlock(cut(HumaniseDurations(ev.Expected), 2000)))
			d.WriteString("Actual:\n\n" + mdBlock(cut(HumaniseDurations(ev.Actual), 2000)))
			if len(ev.Calls) > 0 {
				d.WriteString("Calls:\n\n" + mdBlock(callList(ev.Calls, 40)))
			}
		}
		if b.Len()+d.Len() > summaryBudget {
			fmt.Fprintf(b, "…%d more failures cut to fit a comment (see report.html)\n\n", len(failures)-i)
			break
		}
		b.WriteString(d.String())
	}
	b.WriteString("</details>\n\n")
}

// callList renders calls one per line with their offset from the first.
func callList(calls []CallPoint, max int) string {
	var b strings.Builder
	t0 := calls[0].At
	for i, c := range calls {
		if i == max {
			fmt.Fprintf(&b, "… %d more\n", len(calls)-i)
			break
		}
		res := fmt.Sprintf("%d", c.Status)
		if c.Fault != "" {
			res = c.Fault
		}
		fmt.Fprintf(&b, "#%-4d +%-8s event %-12s retry %d → %s\n", c.Seq, humanDuration(c.At.Sub(t0)), orDash(shortID(c.EventID)), c.Retry, res)
	}
	return b.String()
}

// mdReplacer escapes text for a Markdown paragraph or table cell: HTML
// special characters become entities and Markdown punctuation is
// backslash-escaped.
var mdReplacer = strings.NewReplacer(
	"&", "&amp;", "<", "&lt;", ">", "&gt;",
	`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`,
	"|", `\|`, "#", `\#`, "~", `\~`, "\r", " ", "\n", " ",
)

func mdText(s string) string {
	return mdReplacer.Replace(s)
}

// mdCode renders s as inline code, safe in a table cell.
func mdCode(s string) string {
	s = strings.NewReplacer("\n", " ", "\r", " ", "|", "¦").Replace(s)
	ticks := strings.Repeat("`", longestRun(s, '`')+1)
	pad := ""
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		pad = " "
	}
	return ticks + pad + s + pad + ticks
}

// mdBlock renders s as a fenced code block whose fence is longer than any
// backtick run inside.
func mdBlock(s string) string {
	n := longestRun(s, '`') + 1
	if n < 3 {
		n = 3
	}
	fence := strings.Repeat("`", n)
	return fence + "text\n" + strings.TrimRight(s, "\n") + "\n" + fence + "\n\n"
}

func longestRun(s string, c rune) int {
	best, n := 0, 0
	for _, r := range s {
		if r == c {
			n++
			if n > best {
				best = n
			}
		} else {
			n = 0
		}
	}
	return best
}

// cut shortens s to max bytes on a rune boundary, marking the cut.
func cut(s string, max int) string {
	if len(s) <= max {
		return s
	}
	i := max
	for i > 0 && !utf8RuneStart(s[i]) {
		i--
	}
	return s[:i] + "\n[… cut]"
}

func utf8RuneStart(b byte) bool { return b&0xC0 != 0x80 }

func orDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "—"
	}
	return s
}

// shortID shortens a GUID-like event ID to its first 8 characters.
func shortID(id string) string {
	if r := []rune(id); len(r) > 8 {
		return string(r[:8]) + "…"
	}
	return id
}
