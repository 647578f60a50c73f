package framework

import (
	_ "embed"
	"fmt"
	"sync"

	"github.com/hookcheck/hookcheck/reports"
)

// clausesYAML is the clause catalogue, a copy of fixtures/clauses.yaml
// kept identical by a test (run `go generate ./conformance/...` after editing
// the fixture).
//
//go:embed clauses.yaml
var clausesYAML []byte

var (
	catalogueOnce sync.Once
	catalogue     reports.Catalogue
	catalogueErr  error
)

// Catalogue returns the clause catalogue the suite is written against.
func Catalogue() (reports.Catalogue, error) {
	catalogueOnce.Do(func() {
		catalogue, catalogueErr = reports.ParseCatalogue(clausesYAML)
		if catalogueErr != nil {
			catalogueErr = fmt.Errorf("conformance: embedded clause catalogue: %w", catalogueErr)
		}
	})
	return catalogue, catalogueErr
}

// CatalogueYAML returns the embedded catalogue as written.
func CatalogueYAML() []byte { return append([]byte(nil), clausesYAML...) }
