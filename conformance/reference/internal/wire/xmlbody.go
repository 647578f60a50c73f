package wire

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/hookcheck/hookcheck/conformance/reference"
)

// This file reads XML request bodies (Content-Type application/xml or
// text/xml, spec §2.1) into the same tree as JSON: the shape the XML
// writer (xml.go) produces. The root element is the entity; an element
// with i:nil="true" is null; an element whose children are all <string>
// (or another single repeated name such as <anyType>) is an array; an
// element of <StringKeyValuePair>/<StringObjectKeyValuePair> entries is a
// dictionary of their <Key> and <Value>; other elements with children are
// objects; leaves are strings (ToWebhook reads numbers and states from
// strings as NetServer does). Namespaces and prefixes are ignored.

// ErrTypeXMLReader is the ErrorType of an unreadable XML body.
const ErrTypeXMLReader = "XmlException"

// xmlElem is one element of a parsed XML body.
type xmlElem struct {
	name     string
	null     bool
	children []*xmlElem
	text     strings.Builder
}

// ParseXML parses an XML request body into the tree under lim. DTDs and
// other directives are refused, and so are documents beyond lim.
func ParseXML(data []byte, lim Limits) (any, error) {
	if !utf8.Valid(data) {
		return nil, xmlError("the body is not valid UTF-8")
	}
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	var stack []*xmlElem
	var root *xmlElem
	values := 0
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, xmlError(err.Error())
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if len(stack) >= lim.MaxDepth {
				return nil, xmlError(fmt.Sprintf("elements are nested deeper than %d levels", lim.MaxDepth))
			}
			if values++; values > lim.MaxValues {
				return nil, xmlError(fmt.Sprintf("the document has more than %d elements", lim.MaxValues))
			}
			e := &xmlElem{name: t.Name.Local}
			for _, a := range t.Attr {
				if a.Name.Local == "nil" && (a.Name.Space == wireXSINamespace || a.Name.Space == "i" || a.Name.Space == "xsi") {
					v := strings.TrimSpace(a.Value)
					e.null = v == "true" || v == "1"
				}
			}
			if len(stack) == 0 {
				if root != nil {
					return nil, xmlError("content after the document element")
				}
				root = e
			} else {
				parent := stack[len(stack)-1]
				if len(parent.children) >= lim.MaxMembers {
					return nil, xmlError(fmt.Sprintf("an element has more than %d children", lim.MaxMembers))
				}
				parent.children = append(parent.children, e)
			}
			stack = append(stack, e)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text.Write(t)
			} else if len(bytes.TrimSpace(t)) > 0 {
				return nil, xmlError("text outside the document element")
			}
		case xml.Directive:
			return nil, xmlError("DTDs and other <!...> declarations are not allowed")
		}
	}
	if root == nil {
		return nil, xmlError("the body holds no element")
	}
	if !root.null && len(root.children) == 0 && strings.TrimSpace(root.text.String()) == "" {
		return &Object{}, nil // <Webhook/>: an entity without members
	}
	return root.value(), nil
}

// xmlError is the 400 of an unreadable XML body.
func xmlError(msg string) error {
	return reference.Errorf(reference.KindInvalid, ErrTypeXMLReader, "the XML request body cannot be read: %s", msg)
}

// value turns e into a tree value.
func (e *xmlElem) value() any {
	switch {
	case e.null:
		return nil
	case len(e.children) == 0:
		return e.text.String()
	case e.isDictionary():
		o := &Object{}
		for _, kv := range e.children {
			var key string
			var val any
			for _, c := range kv.children {
				switch c.name {
				case "Key":
					key = c.text.String()
				case "Value":
					val = c.value()
				}
			}
			o.Keys = append(o.Keys, key)
			o.Values = append(o.Values, val)
		}
		return o
	case e.isArray():
		arr := make([]any, len(e.children))
		for i, c := range e.children {
			arr[i] = c.value()
		}
		return arr
	}
	o := &Object{}
	for _, c := range e.children {
		o.Keys = append(o.Keys, c.name)
		o.Values = append(o.Values, c.value())
	}
	return o
}

// isDictionary reports whether every child is a key/value entry.
func (e *xmlElem) isDictionary() bool {
	for _, c := range e.children {
		if c.name != "StringKeyValuePair" && c.name != "StringObjectKeyValuePair" {
			return false
		}
	}
	return true
}

// isArray reports whether the children are items of one array: all named
// string, anyType, int or another repeated name. A lone child counts as an
// array only when it is one of the item names the writer uses.
func (e *xmlElem) isArray() bool {
	first := e.children[0].name
	for _, c := range e.children[1:] {
		if c.name != first {
			return false
		}
	}
	switch first {
	case "string", "anyType", "int", "long", "boolean", "Webhook":
		return true
	}
	return len(e.children) > 1
}
