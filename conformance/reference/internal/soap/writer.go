package soap

import (
	"bytes"
	"encoding/xml"

	"github.com/hookcheck/hookcheck/conformance/reference"
)

// soapWriter builds an XML document into a buffer. It is deliberately tiny:
// the SOAP front end writes elements in WSDL order by hand, which keeps
// field order, nils and namespaces under exact control.
type soapWriter struct {
	buf    bytes.Buffer
	format reference.WireFormat // nil: StandardWireFormat
}

// wireFormat returns how entities written by w spell State and dates.
func (w *soapWriter) wireFormat() reference.WireFormat {
	if w.format == nil {
		return reference.StandardWireFormat{}
	}
	return w.format
}

// open writes a start tag. attrs are name/value pairs.
func (w *soapWriter) open(name string, attrs ...string) {
	w.buf.WriteByte('<')
	w.buf.WriteString(name)
	w.attrs(attrs)
	w.buf.WriteByte('>')
}

// close writes an end tag.
func (w *soapWriter) close(name string) {
	w.buf.WriteString("</")
	w.buf.WriteString(name)
	w.buf.WriteByte('>')
}

// empty writes an empty element <name attrs/>.
func (w *soapWriter) empty(name string, attrs ...string) {
	w.buf.WriteByte('<')
	w.buf.WriteString(name)
	w.attrs(attrs)
	w.buf.WriteString("/>")
}

// null writes <name xsi:nil="true"/>.
func (w *soapWriter) null(name string) { w.empty(name, "xsi:nil", "true") }

// leaf writes <name>text</name>, escaping text. attrs are name/value pairs.
func (w *soapWriter) leaf(name, text string, attrs ...string) {
	w.open(name, attrs...)
	w.text(text)
	w.close(name)
}

// str writes a nillable string: "" is the wire's null (model.go).
func (w *soapWriter) str(name, s string) {
	if s == "" {
		w.null(name)
		return
	}
	w.leaf(name, s)
}

// text writes escaped character data. Characters XML 1.0 cannot carry are
// replaced by U+FFFD, and \r and \n are escaped so they survive parsing.
func (w *soapWriter) text(s string) {
	// xml.EscapeText only fails when the writer fails; bytes.Buffer does not.
	_ = xml.EscapeText(&w.buf, []byte(s))
}

// attrs writes name="value" pairs with escaped values.
func (w *soapWriter) attrs(pairs []string) {
	for i := 0; i+1 < len(pairs); i += 2 {
		w.buf.WriteByte(' ')
		w.buf.WriteString(pairs[i])
		w.buf.WriteString(`="`)
		w.text(pairs[i+1])
		w.buf.WriteByte('"')
	}
}

// Bytes returns the document written so far.
func (w *soapWriter) Bytes() []byte { return w.buf.Bytes() }

// soapExceptionSource is the Source of every ExceptionInfo, as in the
// ErrorSource of the documented REST error body (spec §2.1).
const soapExceptionSource = "SuperOffice.Services.Implementation"

// writeSOAPResponse writes a complete response envelope in version v for
// operation op of namespace ns. When exc is nil the call succeeded: the
// headers say Succeeded=true with a nil ExceptionInfo, and body writes the
// contents of <opResponse>. Otherwise (spec §9 #21) ExceptionInfo describes
// exc, Succeeded is false and the response element is empty.
func writeSOAPResponse(v soapVersion, ns, op string, exc *reference.Error, body func(*soapWriter)) []byte {
	return writeSOAPResponseIn(reference.StandardWireFormat{}, v, ns, op, "", exc, body)
}

// writeSOAPResponseIn is writeSOAPResponse with the entities in the body
// spelled by format. tz is the TimeZone location code the request named,
// echoed in the TimeZone response header ("" writes it nil).
func writeSOAPResponseIn(format reference.WireFormat, v soapVersion, ns, op, tz string, exc *reference.Error, body func(*soapWriter)) []byte {
	w := soapWriter{format: format}
	w.buf.WriteString(xml.Header)
	w.open("s:Envelope",
		"xmlns:s", v.envelopeNS(),
		"xmlns:xsi", xsiNS,
		"xmlns:xs", xsdNS,
		"xmlns:a", arraysNS,
		"xmlns:tns", ns)
	w.open("s:Header")
	if exc == nil {
		w.empty("ExceptionInfo", "xmlns", ns, "xsi:nil", "true")
	} else {
		w.open("ExceptionInfo", "xmlns", ns)
		writeSOAPException(&w, exc)
		w.close("ExceptionInfo")
	}
	w.empty("ExtraInfo", "xmlns", ns, "xsi:nil", "true")
	succeeded := "true"
	if exc != nil {
		succeeded = "false"
	}
	w.leaf("Succeeded", succeeded, "xmlns", ns)
	if tz == "" {
		w.empty("TimeZone", "xmlns", ns, "xsi:nil", "true")
	} else {
		w.open("TimeZone", "xmlns", ns)
		w.leaf("SoTimeZoneId", "0")
		w.leaf("SoTimeZoneLocationCode", tz)
		w.close("TimeZone")
	}
	w.close("s:Header")
	w.open("s:Body")
	name := op + "Response"
	if exc != nil || body == nil {
		w.empty(name, "xmlns", ns)
	} else {
		w.open(name, "xmlns", ns)
		body(&w)
		w.close(name)
	}
	w.close("s:Body")
	w.close("s:Envelope")
	return w.Bytes()
}

// writeSOAPException writes the SoExceptionInfo fields of e in WSDL order.
func writeSOAPException(w *soapWriter, e *reference.Error) {
	typ := e.Type
	if typ == "" {
		typ = "Exception"
	}
	w.leaf("Message", e.Message)
	w.leaf("StackTrace", "")
	w.leaf("FriendlyText", e.Message)
	w.leaf("ExceptionType", typ)
	w.leaf("Source", soapExceptionSource)
	w.null("InnerException")
	w.null("Parameters")
}

// soapFault is a protocol-level failure answered with a SOAP Fault instead
// of ExceptionInfo: the request could not be read as a call at all.
type soapFault struct {
	Status int  // HTTP status of the answer
	Client bool // the sender is at fault (Client/Sender) rather than the server
	Reason string
	// NotUnderstood, when set, makes this a MustUnderstand Fault naming
	// these header blocks (SOAP 1.2 also lists them in NotUnderstood
	// header blocks).
	NotUnderstood []xml.Name
}

// writeSOAPFault writes a Fault envelope in version v.
func writeSOAPFault(v soapVersion, f soapFault) []byte {
	var w soapWriter
	w.buf.WriteString(xml.Header)
	w.open("s:Envelope", "xmlns:s", v.envelopeNS())
	if v == soap12 && len(f.NotUnderstood) > 0 {
		w.open("s:Header")
		for _, n := range f.NotUnderstood {
			w.empty("s:NotUnderstood", "qname", "q:"+n.Local, "xmlns:q", n.Space)
		}
		w.close("s:Header")
	}
	w.open("s:Body")
	w.open("s:Fault")
	if v == soap12 {
		code := "s:Receiver"
		if f.Client {
			code = "s:Sender"
		}
		if len(f.NotUnderstood) > 0 {
			code = "s:MustUnderstand"
		}
		w.open("s:Code")
		w.leaf("s:Value", code)
		w.close("s:Code")
		w.open("s:Reason")
		w.leaf("s:Text", f.Reason, "xml:lang", "en")
		w.close("s:Reason")
	} else {
		code := "s:Server"
		if f.Client {
			code = "s:Client"
		}
		if len(f.NotUnderstood) > 0 {
			code = "s:MustUnderstand"
		}
		w.leaf("faultcode", code)
		w.leaf("faultstring", f.Reason, "xml:lang", "en")
	}
	w.close("s:Fault")
	w.close("s:Body")
	w.close("s:Envelope")
	return w.Bytes()
}
