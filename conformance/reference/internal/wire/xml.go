package wire

import (
	"encoding/json"
	"encoding/xml"
	"mime"
	"net/http"
	"strconv"
	"strings"
)

// This file is the XML codec of the REST and Agents front ends: with
// `Accept: application/xml` or `text/xml` (spec §2.1, §8) the same entities
// are sent as XML. Records become elements named after their members, null
// is xsi:nil, string arrays hold <string> items and dictionaries hold
// <StringKeyValuePair>/<StringObjectKeyValuePair> entries with <Key> and
// <Value>, as in the SOAP front end. XML request bodies in the same shape
// are read by ParseXML (xmlbody.go).

// wireXSINamespace is the XML Schema instance namespace bound to the "i"
// prefix on every XML root element.
const wireXSINamespace = "http://www.w3.org/2001/XMLSchema-instance"

// Format is the representation chosen for a response.
type Format struct {
	XML         bool
	ContentType string
}

// formatJSON is the JSON response format, the default of Negotiate.
var formatJSON = Format{ContentType: "application/json; charset=utf-8"}

// Negotiate picks JSON or XML from the Accept header: XML only when an
// XML type is acceptable with a strictly higher quality than every JSON type
// (so `*/*`, no header or a tie give JSON). `text/xml` is answered with
// that media type.
func Negotiate(accept string) Format {
	if accept == "" {
		return formatJSON
	}
	jsonQ, xmlQ := -1.0, -1.0
	xmlType := ""
	for part := range strings.SplitSeq(accept, ",") {
		mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		q := 1.0
		if qs, ok := params["q"]; ok {
			if f, err := strconv.ParseFloat(qs, 64); err == nil {
				q = f
			}
		}
		switch {
		case mt == "application/xml" || mt == "text/xml":
			if q > xmlQ {
				xmlQ, xmlType = q, mt
			}
		case mt == "application/json" || mt == "text/json" || strings.HasSuffix(mt, "+json") ||
			mt == "*/*" || mt == "application/*" || mt == "text/*":
			jsonQ = max(jsonQ, q)
		}
	}
	if xmlQ > 0 && xmlQ > jsonQ {
		return Format{XML: true, ContentType: xmlType + "; charset=utf-8"}
	}
	return formatJSON
}

// BodyMediaType returns the media type of the request's body ("" when
// it declares none or an unreadable one).
func BodyMediaType(r *http.Request) string {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil {
		return ""
	}
	return mt
}

// AppendXMLDocument appends a complete XML document whose root element
// is name and whose content is v. For arrays, item names each element.
func AppendXMLDocument(buf []byte, name, item string, v any) []byte {
	buf = append(buf, `<?xml version="1.0" encoding="utf-8"?>`...)
	return appendWireXML(buf, name, item, v, ` xmlns:i="`+wireXSINamespace+`"`)
}

// appendWireXML appends v as the element name. attrs is written verbatim in
// the start tag (the namespace declaration on the root).
func appendWireXML(buf []byte, name, item string, v any, attrs string) []byte {
	open := func(b []byte) []byte {
		b = append(b, '<')
		b = append(b, name...)
		return append(b, attrs...)
	}
	switch t := v.(type) {
	case nil:
		buf = open(buf)
		return append(buf, ` i:nil="true"/>`...)
	case *Object:
		if t == nil {
			return appendWireXML(buf, name, item, nil, attrs)
		}
		buf = open(buf)
		buf = append(buf, '>')
		if t.Record {
			for i, k := range t.Keys {
				buf = appendWireXML(buf, xmlElementName(k), "", t.Values[i], "")
			}
		} else {
			pair := t.PairName
			if pair == "" {
				pair = "StringObjectKeyValuePair"
			}
			for i, k := range t.Keys {
				buf = append(buf, '<')
				buf = append(buf, pair...)
				buf = append(buf, "><Key>"...)
				buf = appendXMLText(buf, k)
				buf = append(buf, "</Key>"...)
				buf = appendWireXML(buf, "Value", "", t.Values[i], "")
				buf = append(buf, "</"...)
				buf = append(buf, pair...)
				buf = append(buf, '>')
			}
		}
	case []any:
		if t == nil {
			return appendWireXML(buf, name, item, nil, attrs)
		}
		if item == "" {
			item = "anyType"
			if allStrings(t) {
				item = "string"
			}
		}
		buf = open(buf)
		buf = append(buf, '>')
		for _, e := range t {
			buf = appendWireXML(buf, item, "", e, "")
		}
	default:
		buf = open(buf)
		buf = append(buf, '>')
		buf = appendXMLText(buf, xmlScalarText(t))
	}
	buf = append(buf, "</"...)
	buf = append(buf, name...)
	return append(buf, '>')
}

// allStrings reports whether every element of a is a string.
func allStrings(a []any) bool {
	for _, e := range a {
		if _, ok := e.(string); !ok {
			return false
		}
	}
	return true
}

// xmlScalarText renders a scalar the way XML Schema writes it.
func xmlScalarText(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case json.Number:
		return string(t)
	case bool:
		return strconv.FormatBool(t)
	}
	return strings.Trim(string(AppendJSON(nil, v)), `"`)
}

// appendXMLText appends s escaped as XML character data. xml.EscapeText
// turns characters XML 1.0 cannot carry (most control characters, invalid
// UTF-8) into U+FFFD.
func appendXMLText(buf []byte, s string) []byte {
	var w strings.Builder
	_ = xml.EscapeText(&w, []byte(s)) // writing to a strings.Builder cannot fail
	return append(buf, w.String()...)
}

// xmlElementName turns a member name into a valid XML element name; record
// members are always valid already, so this only guards against surprises.
func xmlElementName(s string) string {
	if s == "" {
		return "_"
	}
	ok := true
	for i, r := range s {
		if !(r == '_' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || i > 0 && (r >= '0' && r <= '9' || r == '-' || r == '.')) {
			ok = false
			break
		}
	}
	if ok {
		return s
	}
	var b strings.Builder
	for i, r := range s {
		if r == '_' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || i > 0 && r >= '0' && r <= '9' {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	return b.String()
}
