package reftest

import (
	"bytes"
	"encoding/xml"
	"io"
)

// XMLNode is a generic XML element for assertions.
type XMLNode struct {
	XMLName  xml.Name
	Attrs    []xml.Attr `xml:",any,attr"`
	Text     string     `xml:",chardata"`
	Children []XMLNode  `xml:",any"`
}

// ParseXML parses an XML document strictly.
func ParseXML(data []byte) (*XMLNode, error) {
	var n XMLNode
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = true
	if err := dec.Decode(&n); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, err
	}
	return &n, nil
}

// Names returns the local names of n's children.
func (n *XMLNode) Names() []string {
	out := make([]string, len(n.Children))
	for i, c := range n.Children {
		out[i] = c.XMLName.Local
	}
	return out
}

// Child returns the first child named local.
func (n *XMLNode) Child(local string) *XMLNode {
	for i := range n.Children {
		if n.Children[i].XMLName.Local == local {
			return &n.Children[i]
		}
	}
	return nil
}

// IsNil reports whether n carries xsi:nil="true".
func (n *XMLNode) IsNil() bool {
	for _, a := range n.Attrs {
		if a.Name.Local == "nil" && a.Name.Space == "http://www.w3.org/2001/XMLSchema-instance" && a.Value == "true" {
			return true
		}
	}
	return false
}
