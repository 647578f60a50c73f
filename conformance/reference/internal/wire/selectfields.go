package wire

import (
	"net/url"
	"strings"
)

// Selection is a parsed `$select` query parameter (spec §2.1): the
// lower-cased names of the top-level properties to keep. A nil selection
// keeps everything.
type Selection map[string]bool

// maxSelectNames bounds the names one $select may list.
const maxSelectNames = 256

// ParseSelect reads `$select` from q, matching the parameter name
// case-insensitively. Names are comma-separated and case-insensitive; for a
// dotted or slashed path (`RegisteredAssociate.Name`) the top-level property
// is kept whole. Unknown names are ignored: the documentation does not say
// what they do, and ignoring them is the friendlier reading. An absent or
// empty `$select` selects everything.
func ParseSelect(q url.Values) Selection {
	raw, ok := QueryFold(q, "$select")
	if !ok || strings.TrimSpace(raw) == "" {
		return nil
	}
	sel := Selection{}
	for name := range strings.SplitSeq(raw, ",") {
		if len(sel) >= maxSelectNames {
			break
		}
		name = strings.TrimSpace(name)
		if i := strings.IndexAny(name, "./"); i >= 0 {
			name = name[:i]
		}
		if name != "" {
			sel[strings.ToLower(name)] = true
		}
	}
	if len(sel) == 0 {
		return nil
	}
	return sel
}

// Apply sets every member of the record o that is not selected to null.
// `_Links` is always kept.
func (s Selection) Apply(o *Object) {
	if s == nil || o == nil {
		return
	}
	for i, k := range o.Keys {
		if k == "_Links" || s[strings.ToLower(k)] {
			continue
		}
		o.Values[i] = nil
	}
}

// QueryFold returns the first value of the query parameter whose name
// matches name case-insensitively (ASP.NET model binding is
// case-insensitive), preferring an exact match.
func QueryFold(q url.Values, name string) (string, bool) {
	if v, ok := q[name]; ok && len(v) > 0 {
		return v[0], true
	}
	for k, v := range q {
		if strings.EqualFold(k, name) && len(v) > 0 {
			return v[0], true
		}
	}
	return "", false
}
