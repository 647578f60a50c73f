package reports

import "sort"

// BuildClauses folds specs into clause results: one per catalogue clause in
// catalogue order, then one per clause the specs named that the catalogue
// lacks (marked Unknown, in name order). Each result has a status per style
// in styles and an overall status.
func BuildClauses(catalogue Catalogue, specs []Spec, styles []string) []ClauseResult {
	type acc struct {
		all     []State
		byStyle map[string][]State
		n       int
	}
	accs := map[string]*acc{}
	var unknown []string
	known := map[string]bool{}
	for _, c := range catalogue {
		known[c.ID] = true
	}
	for _, s := range specs {
		if s.Clause == "" {
			continue
		}
		a := accs[s.Clause]
		if a == nil {
			a = &acc{byStyle: map[string][]State{}}
			accs[s.Clause] = a
			if !known[s.Clause] {
				unknown = append(unknown, s.Clause)
			}
		}
		a.n++
		a.all = append(a.all, s.State)
		for _, st := range splitStyle(s.Style) {
			a.byStyle[st] = append(a.byStyle[st], s.State)
		}
	}
	sort.Strings(unknown)
	clauses := append(Catalogue{}, catalogue...)
	for _, id := range unknown {
		level := ""
		for _, s := range specs {
			if s.Clause == id && s.Level != "" {
				level = s.Level
				break
			}
		}
		clauses = append(clauses, Clause{ID: id, Level: level})
	}
	out := make([]ClauseResult, 0, len(clauses))
	for _, c := range clauses {
		cr := ClauseResult{Clause: c, Status: StatusNA, Styles: map[string]Status{}, Unknown: !known[c.ID]}
		a := accs[c.ID]
		for _, st := range styles {
			cr.Styles[st] = StatusNA
		}
		if a != nil {
			cr.Specs = a.n
			cr.Status = statusOf(a.all)
			for _, st := range styles {
				cr.Styles[st] = statusOf(a.byStyle[st])
			}
		}
		out = append(out, cr)
	}
	return out
}

// columnStyles returns the matrix columns for the specs: the known styles
// always, then any other style a spec used ("any" for unlabelled specs).
func columnStyles(specs []Spec) []string {
	cols := append([]string{}, Styles...)
	for _, s := range specs {
		for _, st := range splitStyle(s.Style) {
			cols = appendUnique(cols, st)
		}
	}
	sortStyles(cols)
	return cols
}
