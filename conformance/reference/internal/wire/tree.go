// Package wire is the JSON and XML wire of the REST and Agents front ends:
// an ordered, case-insensitive, bounded JSON tree (Object and the plain
// values), its JSON and XML writers, the mapping of the model (package
// reference) to and from it, `$select` and JSON/Merge Patch. It knows
// nothing of HTTP routing or of the core's behaviour.
package wire

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/hookcheck/hookcheck/conformance/reference"
)

// This file is the tree and its bounded JSON parser. Request
// bodies are parsed into a small bounded tree (nil, bool, string,
// json.Number, []any, *Object) that keeps member order and lets property
// names be matched case-insensitively; responses are built as the same tree
// and written in the exact field order of spec §1.1/§1.2. The XML codec
// (xml.go), $select (selectfields.go) and PATCH (patch.go) work on the
// same tree.

// Limits bounds the work one parsed JSON document may cause.
type Limits struct {
	MaxDepth   int // nesting depth of arrays and objects
	MaxValues  int // values (scalars, arrays and objects) in the document
	MaxMembers int // elements of one array or members of one object
}

// DefaultLimits are generous for real webhooks (thousands of events or
// headers) and small enough to refuse abuse cheaply.
var DefaultLimits = Limits{
	MaxDepth:   32,
	MaxValues:  100_000,
	MaxMembers: 10_000,
}

// Error types reported for bad request bodies (the ErrorType of the §2.1
// error body). They name the .NET exceptions NetServer reports for the same
// faults.
const (
	ErrTypeJSONReader    = "JsonReaderException"
	ErrTypeSerialization = "JsonSerializationException"
	ErrTypeArgument      = "ArgumentException"
)

// Object is a JSON object that keeps its members in order. Record
// objects are entities with fixed members (Webhook, Associate, ...);
// other objects are dictionaries (Headers, Properties, values inside them,
// and every object parsed from a request). Duplicate member names are kept
// in order; lookups use the last one, which is what "last one wins" means.
type Object struct {
	Keys   []string
	Values []any
	// Record marks an entity with fixed members rather than a dictionary.
	Record bool
	// PairName is the XML element name of one dictionary entry
	// (StringKeyValuePair for string:string, StringObjectKeyValuePair
	// otherwise); empty means StringObjectKeyValuePair.
	PairName string
}

// NewRecord returns an empty record object with room for n members.
func NewRecord(n int) *Object {
	return &Object{Keys: make([]string, 0, n), Values: make([]any, 0, n), Record: true}
}

// Add appends a member without looking for an existing one.
func (o *Object) Add(key string, v any) {
	o.Keys = append(o.Keys, key)
	o.Values = append(o.Values, v)
}

// index returns the position of the last member named key (exact match),
// or -1.
func (o *Object) index(key string) int {
	for i := len(o.Keys) - 1; i >= 0; i-- {
		if o.Keys[i] == key {
			return i
		}
	}
	return -1
}

// indexFold returns the position of the member named key: the last exact
// match, else the last case-insensitive match, else -1.
func (o *Object) indexFold(key string) int {
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

// GetFold returns the value of the member named key, matched
// case-insensitively, and whether it exists.
func (o *Object) GetFold(key string) (any, bool) {
	if i := o.indexFold(key); i >= 0 {
		return o.Values[i], true
	}
	return nil, false
}

// remove deletes member i.
func (o *Object) remove(i int) {
	o.Keys = append(o.Keys[:i], o.Keys[i+1:]...)
	o.Values = append(o.Values[:i], o.Values[i+1:]...)
}

// ErrNoBody reports an empty request body where one is required.
var ErrNoBody = errors.New("request body is empty")

// Parse parses one JSON document within lim. It rejects invalid UTF-8,
// trailing data and documents beyond the limits with a KindInvalid *Error;
// an empty (or all-whitespace) document returns ErrNoBody.
func Parse(data []byte, lim Limits) (any, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, ErrNoBody
	}
	if !utf8.Valid(data) {
		return nil, reference.Errorf(reference.KindInvalid, ErrTypeJSONReader, "request body is not valid UTF-8")
	}
	p := parser{dec: json.NewDecoder(bytes.NewReader(data)), lim: lim}
	p.dec.UseNumber()
	v, err := p.value(0)
	if err != nil {
		return nil, err
	}
	if _, err := p.dec.Token(); !errors.Is(err, io.EOF) {
		return nil, reference.Errorf(reference.KindInvalid, ErrTypeJSONReader,
			"malformed JSON: unexpected data after the top-level value at offset %d", p.dec.InputOffset())
	}
	return v, nil
}

// parser builds a tree from a json.Decoder token stream, counting as it
// goes so that hostile input is refused before it is built up.
type parser struct {
	dec    *json.Decoder
	lim    Limits
	values int
}

// token returns the next token, turning decoder errors into *Error.
func (p *parser) token() (json.Token, error) {
	tok, err := p.dec.Token()
	if err != nil {
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return nil, &reference.Error{Kind: reference.KindInvalid, Type: ErrTypeJSONReader,
			Message: fmt.Sprintf("malformed JSON at offset %d: %v", p.dec.InputOffset(), err), Err: err}
	}
	return tok, nil
}

// value parses one value at the given depth.
func (p *parser) value(depth int) (any, error) {
	tok, err := p.token()
	if err != nil {
		return nil, err
	}
	p.values++
	if p.values > p.lim.MaxValues {
		return nil, reference.Errorf(reference.KindInvalid, ErrTypeJSONReader, "JSON document has more than %d values", p.lim.MaxValues)
	}
	d, ok := tok.(json.Delim)
	if !ok {
		return tok, nil // string, json.Number, bool or nil
	}
	if depth+1 > p.lim.MaxDepth {
		return nil, reference.Errorf(reference.KindInvalid, ErrTypeJSONReader, "JSON document is nested deeper than %d levels", p.lim.MaxDepth)
	}
	switch d {
	case '{':
		obj := &Object{}
		for p.dec.More() {
			kt, err := p.token()
			if err != nil {
				return nil, err
			}
			key, _ := kt.(string) // the decoder guarantees a string key here
			if len(obj.Keys) >= p.lim.MaxMembers {
				return nil, reference.Errorf(reference.KindInvalid, ErrTypeJSONReader, "JSON object has more than %d members", p.lim.MaxMembers)
			}
			v, err := p.value(depth + 1)
			if err != nil {
				return nil, err
			}
			obj.Add(key, v)
		}
		if _, err := p.token(); err != nil { // '}'
			return nil, err
		}
		return obj, nil
	case '[':
		arr := []any{}
		for p.dec.More() {
			if len(arr) >= p.lim.MaxMembers {
				return nil, reference.Errorf(reference.KindInvalid, ErrTypeJSONReader, "JSON array has more than %d elements", p.lim.MaxMembers)
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
	return nil, reference.Errorf(reference.KindInvalid, ErrTypeJSONReader, "malformed JSON: unexpected %q", d)
}
