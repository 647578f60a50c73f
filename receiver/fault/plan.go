package fault

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/hookcheck/hookcheck/receiver/api"
)

// Fault is one way to answer (or refuse to answer) a call. Each
// implementation lives in its own file.
type Fault interface {
	// Name is the fault's script name: "status", "hang", "reset", "close",
	// "slow-body" or "garbage".
	Name() string
	// Serve answers the request after the plan's delay has been applied. It
	// must return promptly when ctx is done (receiver shutdown) or the
	// client goes away (r.Context()). It must reach the connection through
	// http.NewResponseController, because w may be a wrapper.
	Serve(ctx context.Context, w http.ResponseWriter, r *http.Request, p *Plan) error
}

// Call is what a script needs to know about an incoming call.
type Call struct {
	// Event is the X-SuperOffice-Event value.
	Event  string
	Header http.Header
	// Nth is the 1-based ordinal of the call on its channel.
	Nth uint64
}

// Plan is the decided answer for one call. A Plan belongs to one call; it is
// not safe to use from several goroutines while Execute runs. Header and
// Body are shared with the script's rule (every call it answers uses the
// same ones), so they must not be modified.
type Plan struct {
	// Rule is the index of the rule that answered, -1 for the default 200.
	Rule   int
	Status int
	Header http.Header
	Body   []byte
	// Delay is the wait before the fault serves, jitter included and
	// already clamped to Limits.MaxDelay.
	Delay time.Duration
	// Fault is never nil: the plain answer is itself a Fault ("status").
	Fault Fault
	// Data holds per-call bytes a fault drew from the rule's RNG at
	// decision time (the bytes garbage writes).
	Data []byte

	reply    http.Header // Header plus Content-Length, as the plain answer sends it; shared, read-only (nil: work it out per call)
	bodyText string      // Body as a string, shared by every call the rule answers

	rec      recorder    // the writer Execute hands the fault
	implicit bool        // the fault left reply to net/http: record it without reading the header map
	sent     int         // status line actually sent, 0 for none
	sentHdr  http.Header // headers set when the status line was sent
	sentBody []byte      // body bytes actually written
}

// Response reports the api.Response to record for the call. It describes
// what Execute actually sent: before Execute, or when no status line went
// out (hang, reset, close, garbage, client gone during the delay), Status is
// 0 and Headers and Body are empty.
func (p *Plan) Response() api.Response {
	resp := api.Response{
		Status:  p.sent,
		DelayMs: p.Delay.Milliseconds(),
		Rule:    p.Rule,
	}
	if p.Fault != nil && p.Fault.Name() != statusName {
		resp.Fault = p.Fault.Name()
	}
	if p.sent != 0 {
		if len(p.sentHdr) > 0 {
			resp.Headers = p.sentHdr
		}
		if string(p.sentBody) == p.bodyText {
			resp.Body = p.bodyText // the rule's own body: no copy per call
		} else {
			resp.Body = string(p.sentBody)
		}
	}
	return resp
}

// Planned reports the answer the plan intends, for recording a call the
// moment it is decided: the status, headers (Content-Length included) and
// body of faults that send a status line (the plain answer and slow-body),
// none for the others. After Execute, Response reports what was actually
// sent. Like the Plan's own, the headers it reports are shared and must not
// be modified.
func (p *Plan) Planned() api.Response {
	resp := api.Response{DelayMs: p.Delay.Milliseconds(), Rule: p.Rule}
	if p.Fault != nil && p.Fault.Name() != statusName {
		resp.Fault = p.Fault.Name()
	}
	if a, ok := p.Fault.(answerer); ok && a.answers() {
		resp.Status = p.Status
		h := p.reply // what will go out, Content-Length included
		if h == nil {
			h = p.Header
		}
		if len(h) > 0 {
			resp.Headers = h
		}
		resp.Body = p.bodyText
		if resp.Body == "" && len(p.Body) > 0 { // a Plan built without a rule
			resp.Body = string(p.Body)
		}
	}
	return resp
}

// answerer is implemented by faults that send a status line with the plan's
// status, headers and body.
type answerer interface{ answers() bool }

// defaultReply is what the default answer sends. It is shared by every
// call and never modified.
var defaultReply = replyHeader(nil, http.StatusOK, 0)

// defaultPlan is the answer when no rule applies: 200 OK, empty body.
func defaultPlan() Plan {
	return Plan{Rule: -1, Status: http.StatusOK, Fault: statusFault{}, reply: defaultReply}
}

// replyHeader returns the headers the plain answer sends for a response
// with the given headers, status and body length: a copy of header plus a
// Content-Length when the status allows a body and header sets none.
func replyHeader(header http.Header, status, bodyLen int) http.Header {
	h := header.Clone()
	if h == nil {
		h = http.Header{}
	}
	if bodyAllowed(status) && h.Get("Content-Length") == "" {
		h.Set("Content-Length", strconv.Itoa(bodyLen))
	}
	return h
}

// SameHeader reports whether a and b hold the same names and values (in
// the same order per name).
func SameHeader(a, b http.Header) bool {
	if len(a) != len(b) {
		return false
	}
	for k, av := range a {
		bv, ok := b[k]
		if !ok || len(av) != len(bv) {
			return false
		}
		for i := range av {
			if av[i] != bv[i] {
				return false
			}
		}
	}
	return true
}
