package fault

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/hookcheck/hookcheck/receiver/api"
)

// slowBodyTick is the shortest pause between two chunks of a slow body.
const slowBodyTick = 10 * time.Millisecond

func init() {
	Register("slow-body", func(f api.Fault, _ Limits) (Fault, error) {
		return slowBody{d: f.Duration.D()}, nil
	})
}

// slowBody sends the status line and headers (with Content-Length) at once,
// then dribbles respond.body over fault.duration in flushed chunks. With no
// body there is nothing to dribble and it answers at once.
type slowBody struct {
	d time.Duration
}

// Name returns "slow-body".
func (slowBody) Name() string { return "slow-body" }

// answers reports that slow-body sends the plan's status line at once.
func (slowBody) answers() bool { return true }

// Serve sends the answer slowly.
func (s slowBody) Serve(ctx context.Context, w http.ResponseWriter, r *http.Request, p *Plan) error {
	h := w.Header()
	for k, v := range p.Header {
		h[k] = slices.Clone(v)
	}
	h.Set("Content-Length", strconv.Itoa(len(p.Body)))
	w.WriteHeader(p.Status)
	rc := http.NewResponseController(w)
	if err := rc.Flush(); err != nil {
		return fmt.Errorf("flush headers: %w", err)
	}
	n := min(len(p.Body), max(1, int(s.d/slowBodyTick)))
	start := time.Now()
	for i := range n {
		t := time.NewTimer(time.Until(start.Add(s.d * time.Duration(i+1) / time.Duration(n))))
		err := wait(ctx, r, t.C)
		t.Stop()
		if err != nil {
			return fmt.Errorf("after %d of %d bytes: %w", len(p.Body)*i/n, len(p.Body), err)
		}
		if _, err := w.Write(p.Body[len(p.Body)*i/n : len(p.Body)*(i+1)/n]); err != nil {
			return fmt.Errorf("write body: %w", err)
		}
		if err := rc.Flush(); err != nil {
			return fmt.Errorf("flush body: %w", err)
		}
	}
	return nil
}
