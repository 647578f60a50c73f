package specs

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// TestSOAPSamplesMatchFixtures checks that the embedded SOAP samples are an
// exact copy of fixtures/soap (run `go generate ./conformance/...` after
// editing a fixture) and that every fixture has its copy.
func TestSOAPSamplesMatchFixtures(t *testing.T) {
	fixtures := map[string][]byte{}
	err := filepath.WalkDir("../../fixtures/soap", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(path) != ".xml" {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel("../../fixtures/soap", path)
		fixtures[filepath.ToSlash(rel)] = data
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(fixtures) < 10 {
		t.Fatalf("fixtures/soap holds %d samples; want the 8 Services88 and 2 Services87 pages", len(fixtures))
	}
	embedded := 0
	err = fs.WalkDir(soapSamples, "soapsamples", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		embedded++
		rel := path[len("soapsamples/"):]
		want, ok := fixtures[rel]
		if !ok {
			t.Errorf("conformance/specs/%s has no fixture in fixtures/soap: run `go generate ./conformance/...`", path)
			return nil
		}
		got, _ := soapSamples.ReadFile(path)
		if !bytes.Equal(got, want) {
			t.Errorf("conformance/specs/%s differs from fixtures/soap/%s: run `go generate ./conformance/...`", path, rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if embedded != len(fixtures) {
		t.Errorf("%d embedded samples for %d fixtures: run `go generate ./conformance/...`", embedded, len(fixtures))
	}
}
