package wire

import (
	"net/url"
	"slices"
	"strings"

	"github.com/hookcheck/hookcheck/conformance/reference"
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
// is kept whole; CheckSelect refuses unknown names before an operation runs.
// An absent or empty `$select` selects everything.
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

// CheckSelect refuses a `$select` in q that names a property a Webhook does
// not have (the top-level name of a dotted path; `_Links` is known too):
// answering with that property null, as if it had been selected, would
// hide the caller's typo. nil when there is no `$select` or every name is
// known.
func CheckSelect(q url.Values) error {
	sel := ParseSelect(q)
	if sel == nil {
		return nil
	}
	props := webhookToWire(&reference.Webhook{})
	var unknown []string
	for name := range sel {
		if name != "_links" && props.indexFold(name) < 0 {
			unknown = append(unknown, name)
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	slices.Sort(unknown)
	return reference.Errorf(reference.KindInvalid, ErrTypeArgument, "$select names %s, which a Webhook does not have (it has %s)",
		reference.Quote(strings.Join(unknown, ", ")), strings.Join(props.Keys, ", "))
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
