// Package soap is the SOAP front end of the reference service (spec
// §2.5): the envelope parser, the XML codec of the WSDL types, the WSDL
// itself and the endpoint handler, over the core (package reference).
package soap

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"runtime/debug"
	"strconv"
	"strings"

	"github.com/hookcheck/hookcheck/conformance/reference"
	"github.com/hookcheck/hookcheck/conformance/reference/internal/rpc"
)

// The SOAP front end (spec §2.5) is a thin translation onto Service: it
// reads the envelope (envelope.go), maps arguments and results
// (codec.go, decode.go, ops.go; the operations are internal/rpc's) and reports core errors through the
// ExceptionInfo/Succeeded response headers (spec §9 #21). Requests it cannot
// read as a call at all get a SOAP Fault.

// The SOAP namespaces of the two mounted Webhook.svc endpoints (spec §2.5).
const (
	Namespace88 = "http://www.superoffice.net/ws/crm/NetServer/Services88"
	Namespace87 = "http://www.superoffice.net/ws/crm/NetServer/Services87"
)

// The canonical paths of the SOAP endpoints.
const (
	Path88 = "/Remote/Services88/Webhook.svc"
	Path87 = "/Remote/Services87/Webhook.svc"
)

// Endpoints maps the canonical path of each SOAP endpoint to its service
// namespace.
var Endpoints = map[string]string{Path88: Namespace88, Path87: Namespace87}

// New returns the SOAP endpoint of the Webhook service for the service
// namespace ns (Namespace88 or Namespace87): a checks the credentials and
// format spells State and the dates (nil: StandardWireFormat). It speaks
// SOAP 1.1 and 1.2 and answers in the version asked; a GET describes the
// service and `?wsdl` returns its WSDL.
func New(s *reference.Service, a reference.Authenticator, format reference.WireFormat, ns string) *Handler {
	if format == nil {
		format = reference.StandardWireFormat{}
	}
	return &Handler{svc: s, auth: a, ns: ns, limits: defaultSOAPLimits, format: format}
}

// Handler serves one SOAP endpoint.
type Handler struct {
	svc    *reference.Service
	auth   reference.Authenticator
	ns     string
	limits soapLimits
	format reference.WireFormat // how entities spell State and dates
}

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodPost:
		h.serveCall(w, r)
	case http.MethodGet, http.MethodHead:
		h.serveDescription(w, r)
	default:
		w.Header().Set("Allow", "GET, HEAD, POST")
		writeSOAPFaultResponse(w, soap11, http.StatusMethodNotAllowed, soapFault{
			Client: true,
			Reason: fmt.Sprintf("method %s is not allowed: POST a SOAP envelope, or GET the service description", r.Method),
		})
	}
}

// serveDescription answers a GET: the WSDL for `?wsdl` (or `?singleWsdl`),
// else a short HTML page naming the operations.
func (h *Handler) serveDescription(w http.ResponseWriter, r *http.Request) {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	address := scheme + "://" + r.Host + soapPublicPath(r)
	for key := range r.URL.Query() {
		if strings.EqualFold(key, "wsdl") || strings.EqualFold(key, "singleWsdl") {
			writeSOAPBody(w, "text/xml; charset=utf-8", http.StatusOK, soapWSDL(h.ns, address))
			return
		}
	}
	writeSOAPBody(w, "text/html; charset=utf-8", http.StatusOK, soapDescriptionPage(h.ns, address))
}

// soapPublicPath returns the path clients call the endpoint at. The router
// hands over a canonical r.URL.Path with any tenant prefix stripped; the
// prefix is taken back from the request line, in front of the canonical
// spelling.
func soapPublicPath(r *http.Request) string {
	u, err := url.ParseRequestURI(r.RequestURI)
	if err != nil || u.Path == "" {
		return r.URL.Path
	}
	sent, canonical := u.Path, r.URL.Path
	if len(sent) >= len(canonical) && strings.EqualFold(sent[len(sent)-len(canonical):], canonical) {
		return sent[:len(sent)-len(canonical)] + canonical
	}
	return sent
}

// serveCall answers a POSTed envelope.
func (h *Handler) serveCall(w http.ResponseWriter, r *http.Request) {
	version, action, err := soapRequestMeta(r)
	if err != nil {
		writeSOAPFaultResponse(w, version, http.StatusUnsupportedMediaType, soapFault{Client: true, Reason: err.Error()})
		return
	}
	defer func() {
		// A bug below must not leave the client without a SOAP answer.
		p := recover()
		if p == nil {
			return
		}
		if p == http.ErrAbortHandler { //nolint:errorlint // sentinel compared as net/http does
			panic(p)
		}
		slog.Error("reference: panic while serving a SOAP call",
			"path", r.URL.Path, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
		writeSOAPFaultResponse(w, version, http.StatusInternalServerError, soapFault{
			Reason: fmt.Sprintf("internal error: %v", p),
		})
	}()
	if r.ContentLength > h.limits.MaxBytes {
		writeSOAPFaultResponse(w, version, http.StatusRequestEntityTooLarge, soapFault{
			Client: true,
			Reason: fmt.Sprintf("the request body has %d bytes, more than the limit of %d", r.ContentLength, h.limits.MaxBytes),
		})
		return
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, h.limits.MaxBytes))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeSOAPFaultResponse(w, version, http.StatusRequestEntityTooLarge, soapFault{
				Client: true,
				Reason: fmt.Sprintf("the request body is larger than the limit of %d bytes", h.limits.MaxBytes),
			})
			return
		}
		writeSOAPFaultResponse(w, version, http.StatusBadRequest, soapFault{
			Client: true,
			Reason: fmt.Sprintf("reading the request body: %v", err),
		})
		return
	}
	env, err := parseSOAPEnvelope(data, h.limits)
	if env != nil {
		version = env.Version
	}
	if err != nil {
		writeSOAPFaultResponse(w, version, http.StatusInternalServerError, soapFault{
			Client: true,
			Reason: "the request is not a readable SOAP envelope: " + err.Error(),
		})
		return
	}
	if len(env.NotUnderstood) > 0 {
		names := make([]string, len(env.NotUnderstood))
		for i, n := range env.NotUnderstood {
			names[i] = "{" + n.Space + "}" + n.Local
		}
		writeSOAPFaultResponse(w, version, http.StatusInternalServerError, soapFault{
			NotUnderstood: env.NotUnderstood,
			Reason:        "header blocks with mustUnderstand that this service does not understand: " + strings.Join(names, ", "),
		})
		return
	}
	op, args, fault := h.operation(env, action)
	if fault != nil {
		writeSOAPFaultResponse(w, version, http.StatusInternalServerError, *fault)
		return
	}
	var body func(*soapWriter)
	caller, err := h.caller(r, env)
	if err == nil {
		var reply rpc.Reply
		reply, err = op.Call(r.Context(), h.svc, caller, args)
		body = replyBody(reply)
	}
	var exc *reference.Error
	if err != nil {
		exc = reference.AsError(err)
	}
	format, tz := h.format, ""
	if _, known := reference.LookupTimeZone(env.TimeZone); known {
		format, tz = reference.InZone(h.format, env.TimeZone), env.TimeZone
	}
	writeSOAPBody(w, version.contentType(), http.StatusOK, writeSOAPResponseIn(format, version, h.ns, op.Name, tz, exc, body))
}

// operation identifies the operation of env, checks it against the SOAP
// action when one was sent, and reads its arguments. A failure is a Fault.
func (h *Handler) operation(env *soapEnvelope, action string) (*rpc.Operation, rpc.Args, *soapFault) {
	name := env.Operation.Name
	op := rpc.Lookup(name.Local)
	if op == nil || name.Space != h.ns {
		return nil, rpc.Args{}, &soapFault{Client: true, Reason: fmt.Sprintf(
			"unknown operation {%s}%s: this endpoint serves %s in namespace %s",
			name.Space, name.Local, rpc.Names(), h.ns)}
	}
	if want := h.ns + "/Webhook/" + name.Local; action != "" && action != want {
		return nil, rpc.Args{}, &soapFault{Client: true, Reason: fmt.Sprintf(
			"the SOAP action %s does not match the operation %s in the Body (expected %q)", reference.Quote(action), name.Local, want)}
	}
	args, err := op.Read(arguments{env.Operation})
	if err != nil {
		return nil, rpc.Args{}, &soapFault{Client: true, Reason: fmt.Sprintf("cannot read the %s request: %v", name.Local, err)}
	}
	return op, args, nil
}

// caller authenticates the request: the Credentials/Ticket header when one
// is sent, else the HTTP Authorization header. The application token is the
// ApplicationToken header, else the SO-AppToken HTTP header (spec §8).
func (h *Handler) caller(r *http.Request, env *soapEnvelope) (reference.Caller, error) {
	var (
		who *reference.Associate
		err error
	)
	switch authz := r.Header.Get("Authorization"); {
	case env.HasTicket:
		who, err = h.auth.FromTicket(env.Ticket)
	case authz != "":
		who, err = h.auth.FromHeader(authz)
	default:
		err = reference.Errorf(reference.KindUnauthorized, reference.ErrTypeUnauthorized,
			"credentials required: send a Credentials/Ticket SOAP header or an HTTP Authorization header")
	}
	if err != nil {
		return reference.Caller{}, fmt.Errorf("authenticate: %w", err)
	}
	token := env.AppToken
	if token == "" {
		token = strings.TrimSpace(r.Header.Get("SO-AppToken"))
	}
	return reference.Caller{Associate: who, AppToken: token}, nil
}

// soapRequestMeta reads the SOAP version implied by the Content-Type and the
// SOAP action: the SOAPAction header (SOAP 1.1) or the action parameter of
// application/soap+xml (SOAP 1.2). An empty action means "not given". A
// media type that cannot carry an envelope is an error.
func soapRequestMeta(r *http.Request) (soapVersion, string, error) {
	version := soap11
	action := strings.Trim(strings.TrimSpace(r.Header.Get("SOAPAction")), `"`)
	ct := r.Header.Get("Content-Type")
	if ct == "" {
		return version, action, nil
	}
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil {
		return version, action, fmt.Errorf("unreadable Content-Type %s: %w", reference.Quote(ct), err)
	}
	switch mt {
	case "text/xml", "application/xml":
	case "application/soap+xml":
		version = soap12
		if a := strings.TrimSpace(params["action"]); a != "" {
			action = a
		}
	default:
		return version, action, fmt.Errorf("unsupported Content-Type %s: use text/xml (SOAP 1.1) or application/soap+xml (SOAP 1.2)", reference.Quote(mt))
	}
	return version, action, nil
}

// writeSOAPFaultResponse answers with a Fault in version v.
func writeSOAPFaultResponse(w http.ResponseWriter, v soapVersion, status int, f soapFault) {
	writeSOAPBody(w, v.contentType(), status, writeSOAPFault(v, f))
}

// writeSOAPBody writes a complete answer.
func writeSOAPBody(w http.ResponseWriter, contentType string, status int, body []byte) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	// A failed write means the client went away; there is no one to tell.
	_, _ = w.Write(body)
}
