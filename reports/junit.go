package reports

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"time"
)

// JUnitTestSuites is the root element of junit.xml, in the common
// Jenkins/Surefire dialect that GitLab, Jenkins and GitHub test reporters
// read. Its field types are exported so tests and tools can decode the file.
type JUnitTestSuites struct {
	XMLName   xml.Name         `xml:"testsuites"`
	Name      string           `xml:"name,attr"`
	Tests     int              `xml:"tests,attr"`
	Failures  int              `xml:"failures,attr"`
	Errors    int              `xml:"errors,attr"`
	Skipped   int              `xml:"skipped,attr"`
	Time      string           `xml:"time,attr"`
	Timestamp string           `xml:"timestamp,attr,omitempty"`
	Suites    []JUnitTestSuite `xml:"testsuite"`
}

// JUnitTestSuite groups the test cases of one spec area.
type JUnitTestSuite struct {
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Time       string          `xml:"time,attr"`
	Timestamp  string          `xml:"timestamp,attr,omitempty"`
	Properties []JUnitProperty `xml:"properties>property,omitempty"`
	Cases      []JUnitTestCase `xml:"testcase"`
}

// JUnitTestCase is one spec.
type JUnitTestCase struct {
	Name       string          `xml:"name,attr"`
	Classname  string          `xml:"classname,attr"`
	Time       string          `xml:"time,attr"`
	Properties []JUnitProperty `xml:"properties>property,omitempty"`
	Failure    *JUnitProblem   `xml:"failure,omitempty"`
	Error      *JUnitProblem   `xml:"error,omitempty"`
	Skipped    *JUnitSkipped   `xml:"skipped,omitempty"`
	SystemOut  string          `xml:"system-out,omitempty"`
}

// JUnitProperty is a name/value pair.
type JUnitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

// JUnitProblem is a failure or error: a one-line message and the full text.
type JUnitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

// JUnitSkipped marks a skipped test case.
type JUnitSkipped struct {
	Message string `xml:"message,attr"`
}

// WriteJUnit writes the run as JUnit XML: one testsuite per area (in the
// order of Areas, others after), one testcase per spec with classname
// "area.style" and the clause ID in its name. Failed and timed-out specs are
// failures; panicked and aborted ones are errors; interrupted and not-run
// ones are skipped with their state in the message and a "state"
// property. A run that did not start is one test case in error.
func WriteJUnit(w io.Writer, run Run) error {
	doc := JUnitTestSuites{
		Name:      suiteName(run),
		Time:      seconds(run.Duration),
		Timestamp: timestamp(run.StartedAt),
	}
	index := map[string]int{}
	for _, area := range orderedAreas(run.Specs) {
		index[area] = len(doc.Suites)
		ts := JUnitTestSuite{Name: area, Timestamp: timestamp(run.StartedAt)}
		if run.Target != "" {
			ts.Properties = append(ts.Properties, JUnitProperty{Name: "target", Value: run.Target})
		}
		doc.Suites = append(doc.Suites, ts)
	}
	if run.NotStarted != "" {
		doc.Suites = append(doc.Suites, notStartedSuite(run))
	}
	var suiteTime = map[string]time.Duration{}
	for _, s := range run.Specs {
		ts := &doc.Suites[index[s.Area]]
		tc := JUnitTestCase{
			Name:      specTitle(s),
			Classname: s.Area + "." + s.Style,
			Time:      seconds(s.Duration),
			Properties: []JUnitProperty{
				{Name: "id", Value: s.ID},
				{Name: "clause", Value: s.Clause},
				{Name: "level", Value: s.Level},
				{Name: "style", Value: s.Style},
			},
		}
		switch {
		case s.State.Failed():
			p := &JUnitProblem{Message: oneLine(failureMessage(s), 300), Type: string(s.State), Text: failureText(s)}
			if s.State == StateFailed || s.State == StateTimedout {
				tc.Failure = p
				ts.Failures++
			} else {
				tc.Error = p
				ts.Errors++
			}
			tc.SystemOut = s.Output
		case s.State.CutShort():
			tc.Skipped = &JUnitSkipped{Message: string(s.State) + ": " + s.SkipReason}
			tc.Properties = append(tc.Properties, JUnitProperty{Name: "state", Value: string(s.State)})
			ts.Skipped++
		case s.State.NotRun():
			tc.Skipped = &JUnitSkipped{Message: s.SkipReason}
			ts.Skipped++
		}
		ts.Tests++
		suiteTime[s.Area] += s.Duration
		ts.Cases = append(ts.Cases, tc)
	}
	for i := range doc.Suites {
		ts := &doc.Suites[i]
		ts.Time = seconds(suiteTime[ts.Name])
		doc.Tests += ts.Tests
		doc.Failures += ts.Failures
		doc.Errors += ts.Errors
		doc.Skipped += ts.Skipped
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return fmt.Errorf("reports: write junit.xml: %w", err)
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("reports: write junit.xml: %w", err)
	}
	if _, err := io.WriteString(w, "\n"); err != nil {
		return fmt.Errorf("reports: write junit.xml: %w", err)
	}
	return nil
}

// notStartedArea is the test suite of the one test case of a run that did
// not start.
const notStartedArea = "hookcheck"

// notStartedSuite is the JUnit suite of a run that did not start: one
// test case in error whose message is the reason, so a CI job's test
// report shows why.
func notStartedSuite(run Run) JUnitTestSuite {
	return JUnitTestSuite{Name: notStartedArea, Tests: 1, Errors: 1, Time: seconds(0), Timestamp: timestamp(run.StartedAt),
		Cases: []JUnitTestCase{{
			Name: "the run did not start", Classname: notStartedArea + ".run", Time: seconds(0),
			Error: &JUnitProblem{Message: oneLine(run.NotStarted, 300), Type: "not started", Text: run.NotStarted},
		}}}
}

// failureText is the full text of a failure: message, location, panic,
// evidence.
func failureText(s Spec) string {
	var b strings.Builder
	if s.Failure != nil {
		b.WriteString(s.Failure.Message)
		if s.Failure.Location != "" {
			fmt.Fprintf(&b, "\n\nat %s", s.Failure.Location)
		}
		if s.Failure.Panic != "" {
			fmt.Fprintf(&b, "\n\npanic: %s", s.Failure.Panic)
		}
	}
	for _, ev := range s.Evidence {
		fmt.Fprintf(&b, "\n\n%s", ev.String())
	}
	return strings.TrimSpace(b.String())
}

func suiteName(run Run) string {
	if run.Suite != "" {
		return run.Suite
	}
	return "hookcheck"
}

func seconds(d time.Duration) string {
	return fmt.Sprintf("%.3f", d.Seconds())
}

func timestamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02T15:04:05")
}
