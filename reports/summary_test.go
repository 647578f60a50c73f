package reports_test

import (
	"bytes"
	"fmt"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/reports"
)

// withoutCodeBlocks drops fenced code blocks from Markdown.
func withoutCodeBlocks(md string) string {
	var out []string
	fence := ""
	for _, l := range strings.Split(md, "\n") {
		switch {
		case fence == "" && strings.HasPrefix(l, "```"):
			fence = l[:len(l)-len(strings.TrimLeft(l, "`"))]
		case fence != "" && l == fence:
			fence = ""
		case fence == "":
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

var _ = Describe("summary.md", func() {
	render := func(run reports.Run) string {
		var buf bytes.Buffer
		Expect(reports.WriteSummary(&buf, run)).To(Succeed())
		return buf.String()
	}

	It("starts with the verdict and a totals line", func() {
		md := render(sampleRun())
		Expect(md).To(HavePrefix("## hookcheck conformance: ❌ failed\n"))
		Expect(md).To(ContainSubstring("**12 specs**: 6 passed · 3 failed (2 MUST, 1 SHOULD) · 3 skipped — clauses: 2 pass, 3 fail, 1 not run — 1m30s"))
		Expect(md).To(ContainSubstring("target `https://example.test/Cust12345`"))
	})

	It("tables MUST and SHOULD failures with clause, style and a one-line, escaped message", func() {
		md := render(sampleRun())
		Expect(md).To(ContainSubstring("### MUST failures (2)\n\n| Clause | Style | Spec | Message |\n|---|---|---|---|\n"))
		Expect(md).To(ContainSubstring("| `WH-DLV-004` | rest | Delivery REST posts JSON with the headers | expected Content-Type application/json, got &lt;script&gt;alert(1)&lt;/script&gt; &amp; \"quotes\" |"))
		Expect(md).To(ContainSubstring("| `WH-RTY-002` | rest | Retry retries a 500 after 1s and 4s | expected 3 attempts 1s and 4s apart; got 4 attempts |\n"))
		Expect(md).To(ContainSubstring("### SHOULD failures (1)"))
		Expect(md).To(ContainSubstring("| `WH-STE-001` | rest | State events emits statechanged | no webhook.statechanged event within 5s |"))
		Expect(withoutCodeBlocks(md)).NotTo(ContainSubstring("<script>"), "raw markup only inside code blocks")
		Expect(md).To(ContainSubstring("```text\n" + xss + "\n```"))
	})

	It("lists skip reasons and collapses the details", func() {
		md := render(sampleRun())
		Expect(md).To(ContainSubstring("### Skipped (3)"))
		Expect(md).To(ContainSubstring("| needs --soap-url | 1 |"))
		Expect(md).To(ContainSubstring("| SOAP front end not configured | 1 |"))
		Expect(md).To(ContainSubstring("<details><summary>Failure details (3)</summary>"))
		Expect(md).To(ContainSubstring("```text\nattempts at +0s, +1s, +5s\n```"))
		Expect(md).To(ContainSubstring("#4    +3.0s     event 4b5ce038…    retry 2 → reset"))
		Expect(strings.Count(md, "<details>")).To(Equal(strings.Count(md, "</details>")))
	})

	It("says passed and has no failure sections when nothing failed", func() {
		r := sampleReport()
		r.SpecReports = r.SpecReports[:4]
		md := render(reports.FromGinkgo(r, sampleCatalogue()))
		Expect(md).To(HavePrefix("## hookcheck conformance: ✅ passed"))
		Expect(md).NotTo(ContainSubstring("failures ("))
		Expect(md).NotTo(ContainSubstring("Failure details"))
	})

	It("uses a longer fence when a message holds backticks and escapes table syntax", func() {
		r := sampleReport()
		r.SpecReports = types.SpecReports{failed(spec(nil, "a | b", types.SpecStateFailed, "clause:WH-CRUD-001", "crud", "rest"), "got ```x``` and | pipes")}
		md := render(reports.FromGinkgo(r, nil))
		Expect(md).To(ContainSubstring("````text\ngot ```x``` and | pipes\n````"))
		Expect(md).To(ContainSubstring(`| a \| b | got \` + "`" + `\` + "`"))
	})

	It("stays within a pull-request comment for hundreds of failures", func() {
		r := sampleReport()
		r.SpecReports = nil
		long := strings.Repeat("a long failure message line\n", 100)
		for i := 0; i < 300; i++ {
			sr := failed(spec([]string{"Retry"}, fmt.Sprintf("case %d", i), types.SpecStateFailed, "clause:WH-RTY-002", "retry", "rest"), long)
			r.SpecReports = append(r.SpecReports, withEntry(sr, reports.EvidenceEntry, reports.Evidence{Expected: long, Actual: long, Calls: retryCalls()}))
		}
		md := render(reports.FromGinkgo(r, nil))
		Expect(len(md)).To(BeNumerically("<", 65536))
		Expect(md).To(ContainSubstring("…and 250 more (see report.html)"))
		Expect(md).To(MatchRegexp(`…\d+ more failures cut to fit a comment`))
		Expect(strings.Count(md, "<details>")).To(Equal(strings.Count(md, "</details>")))
	})
})
