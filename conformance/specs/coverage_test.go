package specs

import (
	"bytes"
	"flag"
	"os"
	"slices"
	"strings"
	"testing"

	. "github.com/hookcheck/hookcheck/conformance/framework"
	"github.com/hookcheck/hookcheck/reports"
)

// updateCoverage rewrites COVERAGE.md instead of comparing it.
var updateCoverage = flag.Bool("update", false, "rewrite COVERAGE.md from statements.yaml, the catalogue and the spec tree")

// coverageFile is the generated coverage table; it stays at
// conformance/COVERAGE.md, where the README and the docs point.
const coverageFile = "../COVERAGE.md"

// specsByClause walks the spec tree and returns every clause's spec
// names, sorted.
func specsByClause(t *testing.T) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for _, sr := range previewSpecs(t) {
		id := ClauseOf(sr.Labels())
		name := strings.Join(append(append([]string{}, sr.ContainerHierarchyTexts...), sr.LeafNodeText), " ")
		out[id] = append(out[id], name)
	}
	for id := range out {
		slices.Sort(out[id])
	}
	return out
}

// TestCoverageTable keeps COVERAGE.md generated: it fails when the file
// drifts from statements.yaml, the catalogue and the spec tree, when a
// section 1–8 has no statement, when a statement names an unknown clause
// or none, and when a clause lacks a spec or a statement. Run
// `go generate ./conformance/...` to rewrite it.
func TestCoverageTable(t *testing.T) {
	cat, err := Catalogue()
	if err != nil {
		t.Fatal(err)
	}
	st, err := Statements()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range CheckStatements(st, cat) {
		t.Error(p)
	}
	specs := specsByClause(t)
	for _, c := range cat {
		if len(specs[c.ID]) == 0 {
			t.Errorf("clause %s has no spec, so COVERAGE.md cannot list one", c.ID)
		}
	}
	want := CoverageMarkdown(st, cat, specs)
	if *updateCoverage {
		if err := os.WriteFile(coverageFile, want, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	got, err := os.ReadFile(coverageFile)
	if err != nil {
		t.Fatalf("%v: run `go generate ./conformance/...`", err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s is stale: run `go generate ./conformance/...`", coverageFile)
	}
}

// TestCheckStatementsFindsGaps proves the checks of TestCoverageTable can
// fail: a missing section, an unknown clause, a clause in no statement and
// a statement without clause or reason are each reported.
func TestCheckStatementsFindsGaps(t *testing.T) {
	cat := reports.Catalogue{{ID: "WH-X-001"}, {ID: "WH-X-002"}}
	st := []Statement{
		{Section: "1.1", Text: "a", Clauses: []string{"WH-X-001", "WH-X-999"}},
		{Section: "1.2", Text: "b"},
		{Section: "9", Text: "c", NotTested: "out of scope"},
	}
	problems := strings.Join(CheckStatements(st, cat), "\n")
	for _, want := range []string{
		"clause WH-X-999 is not in the catalogue",
		"clause WH-X-002 is named by no statement",
		"names no clause and gives no reason",
		"not a section of 1–8",
		"section §8 has no statement",
	} {
		if !strings.Contains(problems, want) {
			t.Errorf("CheckStatements missed %q; it reported:\n%s", want, problems)
		}
	}
	if strings.Contains(problems, "section §1.1 has no statement") {
		t.Errorf("CheckStatements reports a section that has a statement:\n%s", problems)
	}
}
