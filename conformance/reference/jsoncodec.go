package reference

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// This file is the JSON codec of the REST and Agents front ends. Request
// bodies are parsed into a small bounded tree (nil, bool, string,
// json.Number, []any, *wireObject) that keeps member order and lets property
// names be matched case-insensitively; responses are built as the same tree
// and written in the exact field order of spec §1.1/§1.2. The XML codec
// (xmlcodec.go), $select (selectfields.go) and PATCH (patch.go) work on the
// same tree.

// wireLimits bounds the work one parsed JSON document may cause.
type wireLimits struct {
	MaxDepth   int // nesting depth of arrays and objects
	MaxValues  int // values (scalars, arrays and objects) in the document
	MaxMembers int // elements of one array or members of one object
}

// defaultWireLimits are generous for real webhooks (thousands of events or
// headers) and small enough to refuse abuse cheaply.
var defaultWireLimits = wireLimits{
	MaxDepth:   32,
	MaxValues:  100_000,
	MaxMembers: 10_000,
}

// Error types reported for bad request bodies (the ErrorType of the §2.1
// error body). They name the .NET exceptions NetServer reports for the same
// faults.
const (
	errTypeJSONReader    = "JsonReaderException"
	errTypeSerialization = "JsonSerializationException"
	errTypeArgument      = "ArgumentException"
)

// wireObject is a JSON object that keeps its members in order. Record
// objects are entities with fixed members (Webhook, Associate, ...);
// other objects are dictionaries (Headers, Properties, values inside them,
// and every object parsed from a request). Duplicate member names are kept
// in order; lookups use the last one, which is what "last one wins" means.
type wireObject struct {
	Keys   []string
	Values []any
	// Record marks an entity with fixed members rather than a dictionary.
	Record bool
	// PairName is the XML element name of one dictionary entry
	// (StringKeyValuePair for string:string, StringObjectKeyValuePair
	// otherwise); empty means StringObjectKeyValuePair.
	PairName string
}

// newRecord returns an empty record object with room for n members.
func newRecord(n int) *wireObject {
	return &wireObject{Keys: make([]string, 0, n), Values: make([]any, 0, n), Record: true}
}

// add appends a member without looking for an existing one.
func (o *wireObject) add(key string, v any) {
	o.Keys = append(o.Keys, key)
	o.Values = append(o.Values, v)
}

// index returns the position of the last member named key (exact match),
// or -1.
func (o *wireObject) index(key string) int {
	for i := len(o.Keys) - 1; i >= 0; i-- {
		if o.Keys[i] == key {
			return i
		}
	}
	return -1
}

// indexFold returns the position of the member named key: the last exact
// match, else the last case-insensitive match, else -1.
func (o *wireObject) indexFold(key string) int {
	if i := o.index(key); i >= 0 {
		return i
	}
	for i := len(o.Keys) - 1; i >= 0; i-- {
		if strings.EqualFold(o.Keys[i], key) {
			return i
		}
	}
	return -1
}

// getFold returns the value of the member named key, matched
// case-insensitively, and whether it exists.
func (o *wireObject) getFold(key string) (any, bool) {
	if i := o.indexFold(key); i >= 0 {
		return o.Values[i], true
	}
	return nil, false
}

// remove deletes member i.
func (o *wireObject) remove(i int) {
	o.Keys = append(o.Keys[:i], o.Keys[i+1:]...)
	o.Values = append(o.Values[:i], o.Values[i+1:]...)
}

// errWireNoBody reports an empty request body where one is required.
var errWireNoBody = errors.New("request body is empty")

// parseWire parses one JSON document within lim. It rejects invalid UTF-8,
// trailing data and documents beyond the limits with a KindInvalid *Error;
// an empty (or all-whitespace) document returns errWireNoBody.
func parseWire(data []byte, lim wireLimits) (any, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, errWireNoBody
	}
	if !utf8.Valid(data) {
		return nil, Errorf(KindInvalid, errTypeJSONReader, "request body is not valid UTF-8")
	}
	p := wireParser{dec: json.NewDecoder(bytes.NewReader(data)), lim: lim}
	p.dec.UseNumber()
	v, err := p.value(0)
	if err != nil {
		return nil, err
	}
	if _, err := p.dec.Token(); !errors.Is(err, io.EOF) {
		return nil, Errorf(KindInvalid, errTypeJSONReader,
			"malformed JSON: unexpected data after the top-level value at offset %d", p.dec.InputOffset())
	}
	return v, nil
}

// wireParser builds a tree from a json.Decoder token stream, counting as it
// goes so that hostile input is refused before it is built up.
type wireParser struct {
	dec    *json.Decoder
	lim    wireLimits
	values int
}

// token returns the next token, turning decoder errors into *Error.
func (p *wireParser) token() (json.Token, error) {
	tok, err := p.dec.Token()
	if err != nil {
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return nil, &Error{Kind: KindInvalid, Type: errTypeJSONReader,
			Message: fmt.Sprintf("malformed JSON at offset %d: %v", p.dec.InputOffset(), err), Err: err}
	}
	return tok, nil
}

// value parses one value at the given depth.
func (p *wireParser) value(depth int) (any, error) {
	tok, err := p.token()
	if err != nil {
		return nil, err
	}
	p.values++
	if p.values > p.lim.MaxValues {
		return nil, Errorf(KindInvalid, errTypeJSONReader, "JSON document has more than %d values", p.lim.MaxValues)
	}
	d, ok := tok.(json.Delim)
	if !ok {
		return tok, nil // string, json.Number, bool or nil
	}
	if depth+1 > p.lim.MaxDepth {
		return nil, Errorf(KindInvalid, errTypeJSONReader, "JSON document is nested deeper than %d levels", p.lim.MaxDepth)
	}
	switch d {
	case '{':
		obj := &wireObject{}
		for p.dec.More() {
			kt, err := p.token()
			if err != nil {
				return nil, err
			}
			key, _ := kt.(string) // the decoder guarantees a string key here
			if len(obj.Keys) >= p.lim.MaxMembers {
				return nil, Errorf(KindInvalid, errTypeJSONReader, "JSON object has more than %d members", p.lim.MaxMembers)
			}
			v, err := p.value(depth + 1)
			if err != nil {
				return nil, err
			}
			obj.add(key, v)
		}
		if _, err := p.token(); err != nil { // '}'
			return nil, err
		}
		return obj, nil
	case '[':
		arr := []any{}
		for p.dec.More() {
			if len(arr) >= p.lim.MaxMembers {
				return nil, Errorf(KindInvalid, errTypeJSONReader, "JSON array has more than %d elements", p.lim.MaxMembers)
			}
			v, err := p.value(depth + 1)
			if err != nil {
				return nil, err
			}
			arr = append(arr, v)
		}
		if _, err := p.token(); err != nil { // ']'
			return nil, err
		}
		return arr, nil
	}
	return nil, Errorf(KindInvalid, errTypeJSONReader, "malformed JSON: unexpected %q", d)
}

// appendWireJSON appends v as compact JSON. Besides the tree types it
// accepts the plain Go values the core keeps in Properties; anything else is
// marshalled by encoding/json, and written as a string if that fails.
func appendWireJSON(buf []byte, v any) []byte {
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
	case *wireObject:
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
			buf = appendWireJSON(buf, t.Values[i])
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
			buf = appendWireJSON(buf, e)
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
		return appendWireJSON(buf, plainToWire(t))
	case time.Time:
		return appendJSONString(buf, FormatTime(t))
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

// plainToWire converts a plain Go value (as kept in Webhook.Properties or
// produced by encoding/json) into a tree value, building fresh objects so
// the tree can be changed without touching the original. Maps become
// dictionaries with sorted keys so output is deterministic.
func plainToWire(v any) any {
	switch t := v.(type) {
	case nil, bool, string, json.Number, int, int8, int16, int32, int64,
		uint, uint8, uint16, uint32, uint64, float32, float64:
		return t
	case *wireObject:
		if t == nil {
			return nil
		}
		o := &wireObject{Record: t.Record, PairName: t.PairName,
			Keys: make([]string, 0, len(t.Keys)), Values: make([]any, 0, len(t.Values))}
		for i, k := range t.Keys {
			o.add(k, plainToWire(t.Values[i]))
		}
		return o
	case []any:
		if t == nil {
			return nil
		}
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = plainToWire(e)
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
		o := &wireObject{Keys: wireSortedKeys(t)}
		o.Values = make([]any, len(o.Keys))
		for i, k := range o.Keys {
			o.Values[i] = plainToWire(t[k])
		}
		return o
	case map[string]string:
		if t == nil {
			return nil
		}
		o := &wireObject{Keys: wireSortedKeys(t), PairName: "StringKeyValuePair"}
		o.Values = make([]any, len(o.Keys))
		for i, k := range o.Keys {
			o.Values[i] = t[k]
		}
		return o
	case time.Time:
		return FormatTime(t)
	}
	// Other types (structs, typed slices): take their JSON form.
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	tree, err := parseWire(b, wireLimits{MaxDepth: 64, MaxValues: 1 << 20, MaxMembers: 1 << 20})
	if err != nil {
		return fmt.Sprint(v)
	}
	return tree
}

// wireSortedKeys returns the keys of m in ascending order.
func wireSortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// wireToPlain converts a tree value into the plain Go values the core
// expects in Properties and SignalEvent data: nil, bool, string, int64 (for
// integral numbers that fit), float64, []any and map[string]any.
func wireToPlain(v any) (any, error) {
	switch t := v.(type) {
	case nil, bool, string:
		return t, nil
	case json.Number:
		return numberToPlain(t)
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			p, err := wireToPlain(e)
			if err != nil {
				return nil, err
			}
			out[i] = p
		}
		return out, nil
	case *wireObject:
		m := make(map[string]any, len(t.Keys))
		for i, k := range t.Keys {
			p, err := wireToPlain(t.Values[i])
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
		return nil, Errorf(KindInvalid, errTypeSerialization, "number %s is out of range", n)
	}
	return f, nil
}

// wireInt32 reads an int32 from a number or a numeric string (NetServer's
// serializer accepts both); name is used in the error message.
func wireInt32(v any, name string) (int32, error) {
	var s string
	switch t := v.(type) {
	case json.Number:
		s = string(t)
	case string:
		s = strings.TrimSpace(t)
	case int64:
		s = strconv.FormatInt(t, 10)
	case int32:
		return t, nil
	case int:
		s = strconv.Itoa(t)
	case float64:
		s = strconv.FormatFloat(t, 'f', -1, 64)
	default:
		return 0, Errorf(KindInvalid, errTypeSerialization, "%s must be an integer, not %s", name, wireKind(v))
	}
	i, err := strconv.ParseInt(s, 10, 32)
	if err != nil {
		// Accept integral values written with a fraction or exponent (5.0, 1e2).
		f, ferr := strconv.ParseFloat(s, 64)
		if ferr != nil || f != math.Trunc(f) || f < math.MinInt32 || f > math.MaxInt32 {
			return 0, Errorf(KindInvalid, errTypeSerialization, "%s must be a 32-bit integer, not %q", name, s)
		}
		return int32(f), nil
	}
	return int32(i), nil
}

// wireString reads a string or null; name is used in the error message.
func wireString(v any, name string) (string, error) {
	switch t := v.(type) {
	case nil:
		return "", nil
	case string:
		return t, nil
	}
	return "", Errorf(KindInvalid, errTypeSerialization, "%s must be a string or null, not %s", name, wireKind(v))
}

// wireBool reads a boolean (or its string form); name is used in the error
// message.
func wireBool(v any, name string) (bool, error) {
	switch t := v.(type) {
	case bool:
		return t, nil
	case nil:
		return false, nil
	case string:
		if b, err := strconv.ParseBool(strings.TrimSpace(t)); err == nil {
			return b, nil
		}
	}
	return false, Errorf(KindInvalid, errTypeSerialization, "%s must be a boolean, not %s", name, wireKind(v))
}

// wireState reads a WebhookState given as a name (any case) or a number
// (spec §9 #1); null means Unknown.
func wireState(v any, name string) (State, error) {
	var s string
	switch t := v.(type) {
	case nil:
		return StateUnknown, nil
	case string:
		s = t
	case json.Number:
		s = string(t)
	case int64:
		s = strconv.FormatInt(t, 10)
	default:
		return 0, Errorf(KindInvalid, errTypeSerialization, "%s must be a state name or number, not %s", name, wireKind(v))
	}
	st, err := ParseState(s)
	if err != nil {
		return 0, &Error{Kind: KindInvalid, Type: errTypeSerialization, Message: name + ": " + err.Error(), Err: err}
	}
	return st, nil
}

// wireTime reads a date-time string; null and "" are the zero time. It
// accepts RFC 3339 with or without offset and fraction (the wire format of
// FormatTime has no offset and means UTC). DateTime.MinValue shifted into
// the year 0 by a client's time zone is the zero time too
// (isShiftedMinValue).
func wireTime(v any, name string) (time.Time, error) {
	s, err := wireString(v, name)
	if err != nil || strings.TrimSpace(s) == "" {
		return time.Time{}, err
	}
	t, err := parseWireTime(strings.TrimSpace(s))
	if err != nil {
		if isShiftedMinValue(strings.TrimSpace(s)) {
			return time.Time{}, nil
		}
		return time.Time{}, Errorf(KindInvalid, errTypeSerialization, "%s: %q is not a date-time", name, s)
	}
	return t, nil
}

// isShiftedMinValue reports whether s is an RFC 3339 instant in the day
// before 0001-01-01T00:00:00Z. That is how a client east of UTC writes
// back the "0001-01-01T00:00:00" it was sent: the official TypeScript
// client (@superoffice/webapi) parses offset-less dates as local time and
// sends Date objects in UTC, so in Europe/Oslo CreateDefaultWebhook's
// Registered comes back to SaveWebhook as "0000-12-31T23:06:32.000Z".
func isShiftedMinValue(s string) bool {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return false
	}
	minValue := time.Time{}
	return t.Before(minValue) && !t.Before(minValue.Add(-24*time.Hour))
}

// parseWireTime parses the date-time layouts clients send: RFC 3339 (with
// offset) and the offset-less form of TimeFormat, taken as UTC. Like .NET's
// DateTime it refuses instants outside the years 1 to 9999 in UTC, which
// FormatTime could not write back.
func parseWireTime(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02"} {
		t, err := time.Parse(layout, s)
		if err != nil {
			continue
		}
		t = t.UTC()
		if y := t.Year(); y < 1 || y > 9999 {
			return time.Time{}, fmt.Errorf("date-time %q is outside the years 1 to 9999", s)
		}
		return t, nil
	}
	return time.Time{}, fmt.Errorf("parse date-time %q", s)
}

// wireKind names the JSON type of v for error messages.
func wireKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case string:
		return "a string"
	case json.Number, int, int32, int64, float64:
		return "a number"
	case []any:
		return "an array"
	case *wireObject:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}

// webhookToWire builds the JSON/XML record of w in the field order of spec
// §1.1/§1.2 in the StandardWireFormat; empty strings, nil slices and nil
// maps are null.
func webhookToWire(w *Webhook) *wireObject { return webhookToWireIn(w, StandardWireFormat{}) }

// webhookToWireIn is webhookToWire with State and the dates spelled by f.
func webhookToWireIn(w *Webhook, f WireFormat) *wireObject {
	o := newRecord(15)
	o.add("WebhookId", int64(w.WebhookID))
	o.add("Name", nullString(w.Name))
	if w.Events == nil {
		o.add("Events", nil)
	} else {
		o.add("Events", plainToWire(w.Events))
	}
	o.add("TargetUrl", nullString(w.TargetURL))
	o.add("Secret", nullString(w.Secret))
	o.add("State", f.State(w.State))
	o.add("Type", nullString(w.Type))
	if w.Headers == nil {
		o.add("Headers", nil)
	} else {
		o.add("Headers", plainToWire(w.Headers))
	}
	if w.Properties == nil {
		o.add("Properties", nil)
	} else {
		o.add("Properties", plainToWire(w.Properties))
	}
	o.add("Registered", f.Time(w.Registered))
	o.add("RegisteredAssociate", associateToWire(w.RegisteredAssociate))
	o.add("Updated", f.Time(w.Updated))
	o.add("UpdatedAssociate", associateToWire(w.UpdatedAssociate))
	o.add("ErrorsEmail", nullString(w.ErrorsEmail))
	return o
}

// nullString returns nil for "" and s otherwise.
func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// associateToWire builds the Associate record (spec §1.5); nil is null.
// Fields the core does not keep get their defaults.
func associateToWire(a *Associate) any {
	if a == nil {
		return nil
	}
	typ := a.Type
	if typ == "" {
		typ = "Unknown"
	}
	o := newRecord(16)
	o.add("AssociateId", int64(a.AssociateID))
	o.add("Name", nullString(a.Name))
	o.add("PersonId", int64(a.PersonID))
	o.add("Rank", int64(0))
	o.add("Tooltip", nil)
	o.add("Type", typ)
	o.add("GroupIdx", int64(0))
	o.add("FullName", nullString(a.FullName))
	o.add("FormalName", nil)
	o.add("Deleted", false)
	o.add("EjUserId", int64(0))
	o.add("UserName", nullString(a.UserName))
	o.add("ExtraFields", nil)
	o.add("CustomFields", nil)
	o.add("TableRight", nil)
	o.add("FieldProperties", nil)
	return o
}

// resultToWire builds the WebhookResult record (spec §1.6).
func resultToWire(r WebhookResult) *wireObject {
	o := newRecord(4)
	o.add("Success", r.Success)
	o.add("Message", nullString(r.Message))
	o.add("TableRight", nil)
	o.add("FieldProperties", nil)
	return o
}

// webhookFromWire decodes a Webhook from a parsed request body. Property
// names match case-insensitively (PascalCase and camelCase clients), State
// may be a name or a number, unknown properties are ignored and, for
// duplicated properties, the last one wins. A value of the wrong type is a
// KindInvalid error.
func webhookFromWire(v any) (Webhook, error) {
	var w Webhook
	obj, ok := v.(*wireObject)
	if !ok {
		return w, Errorf(KindInvalid, errTypeSerialization, "a Webhook must be a JSON object, not %s", wireKind(v))
	}
	for i, key := range obj.Keys {
		val := obj.Values[i]
		var err error
		switch strings.ToLower(key) {
		case "webhookid":
			if val == nil {
				w.WebhookID = 0
			} else {
				w.WebhookID, err = wireInt32(val, "WebhookId")
			}
		case "name":
			w.Name, err = wireString(val, "Name")
		case "events":
			w.Events, err = wireStrings(val, "Events")
		case "targeturl":
			w.TargetURL, err = wireString(val, "TargetUrl")
		case "secret":
			w.Secret, err = wireString(val, "Secret")
		case "state":
			w.State, err = wireState(val, "State")
		case "type":
			w.Type, err = wireString(val, "Type")
		case "headers":
			w.Headers, err = wireStringMap(val, "Headers")
		case "properties":
			w.Properties, err = wireAnyMap(val, "Properties")
		case "registered":
			w.Registered, err = wireTime(val, "Registered")
		case "registeredassociate":
			w.RegisteredAssociate, err = associateFromWire(val, "RegisteredAssociate")
		case "updated":
			w.Updated, err = wireTime(val, "Updated")
		case "updatedassociate":
			w.UpdatedAssociate, err = associateFromWire(val, "UpdatedAssociate")
		case "errorsemail":
			w.ErrorsEmail, err = wireString(val, "ErrorsEmail")
		}
		if err != nil {
			return Webhook{}, err
		}
	}
	return w, nil
}

// wireStrings reads an array of strings or null.
func wireStrings(v any, name string) ([]string, error) {
	switch t := v.(type) {
	case nil:
		return nil, nil
	case []any:
		out := make([]string, len(t))
		for i, e := range t {
			s, ok := e.(string)
			if !ok {
				return nil, Errorf(KindInvalid, errTypeSerialization, "%s[%d] must be a string, not %s", name, i, wireKind(e))
			}
			out[i] = s
		}
		return out, nil
	}
	return nil, Errorf(KindInvalid, errTypeSerialization, "%s must be an array of strings or null, not %s", name, wireKind(v))
}

// wireStringMap reads an object of string values or null. Numbers and
// booleans are taken as their text, as NetServer's serializer does.
func wireStringMap(v any, name string) (map[string]string, error) {
	switch t := v.(type) {
	case nil:
		return nil, nil
	case *wireObject:
		m := make(map[string]string, len(t.Keys))
		for i, k := range t.Keys {
			switch e := t.Values[i].(type) {
			case string:
				m[k] = e
			case json.Number:
				m[k] = string(e)
			case bool:
				m[k] = strconv.FormatBool(e)
			case nil:
				m[k] = ""
			default:
				return nil, Errorf(KindInvalid, errTypeSerialization, "%s[%q] must be a string, not %s", name, k, wireKind(e))
			}
		}
		return m, nil
	}
	return nil, Errorf(KindInvalid, errTypeSerialization, "%s must be an object or null, not %s", name, wireKind(v))
}

// wireAnyMap reads an object of any values or null into plain Go values.
func wireAnyMap(v any, name string) (map[string]any, error) {
	switch t := v.(type) {
	case nil:
		return nil, nil
	case *wireObject:
		p, err := wireToPlain(t)
		if err != nil {
			return nil, err
		}
		m, _ := p.(map[string]any)
		return m, nil
	}
	return nil, Errorf(KindInvalid, errTypeSerialization, "%s must be an object or null, not %s", name, wireKind(v))
}

// associateFromWire reads an Associate object or null.
func associateFromWire(v any, name string) (*Associate, error) {
	if v == nil {
		return nil, nil
	}
	obj, ok := v.(*wireObject)
	if !ok {
		return nil, Errorf(KindInvalid, errTypeSerialization, "%s must be an object or null, not %s", name, wireKind(v))
	}
	a := &Associate{}
	for i, key := range obj.Keys {
		val := obj.Values[i]
		var err error
		switch strings.ToLower(key) {
		case "associateid":
			if val != nil {
				a.AssociateID, err = wireInt32(val, name+".AssociateId")
			}
		case "name":
			a.Name, err = wireString(val, name+".Name")
		case "personid":
			if val != nil {
				a.PersonID, err = wireInt32(val, name+".PersonId")
			}
		case "fullname":
			a.FullName, err = wireString(val, name+".FullName")
		case "username":
			a.UserName, err = wireString(val, name+".UserName")
		case "type":
			a.Type, err = wireString(val, name+".Type")
		}
		if err != nil {
			return nil, err
		}
	}
	return a, nil
}

// encodeWebhookJSON returns the JSON of w exactly as the Agents front end
// sends it (no _Links).
func encodeWebhookJSON(w *Webhook) []byte {
	return appendWireJSON(nil, webhookToWire(w))
}

// decodeWebhookJSON parses and decodes one Webhook from a JSON body within
// the default limits.
func decodeWebhookJSON(data []byte) (Webhook, error) {
	tree, err := parseWire(data, defaultWireLimits)
	if err != nil {
		return Webhook{}, err
	}
	return webhookFromWire(tree)
}
