package soap

import (
	"errors"
	"net/http"

	"github.com/hookcheck/hookcheck/conformance/reference"
	"github.com/hookcheck/hookcheck/conformance/reference/internal/rpc"
)

// This file exposes the SOAP front end's internals to the external test
// package (soap_test) so the envelope parser and the codec can be
// tested without the core.

// SOAPEnvelopeView is what the tests see of a parsed request envelope.
type SOAPEnvelopeView struct {
	Version   int // 11 or 12
	AppToken  string
	Ticket    string
	Operation string // "{namespace}Local"
	// TimeZone is the TimeZone header's SoTimeZoneLocationCode.
	TimeZone string
	// NotUnderstood are the mustUnderstand blocks not understood, as
	// "{namespace}Local".
	NotUnderstood []string
}

// ParseSOAPEnvelopeForTest parses data under the default limits.
func ParseSOAPEnvelopeForTest(data []byte) (SOAPEnvelopeView, error) {
	return ParseSOAPEnvelopeWithLimits(data, defaultSOAPLimits.MaxBytes, defaultSOAPLimits.MaxDepth, defaultSOAPLimits.MaxNodes)
}

// ParseSOAPEnvelopeWithLimits parses data under the given limits.
func ParseSOAPEnvelopeWithLimits(data []byte, maxBytes int64, maxDepth, maxNodes int) (SOAPEnvelopeView, error) {
	env, err := parseSOAPEnvelope(data, soapLimits{MaxBytes: maxBytes, MaxDepth: maxDepth, MaxNodes: maxNodes})
	if env == nil {
		return SOAPEnvelopeView{}, err
	}
	v := SOAPEnvelopeView{Version: int(env.Version), AppToken: env.AppToken, Ticket: env.Ticket, TimeZone: env.TimeZone}
	for _, n := range env.NotUnderstood {
		v.NotUnderstood = append(v.NotUnderstood, "{"+n.Space+"}"+n.Local)
	}
	if env.Operation != nil {
		v.Operation = "{" + env.Operation.Name.Space + "}" + env.Operation.Name.Local
	}
	return v, err
}

// IsSOAPLimitError reports whether err came from exceeding a parse limit.
func IsSOAPLimitError(err error) bool { return errors.Is(err, errSOAPLimit) }

// SOAPDefaultLimits returns the default body, depth and node limits.
func SOAPDefaultLimits() (maxBytes int64, maxDepth, maxNodes int) {
	return defaultSOAPLimits.MaxBytes, defaultSOAPLimits.MaxDepth, defaultSOAPLimits.MaxNodes
}

// ReadSOAPOperationForTest parses data and reads the arguments of its
// operation (the work done before the core is called); it never calls the
// core.
func ReadSOAPOperationForTest(data []byte) error {
	env, err := parseSOAPEnvelope(data, defaultSOAPLimits)
	if err != nil {
		return err
	}
	op := rpc.Lookup(env.Operation.Name.Local)
	if op == nil {
		return errors.New("unknown operation " + env.Operation.Name.Local)
	}
	_, err = op.Read(arguments{env.Operation})
	return err
}

// DecodeSOAPWebhookArgument parses a SaveWebhook/TestWebhook request and
// returns its Webhook argument.
func DecodeSOAPWebhookArgument(data []byte) (wh reference.Webhook, present bool, err error) {
	env, err := parseSOAPEnvelope(data, defaultSOAPLimits)
	if err != nil {
		return reference.Webhook{}, false, err
	}
	return soapWebhookArgument(env.Operation)
}

// DecodeSOAPData parses a request and returns the StringObjectDictionary
// in its operation element's Data child.
func DecodeSOAPData(data []byte) (map[string]any, error) {
	env, err := parseSOAPEnvelope(data, defaultSOAPLimits)
	if err != nil {
		return nil, err
	}
	return decodeSOAPObjectDictionary(env.Operation.child("Data"))
}

// EncodeSOAPSaveRequest writes a SOAP 1.1 SaveWebhook request carrying wh,
// with the encoder the responses use.
func EncodeSOAPSaveRequest(ns string, wh reference.Webhook) []byte {
	var w soapWriter
	w.open("s:Envelope", "xmlns:s", soap11EnvelopeNS, "xmlns:xsi", xsiNS, "xmlns:xs", xsdNS,
		"xmlns:a", arraysNS, "xmlns:tns", ns)
	w.open("s:Body")
	w.open("SaveWebhook", "xmlns", ns)
	writeSOAPWebhook(&w, "Webhook", wh)
	w.close("SaveWebhook")
	w.close("s:Body")
	w.close("s:Envelope")
	return w.Bytes()
}

// EncodeSOAPWebhookResponse writes the success response of GetWebhook for
// wh in SOAP version (11 or 12).
func EncodeSOAPWebhookResponse(version int, ns string, wh reference.Webhook) []byte {
	return writeSOAPResponse(soapVersion(version), ns, "GetWebhook", nil, func(w *soapWriter) {
		writeSOAPWebhook(w, "Response", wh)
	})
}

// EncodeSOAPErrorResponse writes the failure response of op for e.
func EncodeSOAPErrorResponse(version int, ns, op string, e *reference.Error) []byte {
	return writeSOAPResponse(soapVersion(version), ns, op, e, nil)
}

// EncodeSOAPFault writes a Fault in SOAP version (11 or 12).
func EncodeSOAPFault(version int, client bool, reason string) []byte {
	return writeSOAPFault(soapVersion(version), soapFault{Client: client, Reason: reason})
}

// SOAPWSDL returns the WSDL served for ns at address.
func SOAPWSDL(ns, address string) []byte { return soapWSDL(ns, address) }

// NewSOAPHandlerForTest mounts the SOAP endpoint directly, without the
// package router.
func NewSOAPHandlerForTest(s *reference.Service, a reference.Auth, ns string) http.Handler {
	return New(s, a, nil, ns)
}
