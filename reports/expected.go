package reports

import (
	"fmt"
	"os"
	"strings"
)

// ExpectedFailure is one entry of an expected-failures file: a clause ID
// (covering every spec of the clause) or a spec ID, and why its failure is
// accepted for now.
type ExpectedFailure struct {
	// ID is a clause ID ("WH-DLV-004") or a spec ID
	// ("delivery/WH-DLV-004/rest/retries-after-a-500").
	ID string `yaml:"id" json:"id"`
	// Reason says why the failure is accepted (a ticket, a known deviation).
	Reason string `yaml:"reason" json:"reason"`
}

// ExpectedFailures is the list given to --expected-failures.
type ExpectedFailures []ExpectedFailure

// LoadExpectedFailures reads an expected-failures YAML file: a list of
// {id, reason}. See ParseExpectedFailures for the rules.
func LoadExpectedFailures(path string) (ExpectedFailures, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reports: read expected failures: %w", err)
	}
	ef, err := ParseExpectedFailures(data)
	if err != nil {
		return nil, fmt.Errorf("reports: expected failures %s: %w", path, err)
	}
	return ef, nil
}

// ParseExpectedFailures parses an expected-failures list. Every entry needs
// an id and a non-empty reason, ids are unique, and unknown fields are
// errors.
func ParseExpectedFailures(data []byte) (ExpectedFailures, error) {
	var ef ExpectedFailures
	if err := decodeStrictYAML(data, &ef); err != nil {
		return nil, err
	}
	seen := map[string]int{}
	for i, e := range ef {
		switch {
		case strings.TrimSpace(e.ID) == "":
			return nil, fmt.Errorf("entry %d: missing id", i+1)
		case strings.TrimSpace(e.Reason) == "":
			return nil, fmt.Errorf("entry %d (%s): missing reason: say why this failure is accepted", i+1, e.ID)
		}
		if j, dup := seen[e.ID]; dup {
			return nil, fmt.Errorf("entry %d (%s): duplicate id, first listed as entry %d", i+1, e.ID, j+1)
		}
		seen[e.ID] = i
	}
	return ef, nil
}

// Matches reports whether the entry covers the spec: its ID is the spec's
// ID or the spec's clause.
func (e ExpectedFailure) Matches(s Spec) bool {
	return e.ID == s.ID || (s.Clause != "" && e.ID == s.Clause)
}
