package specs

import (
	"slices"
	"strings"
	"testing"

	. "github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"

	"github.com/hookcheck/hookcheck/conformance/driver"
	. "github.com/hookcheck/hookcheck/conformance/framework"
	"github.com/hookcheck/hookcheck/reports"
)

// previewSpecs walks the spec tree without running a spec.
func previewSpecs(t *testing.T) []types.SpecReport {
	t.Helper()
	defer Arm()()
	rep := PreviewSpecs("hookcheck conformance")
	var specs []types.SpecReport
	for _, sr := range rep.SpecReports {
		if sr.LeafNodeType.Is(types.NodeTypeIt) {
			specs = append(specs, sr)
		}
	}
	if len(specs) == 0 {
		t.Fatal("the preview found no specs")
	}
	return specs
}

// TestSpecsCarryCatalogueLabels walks the spec tree (a Ginkgo dry run)
// and fails on a spec without exactly one known clause label, a level or
// area label that disagrees with the catalogue, a spec without exactly
// one API-style label, a duplicate spec name, and a clause without a
// spec.
func TestSpecsCarryCatalogueLabels(t *testing.T) {
	cat, err := Catalogue()
	if err != nil {
		t.Fatal(err)
	}
	specs := previewSpecs(t)
	covered := map[string]int{}
	names := map[string]bool{}
	for _, sr := range specs {
		name := strings.Join(append(append([]string{}, sr.ContainerHierarchyTexts...), sr.LeafNodeText), " ")
		if names[name] {
			t.Errorf("duplicate spec name %q", name)
		}
		names[name] = true
		var clauses, levels, areas, styles []string
		for _, l := range sr.Labels() {
			switch {
			case strings.HasPrefix(l, reports.ClauseLabelPrefix):
				clauses = append(clauses, strings.TrimPrefix(l, reports.ClauseLabelPrefix))
			case strings.HasPrefix(l, reports.LevelLabelPrefix):
				levels = append(levels, strings.TrimPrefix(l, reports.LevelLabelPrefix))
			case slices.Contains(reports.Areas, l):
				areas = append(areas, l)
			case slices.Contains(reports.Styles, l):
				styles = append(styles, l)
			}
		}
		if len(clauses) != 1 {
			t.Errorf("spec %q carries %d clause labels %v, want exactly one", name, len(clauses), clauses)
			continue
		}
		id := clauses[0]
		c, ok := cat.Lookup(id)
		if !ok {
			t.Errorf("spec %q names clause %s, which the catalogue lacks", name, id)
			continue
		}
		covered[id]++
		if !slices.Equal(levels, []string{c.Level}) {
			t.Errorf("spec %q: level labels %v, the catalogue says %s", name, levels, c.Level)
		}
		if !slices.Equal(areas, []string{c.Area}) {
			t.Errorf("spec %q: area labels %v, the catalogue says %s", name, areas, c.Area)
		}
		if len(styles) != 1 {
			t.Errorf("spec %q: style labels %v, want exactly one of %v", name, styles, driver.Styles)
		}
		if !strings.HasPrefix(name, c.Area+" ") {
			t.Errorf("spec %q is not in the Describe of its area %q", name, c.Area)
		}
	}
	for _, c := range cat {
		if covered[c.ID] == 0 {
			t.Errorf("clause %s (%s) has no spec", c.ID, c.Title)
		}
	}
	t.Logf("%d specs cover %d clauses", len(specs), len(covered))
}
