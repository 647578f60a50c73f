package driver

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// XML namespaces the SOAP codec reads and writes.
const (
	nsSOAP11 = "http://schemas.xmlsoap.org/soap/envelope/"
	nsSOAP12 = "http://www.w3.org/2003/05/soap-envelope"
	nsXSI    = "http://www.w3.org/2001/XMLSchema-instance"
	nsXSD    = "http://www.w3.org/2001/XMLSchema"
	nsArrays = "http://schemas.microsoft.com/2003/10/Serialization/Arrays"
)

// maxXMLDepth bounds the nesting the XML reader accepts.
const maxXMLDepth = 64

// xnode is one element of a parsed XML document. Lookups by name compare
// local names case-insensitively and ignore namespaces, so the codec
// tolerates the prefix and namespace variations of SOAP stacks.
type xnode struct {
	name     xml.Name
	attr     []xml.Attr
	children []*xnode
	text     string
}

// parseXML parses a whole document into its root element.
func parseXML(data []byte) (*xnode, error) {
	dec := xml.NewDecoder(bytes.NewReader(data))
	var stack []*xnode
	var root *xnode
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("parse XML: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if len(stack) >= maxXMLDepth {
				return nil, fmt.Errorf("parse XML: nested deeper than %d elements", maxXMLDepth)
			}
			n := &xnode{name: t.Name, attr: append([]xml.Attr(nil), t.Attr...)}
			if len(stack) == 0 {
				if root != nil {
					return nil, errors.New("parse XML: more than one root element")
				}
				root = n
			} else {
				parent := stack[len(stack)-1]
				parent.children = append(parent.children, n)
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text += string(t)
			}
		}
	}
	if root == nil {
		return nil, errors.New("parse XML: no root element")
	}
	return root, nil
}

// is reports whether n's local name is local (case-insensitively).
func (n *xnode) is(local string) bool {
	return n != nil && strings.EqualFold(n.name.Local, local)
}

// child returns the first child element named local, or nil.
func (n *xnode) child(local string) *xnode {
	if n == nil {
		return nil
	}
	for _, c := range n.children {
		if c.is(local) {
			return c
		}
	}
	return nil
}

// path follows child names from n.
func (n *xnode) path(locals ...string) *xnode {
	for _, l := range locals {
		n = n.child(l)
	}
	return n
}

// firstChild returns the first child element, or nil.
func (n *xnode) firstChild() *xnode {
	if n == nil || len(n.children) == 0 {
		return nil
	}
	return n.children[0]
}

// attrValue returns the value of the attribute with the given local name.
func (n *xnode) attrValue(local string) string {
	if n == nil {
		return ""
	}
	for _, a := range n.attr {
		if strings.EqualFold(a.Name.Local, local) && a.Name.Space != "xmlns" {
			return a.Value
		}
	}
	return ""
}

// isNil reports whether n is absent or marked xsi:nil="true".
func (n *xnode) isNil() bool {
	if n == nil {
		return true
	}
	for _, a := range n.attr {
		if a.Name.Local == "nil" && (a.Name.Space == nsXSI || a.Name.Space == "xsi") {
			return strings.TrimSpace(a.Value) == "true" || strings.TrimSpace(a.Value) == "1"
		}
	}
	return false
}

// value returns n's text, trimmed; "" for a missing node.
func (n *xnode) value() string {
	if n == nil {
		return ""
	}
	return strings.TrimSpace(n.text)
}

// xmlText escapes s for element content.
func xmlText(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

// raw re-serialises n (names without prefixes), for evidence and Raw.
func (n *xnode) raw() string {
	if n == nil {
		return ""
	}
	var b strings.Builder
	n.write(&b)
	return b.String()
}

// write appends n and its children to b.
func (n *xnode) write(b *strings.Builder) {
	b.WriteString("<" + n.name.Local)
	for _, a := range n.attr {
		if a.Name.Space == "xmlns" || a.Name.Local == "xmlns" {
			continue
		}
		fmt.Fprintf(b, " %s=%q", a.Name.Local, a.Value)
	}
	if len(n.children) == 0 && n.text == "" {
		b.WriteString("/>")
		return
	}
	b.WriteString(">")
	if len(n.children) == 0 {
		b.WriteString(xmlText(n.text))
	}
	for _, c := range n.children {
		c.write(b)
	}
	b.WriteString("</" + n.name.Local + ">")
}
