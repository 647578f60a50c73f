package fault

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
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

// Serve writes the plan's headers, status and body.
func (statusFault) Serve(_ context.Context, w http.ResponseWriter, _ *http.Request, p *Plan) error {
	h := w.Header()
	for k, v := range p.Header {
		h[k] = slices.Clone(v)
	}
	body := bodyAllowed(p.Status)
	if body && h.Get("Content-Length") == "" {
		h.Set("Content-Length", strconv.Itoa(len(p.Body)))
	}
	w.WriteHeader(p.Status)
	if !body || len(p.Body) == 0 {
		return nil
	}
	if _, err := w.Write(p.Body); err != nil {
		return fmt.Errorf("write body: %w", err)
	}
	return nil
}

// bodyAllowed reports whether a response with status may carry a body.
func bodyAllowed(status int) bool {
	return status >= 200 && status != http.StatusNoContent && status != http.StatusNotModified
}
