package reports

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
)

// WriteJSON writes the run as indented JSON (the report.json format) with
// "schema" set to SchemaVersion.
func WriteJSON(w io.Writer, run Run) error {
	run.Schema = SchemaVersion
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(run); err != nil {
		return fmt.Errorf("reports: write report.json: %w", err)
	}
	return nil
}

// ReadRun reads a report.json written by WriteJSON.
func ReadRun(path string) (Run, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Run{}, fmt.Errorf("reports: read run: %w", err)
	}
	run, err := ParseRun(data)
	if err != nil {
		return Run{}, fmt.Errorf("reports: %s: %w", path, err)
	}
	return run, nil
}

// ParseRun decodes a report.json. It refuses a document without a schema
// (a Ginkgo JSON report, for example) or with a schema newer than this
// package knows, and recomputes the totals from the specs and clauses.
func ParseRun(data []byte) (Run, error) {
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) > 0 && trimmed[0] == '[' {
		return Run{}, fmt.Errorf("this is a list, not a hookcheck report.json (a Ginkgo JSON report? convert it with a clause catalogue)")
	}
	var head struct {
		Schema *int `json:"schema"`
	}
	if err := json.Unmarshal(trimmed, &head); err != nil {
		return Run{}, fmt.Errorf("not a hookcheck report.json: %w", err)
	}
	switch {
	case head.Schema == nil:
		return Run{}, fmt.Errorf("not a hookcheck report.json: no \"schema\" field")
	case *head.Schema != SchemaVersion:
		return Run{}, fmt.Errorf("report.json schema %d is not supported (this hookcheck reads schema %d)", *head.Schema, SchemaVersion)
	}
	var run Run
	if err := json.Unmarshal(trimmed, &run); err != nil {
		return Run{}, fmt.Errorf("decode report.json: %w", err)
	}
	run.Totals = Count(run.Specs, run.Clauses)
	return run, nil
}
