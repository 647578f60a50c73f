package fault

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"time"
)

// maxDrain bounds how much unread request body Execute discards.
const maxDrain = 1 << 20

// Execute answers the request as planned: it discards what is left of the
// request body (so client disconnects cancel r.Context() and closing faults
// end cleanly; a caller that has read it all may set r.Body to
// http.NoBody), lifts the server's write deadline when the answer waits or
// is a fault, waits p.Delay, and lets p.Fault serve. When ctx or the client
// ends the delay, it drops the connection without an answer, so net/http
// does not send an implicit 200.
// Afterwards p.Response() reports what was actually sent. A Plan without a
// Fault answers plainly.
func Execute(ctx context.Context, w http.ResponseWriter, r *http.Request, p *Plan) error {
	if p.Fault == nil {
		p.Fault = statusFault{}
	}
	if r.Body != nil && r.Body != http.NoBody {
		_, _ = io.Copy(io.Discard, io.LimitReader(r.Body, maxDrain))
	}
	if p.Delay > 0 || p.Fault.Name() != statusName {
		_ = http.NewResponseController(w).SetWriteDeadline(time.Time{})
	}
	if err := sleep(ctx, r, p.Delay); err != nil {
		drop(w, r)
		return fmt.Errorf("delay %s: %w", p.Delay, err)
	}
	p.rec = recorder{ResponseWriter: w, p: p}
	if err := p.Fault.Serve(ctx, &p.rec, r, p); err != nil {
		return fmt.Errorf("fault %s: %w", p.Fault.Name(), err)
	}
	return nil
}

// sleep waits d, returning early with an error when ctx or the client's
// request context is done.
func sleep(ctx context.Context, r *http.Request, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	return wait(ctx, r, t.C)
}

// wait blocks until ready delivers, or fails when ctx (receiver shutdown)
// or r.Context() (client gone) is done.
func wait(ctx context.Context, r *http.Request, ready <-chan time.Time) error {
	select {
	case <-ready:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("receiver stopping: %w", context.Cause(ctx))
	case <-r.Context().Done():
		return fmt.Errorf("client went away: %w", context.Cause(r.Context()))
	}
}

// recorder notes in its Plan the status, headers and body that go out, so
// Plan.Response can report them.
type recorder struct {
	http.ResponseWriter
	p *Plan
}

// WriteHeader records the first final status and the headers sent with it.
func (rw *recorder) WriteHeader(code int) {
	if rw.p.sent == 0 && code >= 200 {
		rw.p.sent = code
		if rw.p.implicit {
			rw.p.sentHdr = rw.p.reply // net/http sends it; calling Header() would make it copy the map
		} else {
			switch h := rw.Header(); {
			case len(h) == 0: // keep nil
			case SameHeader(h, rw.p.reply):
				rw.p.sentHdr = rw.p.reply // the usual case: no copy per call
			default:
				rw.p.sentHdr = h.Clone()
			}
		}
	}
	rw.ResponseWriter.WriteHeader(code)
}

// Write records the body bytes written.
func (rw *recorder) Write(b []byte) (int, error) {
	if rw.p.sent == 0 {
		rw.WriteHeader(http.StatusOK)
	}
	n, err := rw.ResponseWriter.Write(b)
	rw.p.sentBody = append(rw.p.sentBody, b[:n]...)
	return n, err
}

// Unwrap lets http.ResponseController reach the server's writer.
func (rw *recorder) Unwrap() http.ResponseWriter { return rw.ResponseWriter }
