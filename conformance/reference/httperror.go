package reference

import (
	"context"
	"errors"
	"net/http"
	"strconv"
)

// apiErrorSource is the ErrorSource of every REST/Agents error body
// (spec §2.1).
const apiErrorSource = "SuperOffice.Services.Implementation"

// apiError is an HTTP error of the REST and Agents front ends: a status and
// the ErrorType/ErrorMessage of the §2.1 error body.
type apiError struct {
	Status  int
	Type    string
	Message string
}

// newAPIError builds an apiError.
func newAPIError(status int, errorType, message string) *apiError {
	return &apiError{Status: status, Type: errorType, Message: message}
}

// Error implements error.
func (e *apiError) Error() string { return e.Message }

// statusForKind maps a core error Kind to its HTTP status.
func statusForKind(k Kind) int {
	switch k {
	case KindInvalid, KindVerificationFailed:
		return http.StatusBadRequest
	case KindUnauthorized:
		return http.StatusUnauthorized
	case KindForbidden:
		return http.StatusForbidden
	case KindNotFound:
		return http.StatusNotFound
	case KindConflict:
		return http.StatusConflict
	case KindPreconditionFailed:
		return http.StatusPreconditionFailed
	}
	return http.StatusInternalServerError
}

// toAPIError turns any error into an apiError: core *Error values map by
// Kind, a cancelled or timed-out request context becomes 503, and anything
// else is a 500.
func toAPIError(err error) *apiError {
	var ae *apiError
	if errors.As(err, &ae) {
		return ae
	}
	var ce *Error
	if errors.As(err, &ce) {
		typ := ce.Type
		if typ == "" {
			typ = "Exception"
		}
		return newAPIError(statusForKind(ce.Kind), typ, ce.Message)
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return newAPIError(http.StatusServiceUnavailable, "OperationCanceledException", "the request was cancelled: "+err.Error())
	}
	return newAPIError(http.StatusInternalServerError, "Exception", err.Error())
}

// errorToWire builds the §2.1 error body.
func errorToWire(e *apiError) *wireObject {
	o := newRecord(4)
	o.add("Error", true)
	o.add("ErrorType", e.Type)
	o.add("ErrorMessage", e.Message)
	o.add("ErrorSource", apiErrorSource)
	return o
}

// writeAPIError writes err as the §2.1 error body in the negotiated format
// (root element <ErrorInfo> in XML).
func writeAPIError(w http.ResponseWriter, r *http.Request, err error) {
	ae := toAPIError(err)
	if ae.Status == http.StatusUnauthorized && w.Header().Get("WWW-Authenticate") == "" {
		w.Header().Set("WWW-Authenticate", `Basic realm="SuperOffice", SoTicket, Bearer`)
	}
	writeAPIEntity(w, r, ae.Status, "ErrorInfo", "", errorToWire(ae))
}

// writeAPIEntity writes v (a tree value) with the given status in the
// format the request's Accept header asks for. root and item name the XML
// root element and, for arrays, each item.
func writeAPIEntity(w http.ResponseWriter, r *http.Request, status int, root, item string, v any) {
	f := negotiateFormat(r.Header.Get("Accept"))
	var body []byte
	if f.XML {
		body = appendWireXMLDocument(nil, root, item, v)
	} else {
		body = appendWireJSON(nil, v)
	}
	h := w.Header()
	h.Set("Content-Type", f.ContentType)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Add("Vary", "Accept")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body) // a failed write means the client went away
}
