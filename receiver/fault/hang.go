package fault

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/hookcheck/hookcheck/receiver/api"
)

func init() {
	Register("hang", func(f api.Fault, lim Limits) (Fault, error) {
		d := f.Duration.D()
		if d <= 0 {
			d = lim.MaxDelay
		}
		return hang{max: d}, nil
	})
}

// hang never answers. It takes over the connection at once, so net/http
// cannot answer either, and closes it without a response when the client
// disconnects, the receiver stops, or fault.duration (default
// Limits.MaxDelay) elapses.
type hang struct {
	max time.Duration
}

// Name returns "hang".
func (hang) Name() string { return "hang" }

// Serve holds the connection open without answering.
func (h hang) Serve(ctx context.Context, w http.ResponseWriter, r *http.Request, _ *Plan) error {
	if r.ProtoMajor >= 2 {
		return h.serveStream(ctx, r)
	}
	conn, err := hijack(w, r)
	if err != nil {
		return err
	}
	defer conn.Close()
	gone := make(chan struct{})
	go func() {
		// Reads fail once the client disconnects or conn is closed.
		_, _ = io.Copy(io.Discard, conn)
		close(gone)
	}()
	t := time.NewTimer(h.max)
	defer t.Stop()
	select {
	case <-gone:
		return nil
	case <-t.C:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("receiver stopping: %w", context.Cause(ctx))
	}
}

// serveStream hangs an HTTP/2 stream: the connection is shared, so it
// holds the stream unanswered instead, and resets it (abortStream) when
// the client cancels, the receiver stops or the duration elapses.
func (h hang) serveStream(ctx context.Context, r *http.Request) error {
	t := time.NewTimer(h.max)
	defer t.Stop()
	select {
	case <-r.Context().Done():
	case <-t.C:
	case <-ctx.Done():
	}
	abortStream()
	return nil
}
