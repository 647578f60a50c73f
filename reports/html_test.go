package reports_test

import (
	"bytes"
	"fmt"
	"html"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/reports"
)

// renderHTML renders report.html to a string.
func renderHTML(run reports.Run) string {
	var buf bytes.Buffer
	Expect(reports.WriteHTML(&buf, run)).To(Succeed())
	return buf.String()
}

var (
	matrixRowRE  = regexp.MustCompile(`(?s)<tr class="clause" id="clause-([^"]+)" data-status="([^"]+)"[^>]*>(.*?)</tr>`)
	matrixCellRE = regexp.MustCompile(`<td class="cell (\w+)" data-status="([^"]+)" title="([^"]*)">(?:<a href="#([^"]+)">)?([^<]+)`)
)

// matrixCell is one parsed cell of the matrix.
type matrixCell struct{ Class, Status, Title, Anchor, Text string }

// parseMatrix returns clause ID → overall status and cells in column order.
func parseMatrix(page string) (map[string]string, map[string][]matrixCell, []string) {
	overall := map[string]string{}
	cells := map[string][]matrixCell{}
	var order []string
	for _, m := range matrixRowRE.FindAllStringSubmatch(page, -1) {
		order = append(order, m[1])
		overall[m[1]] = m[2]
		for _, c := range matrixCellRE.FindAllStringSubmatch(m[3], -1) {
			cells[m[1]] = append(cells[m[1]], matrixCell{Class: c[1], Status: c[2], Title: c[3], Anchor: c[4], Text: c[5]})
		}
	}
	return overall, cells, order
}

func statuses(cs []matrixCell) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Status+"/"+c.Class+"/"+c.Text)
	}
	return out
}

var _ = Describe("report.html", func() {
	var page string
	BeforeEach(func() { page = renderHTML(sampleRun()) })

	It("has a header with the verdict and totals", func() {
		Expect(page).To(HavePrefix("<!DOCTYPE html>"))
		Expect(page).To(ContainSubstring(`<span id="verdict" class="fail">FAILED</span>`))
		Expect(page).To(MatchRegexp(`<button type="button" class="badge all" data-filter="all"[^>]*>12 specs</button>`))
		Expect(page).To(MatchRegexp(`<button type="button" class="badge fail" data-filter="fail"[^>]*>3 failed \(2 MUST, 1 SHOULD\)</button>`))
		Expect(page).To(MatchRegexp(`<button type="button" class="badge pass" data-filter="pass"[^>]*>2 pass</button>`))
		Expect(page).To(MatchRegexp(`<button type="button" class="badge na" data-filter="notrun"[^>]*>1 not run</button>`))
		Expect(page).To(ContainSubstring(`<code>https://example.test/Cust12345</code>`))
	})

	It("puts the failures before the clause table", func() {
		failures := strings.Index(page, `<h2 id="failures">`)
		matrix := strings.Index(page, `<h2 id="matrix-heading">`)
		Expect(failures).To(BeNumerically(">", 0))
		Expect(matrix).To(BeNumerically(">", failures))
		Expect(strings.Index(page, `<section class="failure"`)).To(BeNumerically("<", matrix))
		Expect(page).To(ContainSubstring(`<input type="checkbox" id="show-all"> show all 6 clauses`))
	})

	It("tags every clause row with what the badges filter on", func() {
		rows := regexp.MustCompile(`<tr class="clause" id="clause-([^"]+)" data-status="[^"]+" data-filter="([^"]+)"`).FindAllStringSubmatch(page, -1)
		got := map[string]string{}
		for _, m := range rows {
			got[m[1]] = m[2]
		}
		Expect(got).To(Equal(map[string]string{
			"WH-CRUD-001": "pass", "WH-DLV-004": "fail", "WH-RTY-002": "fail",
			"WH-STE-001": "fail", "WH-ONL-001": "notrun", "WH-XXX-999": "pass",
		}))
	})

	It("folds the profile options and keeps the key ones in the header", func() {
		run := sampleRun()
		run.Options = map[string]string{"time-scale": "0.1", "retry-delays": "1s,4s", "label-filter": "retry", "online": "false"}
		p := renderHTML(run)
		Expect(p).To(MatchRegexp(`<details id="options"><summary>Profile and settings \(4 options`))
		Expect(p).To(ContainSubstring(`<tr><th scope="row">retry-delays</th><td><code>1s,4s</code></td></tr>`))
		Expect(p).To(ContainSubstring(`<span>time-scale <code>0.1</code></span>`))
		Expect(p).To(ContainSubstring(`<span>label-filter <code>retry</code></span>`))
		Expect(p).NotTo(ContainSubstring(`<span>online`), "the other options are folded")
		Expect(p).To(ContainSubstring("scales them by time-scale 0.1"))
	})

	It("shows a failure's message once, durations in human units, its path relative to the module", func() {
		r := sampleReport()
		msg := "attempt 3 came 200.744198ms after attempt 2; the delay is 400ms (spec 4s × time-scale 0.1):\n" +
			"  #3 12:00:01.250 POST event=x answered=500\n  #4 12:00:01.450 POST event=x answered=500\n" +
			"Expected\n    <time.Duration>: 200760232\nto be >=\n    <time.Duration>: 375000000"
		sr := failed(spec([]string{"retry", "rest"}, "waits the retry delays", types.SpecStateFailed, "clause:WH-RTY-002", "retry", "rest"), msg)
		sr.Failure.Location.FileName = filepath.Join(moduleRoot(), "conformance", "retry.go")
		r.SpecReports = types.SpecReports{withEntry(sr, reports.EvidenceEntry, reports.Evidence{Expected: "attempt 3 400ms after attempt 2", Actual: msg, Calls: retryCalls()})}
		run := reports.FromGinkgo(r, sampleCatalogue())
		Expect(run.Specs[0].Failure.Location).To(Equal("conformance/retry.go:42"))
		p := renderHTML(run)
		section := failureSection(p, "spec-1")
		Expect(html.UnescapeString(section)).To(ContainSubstring(`<p class="headline">attempt 3 came 200.7ms after attempt 2; the delay is 400ms (spec 4s × time-scale 0.1) — expected 200.8ms to be ≥ 375ms</p>`))
		Expect(section).NotTo(ContainSubstring(`<pre class="message">`), "the Actual is the message: shown once")
		Expect(strings.Count(section, "the delay is 400ms")).To(Equal(2), "headline and Actual")
		Expect(section).NotTo(ContainSubstring("200760232"))
		Expect(section).To(ContainSubstring("at <code>conformance/retry.go:42</code>"))
	})

	It("has a matrix cell with colour class and text for every clause × style", func() {
		overall, cells, order := parseMatrix(page)
		Expect(order).To(Equal([]string{"WH-CRUD-001", "WH-DLV-004", "WH-RTY-002", "WH-STE-001", "WH-ONL-001", "WH-XXX-999"}))
		Expect(page).To(MatchRegexp(`<th>rest</th><th>agents</th><th>soap</th>`))
		Expect(overall).To(Equal(map[string]string{
			"WH-CRUD-001": "pass", "WH-DLV-004": "fail", "WH-RTY-002": "fail",
			"WH-STE-001": "fail", "WH-ONL-001": "skip", "WH-XXX-999": "pass",
		}))
		Expect(statuses(cells["WH-CRUD-001"])).To(Equal([]string{"pass/pass/pass", "pass/pass/pass", "pass/pass/pass"}))
		Expect(statuses(cells["WH-DLV-004"])).To(Equal([]string{"fail/fail/FAIL", "pass/pass/pass", "skip/skip/skip"}))
		Expect(statuses(cells["WH-STE-001"])).To(Equal([]string{"fail/fail/FAIL", "n/a/na/n/a", "n/a/na/n/a"}))
		Expect(statuses(cells["WH-XXX-999"])).To(Equal([]string{"pass/pass/pass", "n/a/na/n/a", "pass/pass/pass"}))
		Expect(cells["WH-ONL-001"][1].Title).To(Equal(`WH-ONL-001 in agents: no spec ran (needs profile option &#34;online&#34;)`))
		Expect(cells["WH-DLV-004"][0].Title).To(Equal("WH-DLV-004 in rest: 1 spec — 0 passed, 1 failed, 0 skipped"))
	})

	It("links a failed cell to the failure's evidence", func() {
		_, cells, _ := parseMatrix(page)
		anchor := cells["WH-RTY-002"][0].Anchor
		Expect(anchor).NotTo(BeEmpty())
		section := failureSection(page, anchor)
		Expect(section).To(ContainSubstring("[WH-RTY-002] Retry retries a 500 after 1s and 4s"))
	})

	It("shows each failure's message, expected vs actual and location", func() {
		_, cells, _ := parseMatrix(page)
		section := failureSection(page, cells["WH-DLV-004"][0].Anchor)
		Expect(section).To(ContainSubstring(`<pre class="message">expected Content-Type application/json, got &lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;quotes&#34;</pre>`))
		Expect(section).To(ContainSubstring(`<div class="expected"><h4>Expected</h4><pre>Content-Type: application/json</pre></div>`))
		Expect(section).To(ContainSubstring(`<div class="actual"><h4>Actual</h4><pre>Content-Type: &lt;b&gt;text/html&lt;/b&gt;</pre></div>`))
		Expect(section).To(ContainSubstring("at <code>/src/conformance/delivery.go:42</code>"))
	})

	It("escapes everything: the only script element is its own", func() {
		Expect(page).NotTo(ContainSubstring("<script>alert(1)"))
		Expect(page).NotTo(ContainSubstring("<b>text/html"))
		Expect(strings.Count(page, "<script")).To(Equal(1))
	})

	It("draws an SVG timeline of the calls: one lane per event id, a marker per call", func() {
		_, cells, _ := parseMatrix(page)
		section := failureSection(page, cells["WH-RTY-002"][0].Anchor)
		Expect(section).To(ContainSubstring(`<svg class="timeline"`))
		Expect(strings.Count(section, `<g class="lane">`)).To(Equal(2))
		Expect(strings.Count(section, `<g class="marker bad">`)).To(Equal(3))
		Expect(strings.Count(section, `<g class="marker ok">`)).To(Equal(2))
		text := html.UnescapeString(section)
		Expect(text).To(ContainSubstring(`<title>call #4 · +3.0s · event 4b5ce038-0000-4000-8000-000000000001 · retry 2 · fault reset</title>`))
		Expect(section).To(ContainSubstring(`fill="#c62828"/><text class="mk" x="`))
		Expect(section).To(MatchRegexp(`<text class="mk" x="[0-9.]+" y="[0-9.]+">3</text>`), "the retry number is on the marker")
		Expect(text).To(ContainSubstring(`>+5.0s</text>`), "the axis spans the attempts")
		Expect(section).To(ContainSubstring(`5 recorded calls`))

		noCalls := failureSection(page, cells["WH-STE-001"][0].Anchor)
		Expect(noCalls).NotTo(ContainSubstring("<svg"))
	})

	It("needs nothing from the network", func() {
		for _, external := range []string{"src=", "<link", "@import", "url(", `href="http`, "//cdn"} {
			Expect(page).NotTo(ContainSubstring(external))
		}
		Expect(page).To(ContainSubstring("<style>"))
	})

	It("renders a run without failures", func() {
		r := sampleReport()
		r.SpecReports = r.SpecReports[:4]
		p := renderHTML(reports.FromGinkgo(r, sampleCatalogue()))
		Expect(p).To(ContainSubstring(`<span id="verdict" class="pass">passed</span>`))
		Expect(p).To(ContainSubstring(`<p class="pass" id="no-failures">No spec failed.</p>`))
		Expect(p).NotTo(ContainSubstring("<svg"))
		_, cells, order := parseMatrix(p)
		Expect(order).To(HaveLen(5))
		Expect(statuses(cells["WH-DLV-004"])).To(Equal([]string{"n/a/na/n/a", "n/a/na/n/a", "n/a/na/n/a"}))
	})

	It("renders an empty run without a catalogue", func() {
		p := renderHTML(reports.FromGinkgo(types.Report{}, nil))
		Expect(p).To(ContainSubstring("No clauses: the run had no labelled specs"))
		Expect(p).To(ContainSubstring("</html>"))
	})

	It("renders 100+ specs and clauses, escaping hostile event ids and texts", func() {
		r := types.Report{SuiteDescription: `<i>suite</i>`, StartTime: t0, RunTime: time.Minute}
		var cat reports.Catalogue
		for i := 0; i < 60; i++ {
			id := fmt.Sprintf("WH-GEN-%03d", i)
			cat = append(cat, reports.Clause{ID: id, Title: fmt.Sprintf("Title %d <em>x</em>", i), Level: "MUST", Area: "delivery"})
			for _, style := range reports.Styles {
				state := types.SpecStatePassed
				sr := spec([]string{"Gen"}, "case "+id, state, "clause:"+id, "delivery", style)
				if i%7 == 0 && style == "soap" {
					sr.State = types.SpecStateFailed
					sr = failed(sr, "bad")
					sr = withEntry(sr, reports.EvidenceEntry, reports.Evidence{Expected: "x", Actual: "y", Calls: []reports.CallPoint{
						{Seq: 1, At: t0, EventID: `"><script>alert(2)</script>`, Status: 500},
						{Seq: 2, At: t0.Add(time.Second), EventID: `"><script>alert(2)</script>`, Retry: 1, Status: 204},
					}})
				}
				r.SpecReports = append(r.SpecReports, sr)
			}
		}
		run := reports.FromGinkgo(r, cat)
		Expect(run.Specs).To(HaveLen(180))
		p := renderHTML(run)
		_, cells, order := parseMatrix(p)
		Expect(order).To(HaveLen(60))
		for _, id := range order {
			Expect(cells[id]).To(HaveLen(3), id)
		}
		Expect(statuses(cells["WH-GEN-007"])).To(Equal([]string{"pass/pass/pass", "pass/pass/pass", "fail/fail/FAIL"}))
		Expect(strings.Count(p, `<svg class="timeline"`)).To(Equal(9))
		Expect(strings.Count(p, "<script")).To(Equal(1))
		Expect(p).NotTo(ContainSubstring("<em>x"))
		Expect(p).NotTo(ContainSubstring("<i>suite"))
		Expect(len(p)).To(BeNumerically("<", 1<<20))
	})
})

// failureSection returns the failure section with the given anchor.
func failureSection(page, anchor string) string {
	start := strings.Index(page, `<section class="failure" id="`+anchor+`">`)
	Expect(start).To(BeNumerically(">=", 0), "no failure section "+anchor)
	end := strings.Index(page[start:], "</section>")
	Expect(end).To(BeNumerically(">", 0))
	return page[start : start+end]
}
