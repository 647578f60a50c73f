package reference

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// HeaderInput is everything a HeaderBuilder needs for one request.
type HeaderInput struct {
	Payload   Payload
	Cycle     int // 1-based cycle of the payload
	Attempt   int // 1-based attempt within the cycle
	Signature string
	Custom    map[string]string // the webhook's Headers
	UserAgent string
}

// HeaderBuilder builds the request headers of a delivery or test event
// (spec §3, §4.2).
type HeaderBuilder interface {
	Headers(in HeaderInput) http.Header
}

// StandardHeaders is the default HeaderBuilder. It writes the documented
// names with their documented casing; X-SuperOffice-Retry is left out on the
// first attempt and is then the 1-based retry count within the cycle (§9 #5);
// the signature only when there is one; custom headers never replace a
// standard header or a transport-owned one.
type StandardHeaders struct{}

// The standard header names, in their documented spelling.
const (
	HeaderEvent     = "X-SuperOffice-Event"
	HeaderEventID   = "X-SuperOffice-EventId"
	HeaderRetry     = "X-SuperOffice-Retry"
	HeaderSignature = "X-SuperOffice-Signature"
	HeaderHookTest  = "X-Hook-Test"
)

// coreProtectedHeaders may not be set through a webhook's Headers.
var coreProtectedHeaders = []string{
	"content-type", "user-agent", "x-superoffice-event", "x-superoffice-eventid",
	"x-superoffice-retry", "x-superoffice-signature", "x-hook-test",
	"host", "content-length", "transfer-encoding", "connection", "te", "trailer", "upgrade",
}

// Headers implements HeaderBuilder.
func (StandardHeaders) Headers(in HeaderInput) http.Header {
	h := http.Header{}
	h["Content-Type"] = []string{"application/json; charset=utf-8"}
	h["User-Agent"] = []string{in.UserAgent}
	h[HeaderEvent] = []string{in.Payload.Name}
	h[HeaderEventID] = []string{in.Payload.EventID}
	if in.Attempt > 1 {
		h[HeaderRetry] = []string{strconv.Itoa(in.Attempt - 1)}
	}
	if in.Signature != "" {
		h[HeaderSignature] = []string{in.Signature}
	}
	if in.Payload.Test {
		h[HeaderHookTest] = []string{"true"}
	}
	for name, value := range in.Custom {
		if slices.Contains(coreProtectedHeaders, strings.ToLower(name)) {
			continue
		}
		h[name] = append(h[name], value)
	}
	return h
}
