package fault

import (
	"context"
	"net/http"
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
// not safe to use from several goroutines while Execute runs.
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
		resp.Body = string(p.sentBody)
	}
	return resp
}

// Planned reports the answer the plan intends, for recording a call the
// moment it is decided: the status, headers and body of faults that send a
// status line (the plain answer and slow-body), none for the others. After
// Execute, Response reports what was actually sent.
func (p *Plan) Planned() api.Response {
	resp := api.Response{DelayMs: p.Delay.Milliseconds(), Rule: p.Rule}
	if p.Fault != nil && p.Fault.Name() != statusName {
		resp.Fault = p.Fault.Name()
	}
	if a, ok := p.Fault.(answerer); ok && a.answers() {
		resp.Status = p.Status
		if len(p.Header) > 0 {
			resp.Headers = p.Header.Clone()
		}
		resp.Body = string(p.Body)
	}
	return resp
}

// answerer is implemented by faults that send a status line with the plan's
// status, headers and body.
type answerer interface{ answers() bool }

// defaultPlan is the answer when no rule applies: 200 OK, empty body.
func defaultPlan() Plan {
	return Plan{Rule: -1, Status: http.StatusOK, Header: http.Header{}, Fault: statusFault{}}
}
