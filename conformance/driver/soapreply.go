package driver

import (
	"fmt"
	"strings"
)

// SOAPReply is a successful SOAP answer as the wire carried it, for specs
// that judge the envelope itself (spec §2.5): its namespace, the
// wrapper's children and the decoded <Response>.
type SOAPReply struct {
	// EnvelopeNS is the namespace of the answer's Envelope (SOAP 1.1 or
	// 1.2).
	EnvelopeNS string
	// ContentType is the answer's Content-Type header.
	ContentType string
	// Wrapper is the local name of the Body's first element.
	Wrapper string
	// WrapperNS is its namespace.
	WrapperNS string
	// Children are the local names of the wrapper's child elements.
	Children []string
	// Header holds the local names of the answer's Header elements.
	Header []string
	// HeaderText maps each Header element's local name to its trimmed
	// text content, with child elements' texts joined by "|".
	HeaderText map[string]string

	response *xnode
}

// SOAPEnvelopeNS returns the envelope namespace of SOAP version v (SOAP11
// or SOAP12).
func SOAPEnvelopeNS(v string) string {
	if v == SOAP12 {
		return nsSOAP12
	}
	return nsSOAP11
}

// Reply checks a raw answer of operation op as every call does (no Fault,
// no ExceptionInfo, the <{op}Response> wrapper first in the Body) and
// returns what it carries.
func (d *SOAPDriver) Reply(op string, resp *Response) (*SOAPReply, error) {
	env, wrapper, err := unwrap(op, resp)
	if err != nil {
		return nil, err
	}
	r := &SOAPReply{
		EnvelopeNS:  env.name.Space,
		ContentType: resp.Header.Get("Content-Type"),
		Wrapper:     wrapper.name.Local,
		WrapperNS:   wrapper.name.Space,
		HeaderText:  map[string]string{},
		response:    wrapper.child("Response"),
	}
	for _, c := range wrapper.children {
		r.Children = append(r.Children, c.name.Local)
	}
	for _, h := range env.child("Header").childrenOrNil() {
		r.Header = append(r.Header, h.name.Local)
		r.HeaderText[h.name.Local] = h.joinedText()
	}
	return r, nil
}

// Webhook decodes the <Response> as a Webhook; nil when it is absent or
// xsi:nil.
func (r *SOAPReply) Webhook() (*Webhook, error) {
	wh, err := webhookFromXML(r.response)
	if err != nil {
		return nil, fmt.Errorf("soap %s: %w", r.Wrapper, err)
	}
	if wh != nil {
		wh.Raw = r.response.raw()
	}
	return wh, nil
}

// Webhooks decodes the <Response> as an ArrayOfWebhook.
func (r *SOAPReply) Webhooks() ([]Webhook, error) {
	out := []Webhook{}
	if r.response == nil {
		return out, nil
	}
	for i, c := range r.response.children {
		wh, err := webhookFromXML(c)
		if err != nil || wh == nil {
			return nil, fmt.Errorf("soap %s: item %d: %v", r.Wrapper, i, err)
		}
		wh.Raw = c.raw()
		out = append(out, *wh)
	}
	return out, nil
}

// ResponseChild returns the trimmed text of the <Response> child element
// named local ("" when absent).
func (r *SOAPReply) ResponseChild(local string) string { return r.response.child(local).value() }

// ResponseText returns the text of the <Response> element; ok is false
// when it is absent or xsi:nil.
func (r *SOAPReply) ResponseText() (text string, ok bool) {
	if r.response.isNil() {
		return "", false
	}
	return r.response.text, true
}

// childrenOrNil returns n's children; none for a missing node.
func (n *xnode) childrenOrNil() []*xnode {
	if n == nil {
		return nil
	}
	return n.children
}

// joinedText returns n's trimmed text, or its children's joined by "|".
func (n *xnode) joinedText() string {
	if len(n.children) == 0 {
		return n.value()
	}
	parts := make([]string, 0, len(n.children))
	for _, c := range n.children {
		parts = append(parts, c.joinedText())
	}
	return strings.Join(parts, "|")
}
