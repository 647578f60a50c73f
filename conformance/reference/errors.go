package reference

import (
	"errors"
	"fmt"
)

// Kind classifies a core error so each front end can map it to its own
// signalling (an HTTP status for REST/Agents, ExceptionInfo for SOAP).
type Kind int

// The error kinds the core returns.
const (
	KindInvalid            Kind = iota + 1 // 400: validation failed or bad input
	KindUnauthorized                       // 401: no or wrong credentials
	KindForbidden                          // 403: another app's webhook (Online)
	KindNotFound                           // 404
	KindConflict                           // 409: a JSON Patch test op failed
	KindPreconditionFailed                 // 412: If-Unmodified-Since
	KindVerificationFailed                 // 400: the save-time URL check failed
	KindInternal                           // 500
)

// Error is the core's error: a Kind, the ErrorType name a NetServer client
// sees (e.g. "SoNotFoundException") and a message.
type Error struct {
	Kind    Kind
	Type    string
	Message string
	Err     error
}

// Error implements error.
func (e *Error) Error() string { return e.Message }

// Unwrap returns the underlying cause, if any.
func (e *Error) Unwrap() error { return e.Err }

// Errorf builds an *Error of the given kind and ErrorType.
func Errorf(kind Kind, errorType, format string, args ...any) *Error {
	return &Error{Kind: kind, Type: errorType, Message: fmt.Sprintf(format, args...)}
}

// AsError returns err as an *Error, wrapping foreign errors as KindInternal.
func AsError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Kind: KindInternal, Type: "Exception", Message: err.Error(), Err: err}
}
