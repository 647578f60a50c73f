package reproduce

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"os"
	"path/filepath"

	"github.com/hookcheck/hookcheck/reports"
)

//go:embed templates/reproduce.html.tmpl
var templateFS embed.FS

// page is parsed once; html/template escapes every value by context.
var page = template.Must(template.ParseFS(templateFS, "templates/reproduce.html.tmpl"))

// pageView is what the page renders.
type pageView struct {
	R        *Result
	Style    template.CSS
	Timeline template.HTML
}

// WriteJSON writes res as indented JSON.
func WriteJSON(w io.Writer, res *Result) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(res); err != nil {
		return fmt.Errorf("reproduce: write JSON: %w", err)
	}
	return nil
}

// WriteHTML writes res as one self-contained page: the verdict, the
// attempts drawn as the conformance report draws them (one lane per
// EventId), every step with its time and the hook's State, and what was
// left behind.
func WriteHTML(w io.Writer, res *Result) error {
	var points []reports.CallPoint
	for _, a := range res.Attempts() {
		points = append(points, a.point())
	}
	tl, err := reports.TimelineSVG(points)
	if err != nil {
		return err
	}
	style, err := reports.TimelineStyle()
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := page.Execute(&buf, pageView{R: res, Style: style, Timeline: tl}); err != nil {
		return fmt.Errorf("reproduce: render the page: %w", err)
	}
	if _, err := buf.WriteTo(w); err != nil {
		return fmt.Errorf("reproduce: write the page: %w", err)
	}
	return nil
}

// WriteFiles writes SCENARIO.json and SCENARIO.html into dir (made when
// missing) and returns their paths.
func WriteFiles(dir string, res *Result) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("reproduce: %w", err)
	}
	var files []string
	for _, f := range []struct {
		ext   string
		write func(io.Writer, *Result) error
	}{{".json", WriteJSON}, {".html", WriteHTML}} {
		path := filepath.Join(dir, res.Scenario+f.ext)
		var buf bytes.Buffer
		if err := f.write(&buf, res); err != nil {
			return files, err
		}
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			return files, fmt.Errorf("reproduce: %w", err)
		}
		files = append(files, path)
	}
	return files, nil
}
