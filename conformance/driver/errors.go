package driver

import (
	"errors"
	"fmt"
	"strings"
)

// Error is a refusal by the service: an HTTP error status with (usually)
// the §2.1 error body for REST and Agents, or ExceptionInfo / a Fault for
// SOAP (§2.5, §9 #21).
type Error struct {
	// Style and Op say which call failed.
	Style Style
	Op    string
	// Status is the HTTP status (SOAP errors reported through ExceptionInfo
	// usually come with 200).
	Status int
	// ErrorBody is true when the body had the §2.1 shape; ErrorFlag is its
	// "Error" member, HasMessageField whether it (wrongly) had "Message".
	ErrorBody       bool
	ErrorFlag       bool
	HasMessageField bool
	// ErrorType and Message are ErrorType/ErrorMessage (REST, Agents),
	// ExceptionType/Message of ExceptionInfo, or faultcode/faultstring.
	ErrorType string
	Message   string
	Source    string
	// Fault is true when SOAP answered with a Fault rather than
	// ExceptionInfo.
	Fault bool
	// Body is the raw answer.
	Body string
}

// Error implements error.
func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: HTTP %d", e.Style, e.Op, e.Status)
	if e.ErrorType != "" {
		fmt.Fprintf(&b, " %s", e.ErrorType)
	}
	if e.Message != "" {
		fmt.Fprintf(&b, ": %s", e.Message)
	} else if e.Body != "" {
		fmt.Fprintf(&b, ": %s", clip(e.Body, 300))
	}
	return b.String()
}

// AsError returns the *Error inside err, if any.
func AsError(err error) (*Error, bool) {
	var e *Error
	if errors.As(err, &e) {
		return e, true
	}
	return nil, false
}

// StatusOf returns the HTTP status of a service refusal, or 0 when err is
// not one.
func StatusOf(err error) int {
	if e, ok := AsError(err); ok {
		return e.Status
	}
	return 0
}

// clip shortens s to at most n bytes for messages.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
