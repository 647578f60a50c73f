package reports

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io"
	"time"
)

//go:embed templates/report.html.tmpl templates/timeline.html.tmpl
var templateFS embed.FS

// htmlTemplate is parsed once; html/template escapes every value by context
// (text, attribute, URL, SVG), so spec texts and messages cannot inject
// markup.
var htmlTemplate = template.Must(template.New("report.html.tmpl").Funcs(template.FuncMap{
	"dur":         func(d time.Duration) string { return humanDuration(d) },
	"statusClass": statusClass,
	"add":         func(a, b float64) float64 { return a + b },
	"plural":      plural,
}).ParseFS(templateFS, "templates/report.html.tmpl", "templates/timeline.html.tmpl"))

// WriteHTML writes report.html: one self-contained page (inline CSS and a
// few lines of inline JavaScript, no external assets) with the totals, the
// clause × API-style matrix, every failure's evidence with a timeline of the
// recorded calls, the skipped specs and all specs by area.
func WriteHTML(w io.Writer, run Run) error {
	var buf bytes.Buffer
	if err := htmlTemplate.Execute(&buf, buildHTMLView(run)); err != nil {
		return fmt.Errorf("reports: render report.html: %w", err)
	}
	if _, err := buf.WriteTo(w); err != nil {
		return fmt.Errorf("reports: write report.html: %w", err)
	}
	return nil
}

// TimelineStyle returns the CSS rules of the timeline TimelineSVG draws,
// for a page of its own (hookcheck reproduce) to put in its <style>.
func TimelineStyle() (template.CSS, error) {
	var buf bytes.Buffer
	if err := htmlTemplate.ExecuteTemplate(&buf, "timeline-style", nil); err != nil {
		return "", fmt.Errorf("reports: render the timeline style: %w", err)
	}
	return template.CSS(buf.String()), nil //nolint:gosec // our own template's constant rules
}

// TimelineSVG draws calls as report.html draws a failure's calls: an
// inline SVG with one lane per event id, x the time since the first
// call, a red or green marker per call carrying its retry number, and
// its legend. It answers "" for no calls. Every value is escaped.
func TimelineSVG(calls []CallPoint) (template.HTML, error) {
	tl := layoutTimeline(calls)
	if tl == nil {
		return "", nil
	}
	var buf bytes.Buffer
	if err := htmlTemplate.ExecuteTemplate(&buf, "timeline", tl); err != nil {
		return "", fmt.Errorf("reports: render the timeline: %w", err)
	}
	return template.HTML(buf.String()), nil //nolint:gosec // rendered by html/template, escaped
}
