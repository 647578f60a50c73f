package httpapi

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"github.com/hookcheck/hookcheck/conformance/reference"
	"github.com/hookcheck/hookcheck/conformance/reference/internal/wire"
)

// apiErrorSource is the ErrorSource of every REST/Agents error body
// (spec §2.1).
const apiErrorSource = "SuperOffice.Services.Implementation"

// Error is an HTTP error of the REST and Agents front ends: a status and
// the ErrorType/ErrorMessage of the §2.1 error body.
type Error struct {
	Status  int
	Type    string
	Message string
	// Header holds response headers the error needs (Allow on a 405).
	Header http.Header
}

// NewError builds an Error.
func NewError(status int, errorType, message string) *Error {
	return &Error{Status: status, Type: errorType, Message: message}
}

// Error implements error.
func (e *Error) Error() string { return e.Message }

// statusForKind maps a core error Kind to its HTTP status.
func statusForKind(k reference.Kind) int {
	switch k {
	case reference.KindInvalid, reference.KindVerificationFailed:
		return http.StatusBadRequest
	case reference.KindUnauthorized:
		return http.StatusUnauthorized
	case reference.KindForbidden:
		return http.StatusForbidden
	case reference.KindNotFound:
		return http.StatusNotFound
	case reference.KindConflict:
		return http.StatusConflict
	case reference.KindPreconditionFailed:
		return http.StatusPreconditionFailed
	}
	return http.StatusInternalServerError
}

// ErrorStatus is the HTTP status the REST and Agents front ends answer err
// with.
func ErrorStatus(err error) int { return toError(err).Status }

// toError turns any error into an Error: core *Error values map by
// Kind, a cancelled or timed-out request context becomes 503, and anything
// else is a 500.
func toError(err error) *Error {
	var ae *Error
	if errors.As(err, &ae) {
		return ae
	}
	var ce *reference.Error
	if errors.As(err, &ce) {
		typ := ce.Type
		if typ == "" {
			typ = "Exception"
		}
		return NewError(statusForKind(ce.Kind), typ, ce.Message)
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return NewError(http.StatusServiceUnavailable, "OperationCanceledException", "the request was cancelled: "+err.Error())
	}
	return NewError(http.StatusInternalServerError, "Exception", err.Error())
}

// errorToWire builds the §2.1 error body.
func errorToWire(e *Error) *wire.Object {
	o := wire.NewRecord(4)
	o.Add("Error", true)
	o.Add("ErrorType", e.Type)
	o.Add("ErrorMessage", e.Message)
	o.Add("ErrorSource", apiErrorSource)
	return o
}

// WriteError writes err as the §2.1 error body in the negotiated format
// (root element <ErrorInfo> in XML).
func WriteError(w http.ResponseWriter, r *http.Request, err error) {
	ae := toError(err)
	for k, v := range ae.Header {
		w.Header()[k] = v
	}
	if ae.Status == http.StatusUnauthorized && w.Header().Get("WWW-Authenticate") == "" {
		w.Header().Set("WWW-Authenticate", `Basic realm="SuperOffice", SoTicket, Bearer`)
	}
	writeEntity(w, r, ae.Status, "ErrorInfo", "", errorToWire(ae))
}

// writeEntity writes v (a tree value) with the given status in the
// format the request's Accept header asks for. root and item name the XML
// root element and, for arrays, each item.
func writeEntity(w http.ResponseWriter, r *http.Request, status int, root, item string, v any) {
	f := wire.Negotiate(r.Header.Get("Accept"))
	var body []byte
	if f.XML {
		body = wire.AppendXMLDocument(nil, root, item, v)
	} else {
		body = wire.AppendJSON(nil, v)
	}
	h := w.Header()
	h.Set("Content-Type", f.ContentType)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Add("Vary", "Accept")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body) // a failed write means the client went away
}
