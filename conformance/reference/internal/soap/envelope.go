package soap

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// The namespaces of the SOAP front end.
const (
	soap11EnvelopeNS = "http://schemas.xmlsoap.org/soap/envelope/"
	soap12EnvelopeNS = "http://www.w3.org/2003/05/soap-envelope"
	xsiNS            = "http://www.w3.org/2001/XMLSchema-instance"
	xsdNS            = "http://www.w3.org/2001/XMLSchema"
	arraysNS         = "http://schemas.microsoft.com/2003/10/Serialization/Arrays"
	serializationNS  = "http://schemas.microsoft.com/2003/10/Serialization/"
	xmlnsAttrSpace   = "xmlns"
)

// soapVersion is the SOAP version of a request; the answer uses the same one.
type soapVersion int

// The SOAP versions the front end speaks (spec §9 #20).
const (
	soap11 soapVersion = 11
	soap12 soapVersion = 12
)

// envelopeNS returns the envelope namespace of v.
func (v soapVersion) envelopeNS() string {
	if v == soap12 {
		return soap12EnvelopeNS
	}
	return soap11EnvelopeNS
}

// contentType returns the media type of a message in version v.
func (v soapVersion) contentType() string {
	if v == soap12 {
		return "application/soap+xml; charset=utf-8"
	}
	return "text/xml; charset=utf-8"
}

// soapLimits bounds the work a request may cause. They are enforced while
// tokenising, so hostile input fails early instead of being built up first.
type soapLimits struct {
	MaxBytes int64 // request body size
	MaxDepth int   // element nesting depth
	MaxNodes int   // elements plus attributes in the whole document
}

// defaultSOAPLimits are generous for real envelopes (a SaveWebhook with
// thousands of events and headers) and small enough to refuse abuse.
var defaultSOAPLimits = soapLimits{
	MaxBytes: 4 << 20,
	MaxDepth: 64,
	MaxNodes: 100_000,
}

// errSOAPLimit marks a request refused because it exceeded a soapLimits bound.
var errSOAPLimit = errors.New("request exceeds a limit")

// soapNode is one element of a parsed document: a small read-only DOM that
// keeps the in-scope namespace declarations so QName values (xsi:type) can
// be resolved.
type soapNode struct {
	Name     xml.Name
	Attrs    []xml.Attr
	Children []*soapNode
	Text     string // character data directly inside the element

	parent *soapNode
	decls  map[string]string // prefix -> namespace declared on this element
	text   []byte
}

// soapEnvelope is a parsed request: its version, the credentials found in
// its header and the operation element (the first child of Body).
type soapEnvelope struct {
	Version   soapVersion
	AppToken  string
	Ticket    string
	HasTicket bool
	Operation *soapNode
	// TimeZone is the SoTimeZoneLocationCode of the TimeZone header ("" if
	// none): the answer's dates are converted to that zone (spec §2.5).
	TimeZone string
	// NotUnderstood are the Header blocks addressed to this node with
	// mustUnderstand set that the service does not understand; such a
	// request gets a MustUnderstand Fault and is not processed.
	NotUnderstood []xml.Name
	headerFound   bool
}

// understoodHeaders are the request header blocks of the WSDL (spec §2.5),
// in the service namespace; every other block is not understood.
var understoodHeaders = map[string]bool{"ApplicationToken": true, "Credentials": true, "TimeZone": true}

// parseSOAPEnvelope parses a SOAP 1.1 or 1.2 request under lim. When the
// document is well-formed and its root is a SOAP Envelope, the envelope is
// returned with Version set even together with an error, so the caller can
// answer in the version asked.
func parseSOAPEnvelope(data []byte, lim soapLimits) (*soapEnvelope, error) {
	root, err := parseSOAPTree(data, lim)
	if err != nil {
		return nil, err
	}
	env := &soapEnvelope{}
	switch root.Name.Space {
	case soap11EnvelopeNS:
		env.Version = soap11
	case soap12EnvelopeNS:
		env.Version = soap12
	default:
		return nil, fmt.Errorf("the document element {%s}%s is not a SOAP 1.1 or 1.2 Envelope", root.Name.Space, root.Name.Local)
	}
	if root.Name.Local != "Envelope" {
		return env, fmt.Errorf("the document element is %s, not Envelope", root.Name.Local)
	}
	var body *soapNode
	for _, c := range root.Children {
		switch {
		case c.Name.Space == root.Name.Space && c.Name.Local == "Header":
			if env.headerFound {
				return env, errors.New("the envelope has more than one Header")
			}
			env.headerFound = true
			env.readHeaders(c.Children)
			env.checkMustUnderstand(c.Children, root.Name.Space, opNamespace(root))
		case c.Name.Space == root.Name.Space && c.Name.Local == "Body":
			if body != nil {
				return env, errors.New("the envelope has more than one Body")
			}
			body = c
		}
	}
	// Spec §9 #20: the documentation samples put the header elements
	// straight into Envelope. Read them there when Header did not have them.
	env.readHeaders(root.Children)
	if body == nil {
		return env, errors.New("the envelope has no Body")
	}
	if len(body.Children) == 0 {
		return env, errors.New("the SOAP Body is empty: it must hold the operation element")
	}
	env.Operation = body.Children[0]
	return env, nil
}

// opNamespace returns the namespace of the operation element (the first
// child of Body), which is the service namespace of a well-formed call.
func opNamespace(root *soapNode) string {
	for _, c := range root.Children {
		if c.Name.Space == root.Name.Space && c.Name.Local == "Body" && len(c.Children) > 0 {
			return c.Children[0].Name.Space
		}
	}
	return ""
}

// checkMustUnderstand records the header blocks that carry mustUnderstand
// (SOAP 1.1 "1", SOAP 1.2 "true" or "1"), are addressed to this node (no
// actor/role, or the "next" / "ultimateReceiver" one) and are not among
// the understood headers of service namespace ns. WS-Addressing blocks are
// not understood (BasicHttpBinding has no addressing): without
// mustUnderstand they are ignored, with it they fault.
func (env *soapEnvelope) checkMustUnderstand(blocks []*soapNode, envNS, ns string) {
	for _, h := range blocks {
		mu, ok := h.attr(envNS, "mustUnderstand")
		if !ok {
			continue
		}
		switch strings.TrimSpace(mu) {
		case "1", "true":
		default:
			continue
		}
		if !addressedHere(h, envNS) {
			continue
		}
		if h.Name.Space == ns && understoodHeaders[h.Name.Local] {
			continue
		}
		env.NotUnderstood = append(env.NotUnderstood, h.Name)
	}
}

// addressedHere reports whether header block h targets this node: SOAP 1.1
// actor absent or ".../actor/next", SOAP 1.2 role absent, ".../role/next"
// or ".../role/ultimateReceiver".
func addressedHere(h *soapNode, envNS string) bool {
	if envNS == soap11EnvelopeNS {
		actor, ok := h.attr(envNS, "actor")
		return !ok || strings.TrimSpace(actor) == "" || strings.TrimSpace(actor) == "http://schemas.xmlsoap.org/soap/actor/next"
	}
	role, ok := h.attr(envNS, "role")
	switch strings.TrimSpace(role) {
	case "", soap12EnvelopeNS + "/role/next", soap12EnvelopeNS + "/role/ultimateReceiver":
		return true
	}
	return !ok
}

// readHeaders takes ApplicationToken and Credentials/Ticket from elems,
// keeping values already found.
func (env *soapEnvelope) readHeaders(elems []*soapNode) {
	for _, h := range elems {
		switch h.Name.Local {
		case "ApplicationToken":
			if env.AppToken == "" && !h.isNil() {
				env.AppToken = strings.TrimSpace(h.Text)
			}
		case "TimeZone":
			if env.TimeZone == "" && !h.isNil() {
				if c := h.child("SoTimeZoneLocationCode"); c != nil && !c.isNil() {
					env.TimeZone = strings.TrimSpace(c.Text)
				}
			}
		case "Credentials":
			if env.HasTicket {
				continue
			}
			if t := h.child("Ticket"); t != nil && !t.isNil() {
				env.Ticket = strings.TrimSpace(t.Text)
				env.HasTicket = env.Ticket != ""
			}
		}
	}
}

// parseSOAPTree tokenises data into a soapNode tree. It refuses invalid
// UTF-8, DTDs and other directives (so no entity can be declared, let alone
// expanded), undeclared entities, non-UTF-8 encodings, content after the
// document element, and documents beyond lim.
func parseSOAPTree(data []byte, lim soapLimits) (*soapNode, error) {
	if lim.MaxBytes > 0 && int64(len(data)) > lim.MaxBytes {
		return nil, fmt.Errorf("%w: the body has %d bytes, more than %d", errSOAPLimit, len(data), lim.MaxBytes)
	}
	if !utf8.Valid(data) {
		return nil, errors.New("malformed XML: the body is not valid UTF-8")
	}
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	// CharsetReader stays nil: an encoding other than UTF-8 is an error.
	// Entity stays nil: only the five predefined entities are known.
	var root, cur *soapNode
	depth, nodes := 0, 0
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("malformed XML: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if root != nil && cur == nil {
				return nil, errors.New("malformed XML: content after the document element")
			}
			depth++
			if depth > lim.MaxDepth {
				return nil, fmt.Errorf("%w: elements are nested deeper than %d levels", errSOAPLimit, lim.MaxDepth)
			}
			nodes += 1 + len(t.Attr)
			if nodes > lim.MaxNodes {
				return nil, fmt.Errorf("%w: the document has more than %d elements and attributes", errSOAPLimit, lim.MaxNodes)
			}
			t = t.Copy()
			n := &soapNode{Name: t.Name, Attrs: t.Attr, parent: cur}
			for _, a := range t.Attr {
				switch {
				case a.Name.Space == xmlnsAttrSpace:
					n.declare(a.Name.Local, a.Value)
				case a.Name.Space == "" && a.Name.Local == xmlnsAttrSpace:
					n.declare("", a.Value)
				}
			}
			if cur == nil {
				root = n
			} else {
				cur.Children = append(cur.Children, n)
			}
			cur = n
		case xml.EndElement:
			// The decoder has already checked that it matches.
			cur.Text = string(cur.text)
			cur.text = nil
			cur = cur.parent
			depth--
		case xml.CharData:
			if cur != nil {
				cur.text = append(cur.text, t...)
			} else if len(bytes.TrimSpace(t)) != 0 {
				return nil, errors.New("malformed XML: text outside the document element")
			}
		case xml.Directive:
			return nil, errors.New("malformed XML: DTDs and other <!...> declarations are not allowed")
		case xml.Comment, xml.ProcInst:
			// Comments and the XML declaration carry nothing.
		}
	}
	if root == nil {
		return nil, errors.New("malformed XML: the body holds no element")
	}
	return root, nil
}

// declare records a namespace declaration made on n.
func (n *soapNode) declare(prefix, ns string) {
	if n.decls == nil {
		n.decls = make(map[string]string, 2)
	}
	n.decls[prefix] = ns
}

// lookupPrefix resolves prefix in n's scope.
func (n *soapNode) lookupPrefix(prefix string) (string, bool) {
	if prefix == "xml" {
		return "http://www.w3.org/XML/1998/namespace", true
	}
	for e := n; e != nil; e = e.parent {
		if ns, ok := e.decls[prefix]; ok {
			return ns, true
		}
	}
	return "", false
}

// resolveQName resolves a QName value such as "xsd:int" in n's scope.
// An undeclared prefix yields ok=false and the local part.
func (n *soapNode) resolveQName(v string) (name xml.Name, ok bool) {
	v = strings.TrimSpace(v)
	prefix, local, found := strings.Cut(v, ":")
	if !found {
		prefix, local = "", v
	}
	ns, ok := n.lookupPrefix(prefix)
	return xml.Name{Space: ns, Local: local}, ok || prefix == ""
}

// attr returns the value of the attribute {space}local.
func (n *soapNode) attr(space, local string) (string, bool) {
	for _, a := range n.Attrs {
		if a.Name.Space == space && a.Name.Local == local {
			return a.Value, true
		}
	}
	return "", false
}

// isNil reports whether n carries xsi:nil="true".
func (n *soapNode) isNil() bool {
	v, ok := n.attr(xsiNS, "nil")
	v = strings.TrimSpace(v)
	return ok && (v == "true" || v == "1")
}

// child returns n's first child element named local, in any namespace.
func (n *soapNode) child(local string) *soapNode {
	for _, c := range n.Children {
		if c.Name.Local == local {
			return c
		}
	}
	return nil
}
