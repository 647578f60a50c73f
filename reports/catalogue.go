package reports

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Requirement levels a clause may have.
const (
	LevelMust   = "MUST"
	LevelShould = "SHOULD"
)

// Clause is one requirement of the behavioural spec, as listed in the clause
// catalogue (fixtures/clauses.yaml).
type Clause struct {
	// ID is the stable clause identifier, for example "WH-DLV-004"; specs
	// carry it as the label "clause:WH-DLV-004".
	ID string `yaml:"id" json:"id"`
	// Title is the requirement in one sentence.
	Title string `yaml:"title" json:"title"`
	// Level is MUST or SHOULD.
	Level string `yaml:"level" json:"level"`
	// Ref points into the specification, for example "§4.6".
	Ref string `yaml:"ref" json:"ref,omitempty"`
	// Area is the spec area (crud, delivery, retry, ...).
	Area string `yaml:"area" json:"area,omitempty"`
	// Option, when set, names the profile option the clause depends on (for
	// example "online"); the clause is n/a unless the run enables it.
	Option string `yaml:"option,omitempty" json:"option,omitempty"`
}

// Catalogue is the ordered list of clauses a run is reported against.
type Catalogue []Clause

// Lookup returns the clause with the given ID.
func (c Catalogue) Lookup(id string) (Clause, bool) {
	for _, cl := range c {
		if cl.ID == id {
			return cl, true
		}
	}
	return Clause{}, false
}

// LoadCatalogue reads a clause catalogue from a YAML file: a list of
// {id, title, level, ref, area, option}. See ParseCatalogue for the rules.
func LoadCatalogue(path string) (Catalogue, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reports: read clause catalogue: %w", err)
	}
	cat, err := ParseCatalogue(data)
	if err != nil {
		return nil, fmt.Errorf("reports: clause catalogue %s: %w", path, err)
	}
	return cat, nil
}

// ParseCatalogue parses a clause catalogue. Every entry needs an id, a title
// and a level of MUST or SHOULD; ids are unique; unknown fields are errors so
// that a typo does not silently drop information.
func ParseCatalogue(data []byte) (Catalogue, error) {
	var cat Catalogue
	if err := decodeStrictYAML(data, &cat); err != nil {
		return nil, err
	}
	seen := map[string]int{}
	for i, cl := range cat {
		where := fmt.Sprintf("entry %d", i+1)
		if cl.ID != "" {
			where = fmt.Sprintf("entry %d (%s)", i+1, cl.ID)
		}
		switch {
		case strings.TrimSpace(cl.ID) == "":
			return nil, fmt.Errorf("%s: missing id", where)
		case strings.ContainsAny(cl.ID, " \t/"):
			return nil, fmt.Errorf("%s: id must not contain spaces or '/'", where)
		case strings.TrimSpace(cl.Title) == "":
			return nil, fmt.Errorf("%s: missing title", where)
		case cl.Level != LevelMust && cl.Level != LevelShould:
			return nil, fmt.Errorf("%s: level is %q, want MUST or SHOULD", where, cl.Level)
		}
		if j, dup := seen[cl.ID]; dup {
			return nil, fmt.Errorf("%s: duplicate id, first used by entry %d", where, j+1)
		}
		seen[cl.ID] = i
	}
	return cat, nil
}

// decodeStrictYAML decodes one YAML document into v, rejecting unknown
// fields. An empty document decodes to the zero value.
func decodeStrictYAML(data []byte, v any) error {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil {
		if errors.Is(err, io.EOF) {
			return nil
		}
		return fmt.Errorf("invalid YAML: %w", err)
	}
	return nil
}
