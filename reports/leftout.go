package reports

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/onsi/ginkgo/v2/types"
)

// LeftOut is what a filtered run (hookcheck run --label-filter) did not
// run: the run is partial, and the gate says PARTIAL.
type LeftOut struct {
	// Filter is the label filter of the run.
	Filter string `json:"filter,omitempty"`
	// Specs counts the specs the filter left out.
	Specs int `json:"specs"`
	// Clauses are the clauses none of whose specs ran, in catalogue order.
	Clauses []string `json:"clauses,omitempty"`
	// Partly are the clauses some of whose specs ran while the filter left
	// out others (another API style, say), in catalogue order.
	Partly []string `json:"partly,omitempty"`
}

// MarkLeftOut records on the run the specs a label filter left out
// (Ginkgo's reports of them, which FromGinkgo was not given): it sets
// run.LeftOut and marks the clauses none of whose specs ran. Nothing
// changes when left is empty.
func (r *Run) MarkLeftOut(filter string, left []types.SpecReport) {
	if len(left) == 0 {
		return
	}
	lo := &LeftOut{Filter: filter, Specs: len(left)}
	named := map[string]bool{}
	for _, sr := range left {
		if id := parseLabels(sr.Labels()).clause; id != "" {
			named[id] = true
		}
	}
	ran := map[string]bool{}
	for _, s := range r.Specs {
		ran[s.Clause] = true
	}
	for i := range r.Clauses {
		c := &r.Clauses[i]
		if !named[c.ID] {
			continue
		}
		delete(named, c.ID)
		if ran[c.ID] {
			lo.Partly = append(lo.Partly, c.ID)
			continue
		}
		c.LeftOut = true
		lo.Clauses = append(lo.Clauses, c.ID)
	}
	rest := make([]string, 0, len(named))
	for id := range named {
		rest = append(rest, id)
	}
	slices.Sort(rest)
	lo.Clauses = append(lo.Clauses, rest...)
	r.LeftOut = lo
}

// Summary says in one line what the filter left out, for example
// "--label-filter 'retry' left out 118 specs: 110 clauses not run, 2 run in part".
func (l *LeftOut) Summary() string {
	if l == nil {
		return ""
	}
	what := "the label filter"
	if l.Filter != "" {
		what = "--label-filter '" + l.Filter + "'"
	}
	s := fmt.Sprintf("%s left out %s: %s not run", what, plural(l.Specs, "spec"), plural(len(l.Clauses), "clause"))
	if len(l.Partly) > 0 {
		s += fmt.Sprintf(", %d run in part", len(l.Partly))
	}
	return s
}

// CompactIDs lists clause IDs briefly: runs of consecutive numbers with
// one prefix fold into a range ("WH-CRUD-001–004, WH-CRUD-007,
// WH-DLV-002"). The IDs keep their order.
func CompactIDs(ids []string) string {
	var out []string
	prefix, first, last, width := "", -1, -1, 0
	flush := func() {
		if first < 0 {
			return
		}
		s := fmt.Sprintf("%s%0*d", prefix, width, first)
		if last > first {
			s += fmt.Sprintf("–%0*d", width, last)
		}
		out = append(out, s)
		first = -1
	}
	for _, id := range ids {
		i := strings.LastIndexByte(id, '-')
		n, err := strconv.Atoi(id[i+1:])
		if i < 0 || err != nil || n < 0 {
			flush()
			out = append(out, id)
			continue
		}
		p, w := id[:i+1], len(id)-i-1
		if first >= 0 && p == prefix && w == width && n == last+1 {
			last = n
			continue
		}
		flush()
		prefix, first, last, width = p, n, n, w
	}
	flush()
	return strings.Join(out, ", ")
}
