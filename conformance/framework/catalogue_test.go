package framework

import (
	"bytes"
	"flag"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/hookcheck/hookcheck/reports"
)

// TestEmbeddedCatalogueMatchesFixture keeps conformance/framework/clauses.yaml a
// copy of fixtures/clauses.yaml.
func TestEmbeddedCatalogueMatchesFixture(t *testing.T) {
	fixture, err := os.ReadFile("../../fixtures/clauses.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(fixture, clausesYAML) {
		t.Fatal("conformance/framework/clauses.yaml differs from fixtures/clauses.yaml: run `go generate ./conformance/...`")
	}
	cat, err := Catalogue()
	if err != nil {
		t.Fatal(err)
	}
	if len(cat) < 60 {
		t.Errorf("the catalogue holds %d clauses; the spec has well over 60 testable requirements", len(cat))
	}
	flags := flag.NewFlagSet("profile", flag.ContinueOnError)
	p := DefaultProfile()
	p.RegisterFlags(flags)
	for _, c := range cat {
		if !slices.Contains(reports.Areas, c.Area) {
			t.Errorf("clause %s: area %q is not one of %v", c.ID, c.Area, reports.Areas)
		}
		if c.Option != "" && flags.Lookup(c.Option) == nil {
			t.Errorf("clause %s: option %q is not a profile flag", c.ID, c.Option)
		}
		if !strings.HasPrefix(c.ID, "WH-") {
			t.Errorf("clause %s: ids start with WH-", c.ID)
		}
		if !strings.Contains(c.Title, c.Level) {
			t.Errorf("clause %s: the title does not say %s: %q", c.ID, c.Level, c.Title)
		}
		if !strings.Contains(c.Ref, "§") {
			t.Errorf("clause %s: ref %q names no spec section", c.ID, c.Ref)
		}
	}
}

// TestExpectedFailuresExampleParses keeps the example expected-failures
// fixture valid and its clause ids in the catalogue.
func TestExpectedFailuresExampleParses(t *testing.T) {
	ef, err := reports.LoadExpectedFailures("../../fixtures/expected-failures.example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cat, err := Catalogue()
	if err != nil {
		t.Fatal(err)
	}
	if len(ef) == 0 {
		t.Fatal("the example lists no entry")
	}
	for _, e := range ef {
		id := e.ID
		if parts := strings.Split(id, "/"); len(parts) == 4 {
			id = parts[1]
		}
		if _, ok := cat.Lookup(id); !ok {
			t.Errorf("example entry %q names no catalogue clause", e.ID)
		}
	}
}
