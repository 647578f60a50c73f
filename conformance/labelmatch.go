package conformance

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/hookcheck/hookcheck/conformance/framework"
)

// A --label-filter that selects no spec would make a run that checks
// nothing, and a CI job with a typo in its filter green. It is a
// configuration error instead, and the error names the labels closest to
// the ones the filter uses that no spec has.

// filterWord matches the words of a label filter: everything between its
// operators (&&, ||, !, parentheses, commas) that is not a /regexp/.
var filterWord = regexp.MustCompile(`[^\s&|!(),/]+`)

// noSpecMatches is the error of a label filter that selects none of the
// specs whose reports are in all (the specs it left out, with their
// labels).
func noSpecMatches(filter string, all []types.SpecReport) error {
	known := map[string]int{}
	for _, sr := range all {
		for _, l := range sr.Labels() {
			known[l]++
		}
	}
	return framework.ConfigErrorf("--label-filter %q matches no spec: %s", filter, closestLabels(filter, known))
}

// closestLabels explains a filter that matched nothing, given how many
// specs carry each known label: the words of the filter no spec has with
// the known labels closest to each, or, when every word is a label, that
// the combination is empty.
func closestLabels(filter string, known map[string]int) string {
	var unknown []string
	for _, w := range filterWord.FindAllString(regexp.MustCompile(`/[^/]*/`).ReplaceAllString(filter, " "), -1) {
		if _, ok := known[w]; !ok && !slices.Contains(unknown, w) {
			unknown = append(unknown, w)
		}
	}
	if len(unknown) == 0 {
		return "every label in it exists, but no spec has them in this combination (hookcheck run --list-specs --label-filter LABEL lists a label's specs)"
	}
	labels := make([]string, 0, len(known))
	for l := range known {
		labels = append(labels, l)
	}
	sort.Strings(labels)
	var parts []string
	for _, w := range unknown {
		near := nearest(w, labels, 3)
		if len(near) == 0 {
			parts = append(parts, fmt.Sprintf("no spec has the label %q", w))
			continue
		}
		parts = append(parts, fmt.Sprintf("no spec has the label %q (closest: %s)", w, strings.Join(near, ", ")))
	}
	return strings.Join(parts, "; ")
}

// nearest returns up to n labels closest to w: the ones containing it (or
// contained in it) first, then by edit distance, case ignored; a label
// too far from w is not offered.
func nearest(w string, labels []string, n int) []string {
	type scored struct {
		label string
		score int
	}
	lw := strings.ToLower(w)
	var out []scored
	for _, l := range labels {
		ll := strings.ToLower(l)
		d := editDistance(lw, ll)
		switch {
		case strings.Contains(ll, lw) || strings.Contains(lw, ll) && 2*len(ll) >= len(lw):
			d = min(d, 1)
		case d > max(2, len(lw)/3):
			continue
		}
		out = append(out, scored{l, d})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].score < out[j].score })
	var names []string
	for i := 0; i < len(out) && i < n; i++ {
		names = append(names, out[i].label)
	}
	return names
}

// editDistance is the Levenshtein distance of a and b, in bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
