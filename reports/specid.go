package reports

import (
	"strconv"
	"strings"
	"unicode"
)

// maxSlug bounds the length of the text part of a spec ID.
const maxSlug = 80

// slug lowercases s and turns every run of characters other than letters and
// digits into one '-', trimmed at both ends and cut to maxSlug runes.
func slug(s string) string {
	var b strings.Builder
	dash := false
	n := 0
	for _, r := range strings.ToLower(s) {
		if n >= maxSlug {
			break
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
				n++
			}
			b.WriteRune(r)
			n++
			dash = false
			continue
		}
		dash = true
	}
	out := strings.TrimRight(b.String(), "-")
	if out == "" {
		return "spec"
	}
	return out
}

// specIDParts are the inputs of a spec ID.
type specIDParts struct {
	area, clause, style string
	containers          []string
	leaf                string
}

func (p specIDParts) prefix() string {
	clause := p.clause
	if clause == "" {
		clause = "none"
	}
	style := p.style
	if style == "" {
		style = AnyStyle
	}
	return p.area + "/" + clause + "/" + style + "/"
}

// assignSpecIDs gives every spec an ID of the form area/clause/style/slug,
// the slug being the leaf text's. Specs that would share an ID use the slug
// of container and leaf texts instead, and any that still collide get
// "-2", "-3", ... in run order, so IDs are unique and stable as long as the
// spec texts are.
func assignSpecIDs(parts []specIDParts) []string {
	ids := make([]string, len(parts))
	count := map[string]int{}
	for i, p := range parts {
		ids[i] = p.prefix() + slug(p.leaf)
		count[ids[i]]++
	}
	for i, p := range parts {
		if count[ids[i]] > 1 {
			ids[i] = p.prefix() + slug(strings.Join(append(append([]string{}, p.containers...), p.leaf), " "))
		}
	}
	used := map[string]bool{}
	for _, id := range ids {
		used[id] = true
	}
	first := map[string]bool{}
	for i, id := range ids {
		if !first[id] {
			first[id] = true
			continue
		}
		for n := 2; ; n++ {
			if cand := id + "-" + strconv.Itoa(n); !used[cand] {
				ids[i], used[cand] = cand, true
				break
			}
		}
	}
	return ids
}
