package reports

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io"
	"time"
)

//go:embed templates/report.html.tmpl
var templateFS embed.FS

// htmlTemplate is parsed once; html/template escapes every value by context
// (text, attribute, URL, SVG), so spec texts and messages cannot inject
// markup.
var htmlTemplate = template.Must(template.New("report.html.tmpl").Funcs(template.FuncMap{
	"dur":         func(d time.Duration) string { return humanDuration(d) },
	"statusClass": statusClass,
	"add":         func(a, b float64) float64 { return a + b },
	"plural":      plural,
}).ParseFS(templateFS, "templates/report.html.tmpl"))

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
