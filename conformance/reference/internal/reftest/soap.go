package reftest

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// Helpers shared by the SOAP tests. Responses are read with a small DOM
// built here on encoding/xml, independent of the parser under test.

const (
	SOAPNS88   = "http://www.superoffice.net/ws/crm/NetServer/Services88"
	SOAPNS87   = "http://www.superoffice.net/ws/crm/NetServer/Services87"
	SOAPEnv11  = "http://schemas.xmlsoap.org/soap/envelope/"
	SOAPEnv12  = "http://www.w3.org/2003/05/soap-envelope"
	XSI        = "http://www.w3.org/2001/XMLSchema-instance"
	SOAPArrays = "http://schemas.microsoft.com/2003/10/Serialization/Arrays"
	SOAPPath88 = "/Remote/Services88/Webhook.svc"
	SOAPPath87 = "/Remote/Services87/Webhook.svc"
	SOAPTicket = "7T:soap-test-ticket"
)

// SOAPEnvelope builds a request envelope. version is 11 or 12; header
// is the content of Header (omitted when empty); body the content of Body.
func SOAPEnvelope(version int, ns, header, body string) string {
	envNS := SOAPEnv11
	if version == 12 {
		envNS = SOAPEnv12
	}
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="utf-8"?>`)
	fmt.Fprintf(&b, `<s:Envelope xmlns:s="%s" xmlns:xsi="%s" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:arr="%s" xmlns:w="%s">`,
		envNS, XSI, SOAPArrays, ns)
	if header != "" {
		b.WriteString("<s:Header>" + header + "</s:Header>")
	}
	b.WriteString("<s:Body>" + body + "</s:Body></s:Envelope>")
	return b.String()
}

// SOAPCredentials is the ApplicationToken and Credentials header pair.
func SOAPCredentials(token, ticket string) string {
	var b strings.Builder
	if token != "" {
		b.WriteString("<w:ApplicationToken>" + token + "</w:ApplicationToken>")
	}
	b.WriteString("<w:Credentials><w:Ticket>" + ticket + "</w:Ticket></w:Credentials>")
	return b.String()
}

// SOAPNode is one element of a response document.
type SOAPNode struct {
	Name     xml.Name
	Attr     []xml.Attr
	Children []*SOAPNode
	Text     string
}

// ParseSOAP reads data into a SOAPNode tree.
func ParseSOAP(data []byte) (*SOAPNode, error) {
	d := xml.NewDecoder(bytes.NewReader(data))
	var stack []*SOAPNode
	var root *SOAPNode
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			n := &SOAPNode{Name: t.Name, Attr: t.Copy().Attr}
			if len(stack) == 0 {
				if root != nil {
					return nil, errors.New("second root element")
				}
				root = n
			} else {
				p := stack[len(stack)-1]
				p.Children = append(p.Children, n)
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].Text += string(t)
			}
		}
	}
	if root == nil {
		return nil, errors.New("no root element")
	}
	return root, nil
}

// Child returns the first child named local, or nil.
func (n *SOAPNode) Child(local string) *SOAPNode {
	if n == nil {
		return nil
	}
	for _, c := range n.Children {
		if c.Name.Local == local {
			return c
		}
	}
	return nil
}

// Path follows child names from n.
func (n *SOAPNode) Path(locals ...string) *SOAPNode {
	for _, l := range locals {
		n = n.Child(l)
	}
	return n
}

// Names returns the local names of n's children in order.
func (n *SOAPNode) Names() []string {
	names := make([]string, 0, len(n.Children))
	for _, c := range n.Children {
		names = append(names, c.Name.Local)
	}
	return names
}

// Nil reports whether n carries xsi:nil="true".
func (n *SOAPNode) Nil() bool {
	for _, a := range n.Attr {
		if a.Name.Space == XSI && a.Name.Local == "nil" && a.Value == "true" {
			return true
		}
	}
	return false
}

// AttrValue returns the attribute {space}local.
func (n *SOAPNode) AttrValue(space, local string) string {
	for _, a := range n.Attr {
		if a.Name.Space == space && a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

// SOAPReply is an HTTP answer of the SOAP endpoint.
type SOAPReply struct {
	Status      int
	ContentType string
	Raw         []byte
	Root        *SOAPNode
}

// Body returns the Body element.
func (r *SOAPReply) Body() *SOAPNode { return r.Root.Child("Body") }

// Fault returns the fault code and reason, or ok=false.
func (r *SOAPReply) Fault() (code, reason string, ok bool) {
	f := r.Body().Child("Fault")
	if f == nil {
		return "", "", false
	}
	if c := f.Child("faultcode"); c != nil {
		return c.Text, f.Child("faultstring").Text, true
	}
	return f.Path("Code", "Value").Text, f.Path("Reason", "Text").Text, true
}

// Succeeded returns the text of the Succeeded header.
func (r *SOAPReply) Succeeded() string { return r.Root.Path("Header", "Succeeded").Text }

// Exception returns the ExceptionInfo header.
func (r *SOAPReply) Exception() *SOAPNode { return r.Root.Path("Header", "ExceptionInfo") }

// Response returns <Body><opResponse><Response>.
func (r *SOAPReply) Response(op string) *SOAPNode {
	return r.Body().Path(op+"Response", "Response")
}

// SOAPPost sends an envelope. version 11 sends text/xml and a
// SOAPAction header naming op (when op is not empty); 12 sends
// application/soap+xml with an action parameter.
func SOAPPost(ctx context.Context, url string, version int, ns, op, envelope string, header http.Header) (*SOAPReply, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, strings.NewReader(envelope))
	if err != nil {
		return nil, err
	}
	action := ""
	if op != "" {
		action = ns + "/Webhook/" + op
	}
	if version == 12 {
		ct := "application/soap+xml; charset=utf-8"
		if action != "" {
			ct += `; action="` + action + `"`
		}
		req.Header.Set("Content-Type", ct)
	} else {
		req.Header.Set("Content-Type", "text/xml; charset=utf-8")
		if action != "" {
			req.Header.Set("SOAPAction", `"`+action+`"`)
		}
	}
	for k, vs := range header {
		req.Header[k] = vs
	}
	return SOAPDo(req)
}

// SOAPDo sends req and parses the answer.
func SOAPDo(req *http.Request) (*SOAPReply, error) {
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	reply := &SOAPReply{Status: resp.StatusCode, ContentType: resp.Header.Get("Content-Type"), Raw: raw}
	if strings.Contains(reply.ContentType, "xml") {
		if reply.Root, err = ParseSOAP(raw); err != nil {
			return nil, fmt.Errorf("answer is not well-formed XML: %w\n%s", err, raw)
		}
	}
	return reply, nil
}
