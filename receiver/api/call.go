package api

import (
	"encoding/base64"
	"fmt"
	"time"
)

// Signature verdicts recorded on each call.
const (
	SignatureValid     = "valid"     // X-SuperOffice-Signature matches the raw body.
	SignatureInvalid   = "invalid"   // The header is present but wrong or undecodable.
	SignatureMissing   = "missing"   // The channel has a secret but the header is absent.
	SignatureUnchecked = "unchecked" // The channel has no secret, or the body was truncated.
)

// Call is one request recorded by a receiver channel, exactly as it arrived.
type Call struct {
	// Seq numbers the calls of one channel from 1, in arrival order.
	Seq        uint64              `json:"seq"`
	Channel    string              `json:"channel"`
	ReceivedAt time.Time           `json:"receivedAt"`
	Method     string              `json:"method"`
	Path       string              `json:"path"`
	Query      string              `json:"query"`
	Proto      string              `json:"proto"`
	Headers    map[string][]string `json:"headers"`
	// RawHeaders are the request's header lines as the sender wrote them:
	// names in their own case, in their order, Host and Transfer-Encoding
	// included. Only calls over plain HTTP/1.x have them (over HTTPS the
	// bytes stay inside TLS; HTTP/2 has no header text).
	RawHeaders []HeaderField `json:"rawHeaders,omitempty"`
	// Body is the raw body when it is valid UTF-8; otherwise BodyBase64 holds it.
	Body       string `json:"body"`
	BodyBase64 string `json:"bodyBase64,omitempty"`
	// BodySize is the number of body bytes the client sent (or declared, when
	// the body was cut off at the size limit).
	BodySize   int64  `json:"bodySize"`
	Truncated  bool   `json:"truncated"`
	RemoteAddr string `json:"remoteAddr"`
	TLS        bool   `json:"tls"`
	Signature  string `json:"signature"`
	// Event, EventID and Retry are read from X-SuperOffice-Event,
	// X-SuperOffice-EventId and X-SuperOffice-Retry; Retry is null when the
	// header is absent or not a number.
	Event    string   `json:"event"`
	EventID  string   `json:"eventId"`
	Retry    *int     `json:"retry"`
	Response Response `json:"response"`
}

// RawBody returns the exact body bytes of the call.
func (c *Call) RawBody() ([]byte, error) {
	if c.BodyBase64 != "" {
		b, err := base64.StdEncoding.DecodeString(c.BodyBase64)
		if err != nil {
			return nil, fmt.Errorf("call %d: decode bodyBase64: %w", c.Seq, err)
		}
		return b, nil
	}
	return []byte(c.Body), nil
}

// Header returns the first value of the named header, matched
// case-insensitively, or "".
func (c *Call) Header(name string) string {
	for k, v := range c.Headers {
		if len(v) > 0 && equalFold(k, name) {
			return v[0]
		}
	}
	return ""
}

// HeaderField is one header line: a name and a value.
type HeaderField struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Response describes how the receiver answered a call.
type Response struct {
	// Status is the HTTP status sent, or 0 when a fault sent none.
	Status int `json:"status"`
	// Fault names the fault applied ("reset", "hang", ...), if any.
	Fault string `json:"fault,omitempty"`
	// DelayMs is the delay applied before answering, jitter included.
	DelayMs int64               `json:"delayMs"`
	Headers map[string][]string `json:"headers,omitempty"`
	Body    string              `json:"body,omitempty"`
	// Rule is the 0-based index of the script rule that answered, or -1.
	Rule int `json:"rule"`
}

// CallList is the answer of the calls query.
type CallList struct {
	Calls []Call `json:"calls"`
	// Evicted counts this channel's calls dropped by the journal bound.
	Evicted uint64 `json:"evicted"`
	// Last is the highest seq the channel has assigned so far.
	Last uint64 `json:"last"`
}

func equalFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}
