package wire

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/hookcheck/hookcheck/conformance/reference"
)

// ErrTypeForm is the ErrorType of an unreadable form body.
const ErrTypeForm = "FormatException"

// ParseForm reads an application/x-www-form-urlencoded request body (spec
// §2.1) into the tree: each field is a member; a field given several
// times, and Events in any case (comma-separated values are split, since
// event names cannot hold a comma, §7), are arrays; `Headers[Name]=v`
// and `Properties[key]=v` (or `Headers.Name=v`) build the dictionaries.
// Values are strings, which ToWebhook reads as NetServer does. Member
// order follows the first appearance of each field.
func ParseForm(data []byte, lim Limits) (any, error) {
	q, err := url.ParseQuery(string(data))
	if err != nil {
		return nil, reference.Errorf(reference.KindInvalid, ErrTypeForm, "the form request body cannot be read: %v", err)
	}
	if len(q) > lim.MaxMembers {
		return nil, reference.Errorf(reference.KindInvalid, ErrTypeForm, "the form has more than %d fields", lim.MaxMembers)
	}
	o := &Object{}
	dicts := map[string]*Object{}
	for _, field := range formOrder(string(data)) {
		vals := q[field]
		if dict, key, ok := formDictField(field); ok {
			d := dicts[strings.ToLower(dict)]
			if d == nil {
				d = &Object{}
				dicts[strings.ToLower(dict)] = d
				o.Keys = append(o.Keys, dict)
				o.Values = append(o.Values, d)
			}
			d.Keys = append(d.Keys, key)
			d.Values = append(d.Values, vals[len(vals)-1])
			continue
		}
		var v any
		switch {
		case strings.EqualFold(field, "Events"):
			arr := []any{}
			for _, s := range vals {
				for _, e := range strings.Split(s, ",") {
					if e = strings.TrimSpace(e); e != "" {
						arr = append(arr, e)
					}
				}
			}
			v = arr
		case len(vals) > 1:
			arr := make([]any, len(vals))
			for i, s := range vals {
				arr[i] = s
			}
			v = arr
		default:
			v = vals[0]
		}
		o.Keys = append(o.Keys, field)
		o.Values = append(o.Values, v)
	}
	return o, nil
}

// formOrder returns the distinct field names of a form body in the order
// they first appear.
func formOrder(body string) []string {
	seen := map[string]bool{}
	var out []string
	for part := range strings.SplitSeq(body, "&") {
		name, _, _ := strings.Cut(part, "=")
		n, err := url.QueryUnescape(name)
		if err != nil || n == "" || seen[n] {
			continue
		}
		seen[n] = true
		out = append(out, n)
	}
	return out
}

// formDictField splits "Headers[Name]" or "Headers.Name" into the
// dictionary and its key.
func formDictField(field string) (dict, key string, ok bool) {
	if i := strings.IndexByte(field, '['); i > 0 && strings.HasSuffix(field, "]") {
		return field[:i], field[i+1 : len(field)-1], true
	}
	if d, k, found := strings.Cut(field, "."); found && d != "" && k != "" {
		switch strings.ToLower(d) {
		case "headers", "properties":
			return d, k, true
		}
	}
	return "", "", false
}

// BodyKind is how a request body is encoded.
type BodyKind int

// The body encodings the REST and Agents front ends read (spec §2.1).
const (
	BodyJSON BodyKind = iota
	BodyXML
	BodyForm
	BodyUnsupported
)

// KindOfBody returns the encoding a media type names: XML for
// application/xml and text/xml, Form for application/x-www-form-urlencoded,
// unsupported for multipart bodies and other XML types, and JSON for
// everything else (none, application/json, text/json, *+json; a body
// mislabelled text/plain is read as JSON too).
func KindOfBody(mediaType string) BodyKind {
	switch mt := strings.ToLower(mediaType); {
	case mt == "application/xml", mt == "text/xml":
		return BodyXML
	case mt == "application/x-www-form-urlencoded":
		return BodyForm
	case strings.HasPrefix(mt, "multipart/"), strings.HasSuffix(mt, "+xml"):
		return BodyUnsupported
	}
	return BodyJSON
}

// ParseBody parses a request body of the given media type into the tree.
func ParseBody(mediaType string, data []byte, lim Limits) (any, error) {
	switch KindOfBody(mediaType) {
	case BodyXML:
		return ParseXML(data, lim)
	case BodyForm:
		return ParseForm(data, lim)
	case BodyJSON:
		return Parse(data, lim)
	}
	return nil, fmt.Errorf("wire: unsupported body type %s", mediaType)
}
