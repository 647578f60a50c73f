package wire

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/hookcheck/hookcheck/conformance/reference"
)

// AppendJSON appends v as compact JSON. Besides the tree types it
// accepts the plain Go values the core keeps in Properties; anything else is
// marshalled by encoding/json, and written as a string if that fails.
func AppendJSON(buf []byte, v any) []byte {
	switch t := v.(type) {
	case nil:
		return append(buf, "null"...)
	case bool:
		return strconv.AppendBool(buf, t)
	case string:
		return appendJSONString(buf, t)
	case json.Number:
		if t == "" {
			return append(buf, '0')
		}
		return append(buf, t...)
	case int:
		return strconv.AppendInt(buf, int64(t), 10)
	case int8:
		return strconv.AppendInt(buf, int64(t), 10)
	case int16:
		return strconv.AppendInt(buf, int64(t), 10)
	case int32:
		return strconv.AppendInt(buf, int64(t), 10)
	case int64:
		return strconv.AppendInt(buf, t, 10)
	case uint:
		return strconv.AppendUint(buf, uint64(t), 10)
	case uint8:
		return strconv.AppendUint(buf, uint64(t), 10)
	case uint16:
		return strconv.AppendUint(buf, uint64(t), 10)
	case uint32:
		return strconv.AppendUint(buf, uint64(t), 10)
	case uint64:
		return strconv.AppendUint(buf, t, 10)
	case float32:
		return appendJSONFloat(buf, float64(t), 32)
	case float64:
		return appendJSONFloat(buf, t, 64)
	case *Object:
		if t == nil {
			return append(buf, "null"...)
		}
		buf = append(buf, '{')
		for i, k := range t.Keys {
			if i > 0 {
				buf = append(buf, ',')
			}
			buf = appendJSONString(buf, k)
			buf = append(buf, ':')
			buf = AppendJSON(buf, t.Values[i])
		}
		return append(buf, '}')
	case []any:
		if t == nil {
			return append(buf, "null"...)
		}
		buf = append(buf, '[')
		for i, e := range t {
			if i > 0 {
				buf = append(buf, ',')
			}
			buf = AppendJSON(buf, e)
		}
		return append(buf, ']')
	case []string:
		if t == nil {
			return append(buf, "null"...)
		}
		buf = append(buf, '[')
		for i, e := range t {
			if i > 0 {
				buf = append(buf, ',')
			}
			buf = appendJSONString(buf, e)
		}
		return append(buf, ']')
	case map[string]any, map[string]string:
		return AppendJSON(buf, FromPlain(t))
	case time.Time:
		return appendJSONString(buf, reference.FormatTime(t))
	}
	b, err := json.Marshal(v)
	if err != nil {
		return appendJSONString(buf, fmt.Sprint(v))
	}
	return append(buf, b...)
}

// appendJSONFloat appends f as a JSON number; NaN and infinities, which JSON
// cannot express, become null.
func appendJSONFloat(buf []byte, f float64, bits int) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return append(buf, "null"...)
	}
	return strconv.AppendFloat(buf, f, 'g', -1, bits)
}

// appendJSONString appends s as a JSON string. Invalid UTF-8 becomes U+FFFD;
// HTML characters are not escaped (the API is not HTML).
func appendJSONString(buf []byte, s string) []byte {
	const hex = "0123456789abcdef"
	buf = append(buf, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				buf = append(buf, '\\', c)
			case c == '\n':
				buf = append(buf, '\\', 'n')
			case c == '\r':
				buf = append(buf, '\\', 'r')
			case c == '\t':
				buf = append(buf, '\\', 't')
			case c < 0x20:
				buf = append(buf, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			default:
				buf = append(buf, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			buf = append(buf, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			buf = append(buf, '\\', 'u', '2', '0', '2', hex[r&0xf])
		default:
			buf = append(buf, s[i:i+size]...)
		}
		i += size
	}
	return append(buf, '"')
}

// FromPlain converts a plain Go value (as kept in Webhook.Properties or
// produced by encoding/json) into a tree value, building fresh objects so
// the tree can be changed without touching the original. Maps become
// dictionaries with sorted keys so output is deterministic.
func FromPlain(v any) any {
	switch t := v.(type) {
	case nil, bool, string, json.Number, int, int8, int16, int32, int64,
		uint, uint8, uint16, uint32, uint64, float32, float64:
		return t
	case *Object:
		if t == nil {
			return nil
		}
		o := &Object{Record: t.Record, PairName: t.PairName,
			Keys: make([]string, 0, len(t.Keys)), Values: make([]any, 0, len(t.Values))}
		for i, k := range t.Keys {
			o.Add(k, FromPlain(t.Values[i]))
		}
		return o
	case []any:
		if t == nil {
			return nil
		}
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = FromPlain(e)
		}
		return out
	case []string:
		if t == nil {
			return nil
		}
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = e
		}
		return out
	case map[string]any:
		if t == nil {
			return nil
		}
		o := &Object{Keys: SortedKeys(t)}
		o.Values = make([]any, len(o.Keys))
		for i, k := range o.Keys {
			o.Values[i] = FromPlain(t[k])
		}
		return o
	case map[string]string:
		if t == nil {
			return nil
		}
		o := &Object{Keys: SortedKeys(t), PairName: "StringKeyValuePair"}
		o.Values = make([]any, len(o.Keys))
		for i, k := range o.Keys {
			o.Values[i] = t[k]
		}
		return o
	case time.Time:
		return reference.FormatTime(t)
	}
	// Other types (structs, typed slices): take their JSON form.
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	tree, err := Parse(b, Limits{MaxDepth: 64, MaxValues: 1 << 20, MaxMembers: 1 << 20})
	if err != nil {
		return fmt.Sprint(v)
	}
	return tree
}

// SortedKeys returns the keys of m in ascending order.
func SortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// ToPlain converts a tree value into the plain Go values the core
// expects in Properties and SignalEvent data: nil, bool, string, int64 (for
// integral numbers that fit), float64, []any and map[string]any.
func ToPlain(v any) (any, error) {
	switch t := v.(type) {
	case nil, bool, string:
		return t, nil
	case json.Number:
		return numberToPlain(t)
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			p, err := ToPlain(e)
			if err != nil {
				return nil, err
			}
			out[i] = p
		}
		return out, nil
	case *Object:
		m := make(map[string]any, len(t.Keys))
		for i, k := range t.Keys {
			p, err := ToPlain(t.Values[i])
			if err != nil {
				return nil, err
			}
			m[k] = p
		}
		return m, nil
	}
	return v, nil // already a plain Go value (from plainToWire)
}

// numberToPlain converts a JSON number into int64 when it is integral and
// fits, else float64; numbers out of float64 range are refused.
func numberToPlain(n json.Number) (any, error) {
	if i, err := strconv.ParseInt(string(n), 10, 64); err == nil {
		return i, nil
	}
	f, err := strconv.ParseFloat(string(n), 64)
	if err != nil || math.IsInf(f, 0) {
		return nil, reference.Errorf(reference.KindInvalid, ErrTypeSerialization, "number %s is out of range", n)
	}
	return f, nil
}
