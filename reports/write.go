package reports

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Format is one output of a run.
type Format string

// Output formats and the file each is written to.
const (
	FormatJSON  Format = "json"  // report.json
	FormatJUnit Format = "junit" // junit.xml
	FormatMD    Format = "md"    // summary.md
	FormatHTML  Format = "html"  // report.html
)

// AllFormats lists every format in the order WriteAll writes them.
var AllFormats = []Format{FormatJSON, FormatJUnit, FormatMD, FormatHTML}

// FileName is the file a format is written to.
func (f Format) FileName() string {
	switch f {
	case FormatJSON:
		return "report.json"
	case FormatJUnit:
		return "junit.xml"
	case FormatMD:
		return "summary.md"
	case FormatHTML:
		return "report.html"
	}
	return ""
}

// Write renders the run in this format to w.
func (f Format) Write(w io.Writer, run Run) error {
	switch f {
	case FormatJSON:
		return WriteJSON(w, run)
	case FormatJUnit:
		return WriteJUnit(w, run)
	case FormatMD:
		return WriteSummary(w, run)
	case FormatHTML:
		return WriteHTML(w, run)
	}
	return fmt.Errorf("reports: unknown format %q", string(f))
}

// ParseFormats parses a comma-separated list such as "html,md"; "all" (or
// an empty list) means every format. "markdown", "xml" and "htm" are
// accepted as spellings.
func ParseFormats(list string) ([]Format, error) {
	var out []Format
	for _, p := range strings.Split(list, ",") {
		p = strings.ToLower(strings.TrimSpace(p))
		var f Format
		switch p {
		case "":
			continue
		case "all":
			return append([]Format{}, AllFormats...), nil
		case "json":
			f = FormatJSON
		case "junit", "xml":
			f = FormatJUnit
		case "md", "markdown":
			f = FormatMD
		case "html", "htm":
			f = FormatHTML
		default:
			return nil, fmt.Errorf("unknown format %q (want json, junit, md or html)", p)
		}
		if !containsFormat(out, f) {
			out = append(out, f)
		}
	}
	if len(out) == 0 {
		return append([]Format{}, AllFormats...), nil
	}
	return out, nil
}

func containsFormat(fs []Format, f Format) bool {
	for _, x := range fs {
		if x == f {
			return true
		}
	}
	return false
}

// WriteAll writes report.json, junit.xml, summary.md and report.html into
// dir, creating it.
func WriteAll(dir string, run Run) error {
	_, err := WriteFormats(dir, run, AllFormats)
	return err
}

// WriteFormats writes the given formats into dir, creating it, and returns
// the paths written. Each file is rendered in memory first and then
// replaced in one rename, so a reader never sees half a report.
func WriteFormats(dir string, run Run, formats []Format) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("reports: create report directory: %w", err)
	}
	var paths []string
	for _, f := range formats {
		var buf bytes.Buffer
		if err := f.Write(&buf, run); err != nil {
			return paths, err
		}
		path := filepath.Join(dir, f.FileName())
		if err := writeFileAtomic(path, buf.Bytes()); err != nil {
			return paths, err
		}
		paths = append(paths, path)
	}
	return paths, nil
}

// writeFileAtomic writes data to a temporary file next to path and renames
// it into place.
func writeFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("reports: write %s: %w", path, err)
	}
	name := tmp.Name()
	_, werr := tmp.Write(data)
	cerr := tmp.Close()
	if werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Chmod(name, 0o644)
	}
	if werr == nil {
		werr = os.Rename(name, path)
	}
	if werr != nil {
		_ = os.Remove(name)
		return fmt.Errorf("reports: write %s: %w", path, werr)
	}
	return nil
}

// CheckWritable checks, before a run, that its reports can be written:
// it creates dir, writes and removes a probe file there (as
// WriteFormats writes each report, through a temporary file and a
// rename), and refuses a report path that exists as anything but a
// regular file (a directory of that name, say). The error names the path.
func CheckWritable(dir string, formats []Format) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("cannot create the report directory: %w", err)
	}
	probe, err := os.CreateTemp(dir, ".hookcheck-probe-*")
	if err != nil {
		return fmt.Errorf("cannot write in the report directory %s: %w", dir, err)
	}
	name := probe.Name()
	_, werr := probe.Write([]byte("hookcheck checks that its reports can be written here\n"))
	if cerr := probe.Close(); werr == nil {
		werr = cerr
	}
	if rerr := os.Remove(name); werr == nil {
		werr = rerr
	}
	if werr != nil {
		return fmt.Errorf("cannot write in the report directory %s: %w", dir, werr)
	}
	for _, f := range formats {
		path := filepath.Join(dir, f.FileName())
		st, err := os.Lstat(path)
		switch {
		case errors.Is(err, fs.ErrNotExist):
		case err != nil:
			return fmt.Errorf("cannot write %s: %w", path, err)
		case st.IsDir():
			return fmt.Errorf("cannot write %s: a directory of that name is in the way", path)
		case !st.Mode().IsRegular() && st.Mode()&fs.ModeSymlink == 0:
			return fmt.Errorf("cannot write %s: it exists and is not a regular file (%s)", path, st.Mode().Type())
		}
	}
	return nil
}

// NotStartedRun is the report of a run that did not start: no spec, and
// why in NotStarted, so report.json, junit.xml (one test case in error)
// and summary.md say it.
func NotStartedRun(reason string, startedAt time.Time) Run {
	return Run{Schema: SchemaVersion, Suite: "hookcheck conformance", StartedAt: startedAt, NotStarted: reason,
		Styles: []string{}, Specs: []Spec{}, Clauses: []ClauseResult{}}
}
