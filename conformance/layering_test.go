package conformance_test

import (
	"bytes"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// module is the import path of the module.
const module = "github.com/hookcheck/hookcheck"

// The three rooms of the suite and who may link whom: the framework links
// neither the specs nor the runner (nor the tools built on it), the specs
// never reach the runner, and reproduce and embedded stand on the
// framework alone. Only the runner (this package) links the specs.
var forbiddenDeps = map[string][]string{
	"conformance/framework": {"conformance", "conformance/specs", "conformance/reproduce", "conformance/embedded"},
	"conformance/specs":     {"conformance"},
	"conformance/reproduce": {"conformance", "conformance/specs"},
	"conformance/embedded":  {"conformance", "conformance/specs"},
}

// TestPackagesKeepTheirLayers fails when a package of the suite links one
// it must not (go list -deps, so indirect links count too).
func TestPackagesKeepTheirLayers(t *testing.T) {
	for pkg, forbidden := range forbiddenDeps {
		deps := goListDeps(t, module+"/"+pkg)
		if len(deps) < 2 {
			t.Fatalf("go list -deps %s listed %d packages; is the path right?", pkg, len(deps))
		}
		for _, f := range forbidden {
			if slices.Contains(deps, module+"/"+f) {
				t.Errorf("%s links %s, which it must not (go list -deps ./%s)", pkg, f, pkg)
			}
		}
	}
	if deps := goListDeps(t, module+"/conformance"); !slices.Contains(deps, module+"/conformance/specs") {
		t.Error("the runner does not link the specs: a run would find no spec")
	}
}

// goListDeps returns the import paths pkg links, itself included.
func goListDeps(t *testing.T, pkg string) []string {
	t.Helper()
	var out, stderr bytes.Buffer
	cmd := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}", pkg)
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("go list -deps %s: %v: %s", pkg, err, stderr.String())
	}
	return strings.Fields(out.String())
}

// specNodes are the Ginkgo nodes that register a spec or a spec area; a
// helper may open a Context (framework.ForStyles does), but specs and
// areas are registered in package specs only.
var specNodes = map[string]bool{}

func init() {
	for _, n := range []string{"Describe", "It", "Specify", "DescribeTable", "Entry", "DescribeTableSubtree"} {
		for _, p := range []string{"", "F", "P", "X"} {
			specNodes[p+n] = true
		}
	}
}

// TestSpecsAreRegisteredInTheSpecsPackageOnly fails on a Describe, It,
// table or entry in a non-test file of conformance/ outside
// conformance/specs (the reference's own test files may hold specs).
func TestSpecsAreRegisteredInTheSpecsPackageOnly(t *testing.T) {
	fset := token.NewFileSet()
	files := 0
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if path == "specs" || d.Name() == "node_modules" {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		files++
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			name := ""
			switch fn := call.Fun.(type) {
			case *ast.Ident:
				name = fn.Name
			case *ast.SelectorExpr:
				name = fn.Sel.Name
			}
			if specNodes[name] {
				t.Errorf("%s: %s registers specs outside conformance/specs", fset.Position(call.Pos()), name)
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 50 {
		t.Fatalf("walked %d Go files under conformance/; is the working directory right?", files)
	}
}
