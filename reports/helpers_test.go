package reports_test

import (
	"os"
	"path/filepath"
	"time"

	. "github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/reports"
)

// t0 is the start of the sample run.
var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// xss is a failure message that must come out escaped everywhere.
const xss = `expected Content-Type application/json, got <script>alert(1)</script> & "quotes"`

// sampleCatalogue loads testdata/clauses.yaml.
func sampleCatalogue() reports.Catalogue {
	cat, err := reports.LoadCatalogue(filepath.Join("testdata", "clauses.yaml"))
	Expect(err).NotTo(HaveOccurred())
	return cat
}

// spec builds one It spec report.
func spec(containers []string, leaf string, state types.SpecState, labels ...string) types.SpecReport {
	return types.SpecReport{
		ContainerHierarchyTexts:  containers,
		ContainerHierarchyLabels: [][]string{{}},
		LeafNodeType:             types.NodeTypeIt,
		LeafNodeText:             leaf,
		LeafNodeLabels:           labels,
		State:                    state,
		StartTime:                t0,
		EndTime:                  t0.Add(150 * time.Millisecond),
		RunTime:                  150 * time.Millisecond,
	}
}

func failed(sr types.SpecReport, msg string) types.SpecReport {
	sr.Failure = types.Failure{Message: msg, Location: types.CodeLocation{FileName: "/src/conformance/delivery.go", LineNumber: 42}}
	return sr
}

func withEntry(sr types.SpecReport, name string, value any) types.SpecReport {
	sr.ReportEntries = append(sr.ReportEntries, types.ReportEntry{Name: name, Value: types.WrapEntryValue(value), Time: t0})
	return sr
}

// retryCalls are four attempts of one event (two failures, a reset, a
// success) and one first-time success of another event.
func retryCalls() []reports.CallPoint {
	return []reports.CallPoint{
		{Seq: 1, At: t0, EventID: "4b5ce038-0000-4000-8000-000000000001", Retry: 0, Status: 500},
		{Seq: 2, At: t0.Add(1 * time.Second), EventID: "4b5ce038-0000-4000-8000-000000000001", Retry: 1, Status: 500},
		{Seq: 3, At: t0.Add(1500 * time.Millisecond), EventID: "9f00aa11-0000-4000-8000-000000000002", Retry: 0, Status: 200},
		{Seq: 4, At: t0.Add(3 * time.Second), EventID: "4b5ce038-0000-4000-8000-000000000001", Retry: 2, Fault: "reset"},
		{Seq: 5, At: t0.Add(5 * time.Second), EventID: "4b5ce038-0000-4000-8000-000000000001", Retry: 3, Status: 200},
	}
}

// sampleReport is a suite report with passes, MUST and SHOULD failures with
// and without evidence, skips with and without a reason, a pending spec, a
// spec of a clause the catalogue lacks and a suite-level node.
func sampleReport() types.Report {
	dlv := []string{"Delivery", "REST"}
	specs := types.SpecReports{
		{LeafNodeType: types.NodeTypeBeforeSuite, State: types.SpecStatePassed, RunTime: time.Second},
		spec([]string{"CRUD"}, "creates a webhook", types.SpecStatePassed, "clause:WH-CRUD-001", "level:MUST", "crud", "rest"),
		spec([]string{"CRUD"}, "creates a webhook", types.SpecStatePassed, "clause:WH-CRUD-001", "level:MUST", "crud", "agents"),
		spec([]string{"CRUD"}, "creates a webhook", types.SpecStatePassed, "clause:WH-CRUD-001", "level:MUST", "crud", "soap"),
		withEntry(failed(spec(dlv, "posts JSON with the headers", types.SpecStateFailed, "clause:WH-DLV-004", "level:MUST", "delivery", "rest"), xss),
			reports.EvidenceEntry, reports.Evidence{Expected: "Content-Type: application/json", Actual: "Content-Type: <b>text/html</b>", Calls: retryCalls()[:1]}),
		spec([]string{"Delivery", "Agents"}, "posts JSON with the headers", types.SpecStatePassed, "clause:WH-DLV-004", "level:MUST", "delivery", "agents"),
		withEntry(spec([]string{"Delivery", "SOAP"}, "posts JSON with the headers", types.SpecStateSkipped, "clause:WH-DLV-004", "level:MUST", "delivery", "soap"),
			reports.SkipReasonEntry, "needs --soap-url"),
		withEntry(failed(spec([]string{"Retry"}, "retries a 500 after 1s and 4s", types.SpecStateFailed, "clause:WH-RTY-002", "level:MUST", "retry", "rest"), "expected 3 attempts 1s and 4s apart\ngot 4 attempts"),
			reports.EvidenceEntry, reports.Evidence{Expected: "attempts at +0s, +1s, +5s", Actual: "attempts at +0s, +1s, +3s, +5s", Calls: retryCalls()}),
		spec([]string{"Retry"}, "retries a 500 after 1s and 4s", types.SpecStatePassed, "clause:WH-RTY-002", "level:MUST", "retry", "agents"),
		failed(spec([]string{"State events"}, "emits statechanged", types.SpecStateFailed, "clause:WH-STE-001", "level:SHOULD", "state-events", "rest"), "no webhook.statechanged event within 5s"),
		spec([]string{"Parity"}, "agrees across styles", types.SpecStatePassed, "clause:WH-XXX-999", "parity", "rest", "soap"),
		spec([]string{"Security"}, "isolates app tokens", types.SpecStatePending, "clause:WH-ONL-001", "security", "rest"),
	}
	specs[len(specs)-1].Failure = types.Failure{}
	// A plain Skip("...") without a skip-reason entry.
	sk := spec([]string{"Retry"}, "retries a 500 after 1s and 4s", types.SpecStateSkipped, "clause:WH-RTY-002", "level:MUST", "retry", "soap")
	sk.Failure = types.Failure{Message: "SOAP front end not configured"}
	specs = append(specs, sk)
	return types.Report{
		SuiteDescription: "hookcheck conformance",
		StartTime:        t0,
		EndTime:          t0.Add(90 * time.Second),
		RunTime:          90 * time.Second,
		SpecReports:      specs,
	}
}

// sampleRun converts sampleReport with sampleCatalogue.
func sampleRun() reports.Run {
	run := reports.FromGinkgo(sampleReport(), sampleCatalogue())
	run.Target = "https://example.test/Cust12345"
	return run
}

// specByID finds a spec of the run.
func specByID(run reports.Run, id string) reports.Spec {
	for _, s := range run.Specs {
		if s.ID == id {
			return s
		}
	}
	Fail("no spec " + id)
	return reports.Spec{}
}

// clauseByID finds a clause result of the run.
func clauseByID(run reports.Run, id string) reports.ClauseResult {
	for _, c := range run.Clauses {
		if c.ID == id {
			return c
		}
	}
	Fail("no clause " + id)
	return reports.ClauseResult{}
}

// moduleRoot is the directory of go.mod above the test's directory.
func moduleRoot() string {
	dir, err := os.Getwd()
	Expect(err).NotTo(HaveOccurred())
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		Expect(parent).NotTo(Equal(dir), "no go.mod above the test directory")
		dir = parent
	}
}
