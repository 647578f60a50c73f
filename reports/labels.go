package reports

import (
	"sort"
	"strings"
)

// Areas are the spec-area labels the suite uses, in report order.
var Areas = []string{"crud", "verification", "delivery", "retry", "state", "state-events", "email", "parity", "security"}

// Styles are the API-style labels the suite uses, in matrix-column order.
var Styles = []string{"rest", "agents", "soap"}

// Label prefixes the suite uses.
const (
	ClauseLabelPrefix = "clause:"
	LevelLabelPrefix  = "level:"
)

// AnyStyle is the Style of a spec that carries no API-style label.
const AnyStyle = "any"

// specLabels is what the labels of one spec say.
type specLabels struct {
	clause, level, area string
	styles              []string
	other               []string
}

// parseLabels sorts a spec's labels into clause, level, area, styles and the
// rest. "area:X" and "style:X" are accepted as spellings of the bare labels.
func parseLabels(labels []string) specLabels {
	var l specLabels
	for _, raw := range labels {
		lab := strings.TrimSpace(raw)
		switch {
		case strings.HasPrefix(lab, ClauseLabelPrefix):
			if l.clause == "" {
				l.clause = strings.TrimSpace(strings.TrimPrefix(lab, ClauseLabelPrefix))
			} else {
				l.other = append(l.other, lab)
			}
		case strings.HasPrefix(lab, LevelLabelPrefix):
			l.level = strings.ToUpper(strings.TrimSpace(strings.TrimPrefix(lab, LevelLabelPrefix)))
		case strings.HasPrefix(lab, "area:") && l.area == "":
			l.area = strings.TrimPrefix(lab, "area:")
		case strings.HasPrefix(lab, "style:"):
			l.styles = appendUnique(l.styles, strings.TrimPrefix(lab, "style:"))
		case contains(Areas, lab) && l.area == "":
			l.area = lab
		case contains(Styles, lab):
			l.styles = appendUnique(l.styles, lab)
		default:
			l.other = appendUnique(l.other, lab)
		}
	}
	sortStyles(l.styles)
	return l
}

// sortStyles orders styles as the matrix columns: known styles first in
// their order, then others by name.
func sortStyles(styles []string) {
	rank := func(s string) int {
		for i, k := range Styles {
			if k == s {
				return i
			}
		}
		return len(Styles)
	}
	sort.SliceStable(styles, func(i, j int) bool {
		ri, rj := rank(styles[i]), rank(styles[j])
		if ri != rj {
			return ri < rj
		}
		return styles[i] < styles[j]
	})
}

// splitStyle turns a Spec.Style back into its styles.
func splitStyle(style string) []string {
	if style == "" {
		return []string{AnyStyle}
	}
	return strings.Split(style, "+")
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func appendUnique(list []string, s string) []string {
	if s == "" || contains(list, s) {
		return list
	}
	return append(list, s)
}
