package fault

import (
	"context"
	"fmt"
	"net/http"
)

// statusName is the name of the plain answer.
const statusName = "status"

// statusFault is the plain answer: headers, status line and body. It is not
// registered, because a rule without a fault already answers this way.
type statusFault struct{}

// Name returns "status".
func (statusFault) Name() string { return statusName }

// answers reports that the plain answer sends the plan's status line.
func (statusFault) answers() bool { return true }

// Serve writes the plan's headers (with a Content-Length), status and body.
// A plain answer of a short body and no headers of its own leaves the
// Content-Length to net/http, which sends the same one.
// The header values are the plan's shared slices, capped so that an append
// by anyone downstream copies instead of writing into them.
func (statusFault) Serve(_ context.Context, w http.ResponseWriter, r *http.Request, p *Plan) error {
	reply := p.reply
	if reply == nil {
		reply = replyHeader(p.Header, p.Status, len(p.Body))
	}
	if len(p.Header) == 0 && len(p.Body) <= implicitLengthMax && r.Method != http.MethodHead {
		// net/http adds this very Content-Length itself; leaving the
		// header map alone spares it a copy of the map per call.
		p.implicit = true
	} else {
		h := w.Header()
		for k, v := range reply {
			h[k] = v[:len(v):len(v)]
		}
	}
	body := bodyAllowed(p.Status)
	w.WriteHeader(p.Status)
	if !body || len(p.Body) == 0 {
		return nil
	}
	if _, err := w.Write(p.Body); err != nil {
		return fmt.Errorf("write body: %w", err)
	}
	return nil
}

// implicitLengthMax is the largest body net/http sends with a
// Content-Length it works out itself, when the handler writes the body in
// one go and returns (its buffer before chunking holds 2048 bytes).
const implicitLengthMax = 2048

// bodyAllowed reports whether a response with status may carry a body.
func bodyAllowed(status int) bool {
	return status >= 200 && status != http.StatusNoContent && status != http.StatusNotModified
}
