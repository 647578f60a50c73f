package fault

import (
	"context"
	"fmt"
	"net/http"

	"github.com/hookcheck/hookcheck/receiver/api"
)

func init() {
	Register("reset", func(api.Fault, Limits) (Fault, error) { return reset{}, nil })
}

// reset aborts the TCP connection (SO_LINGER 0) so the client sees
// "connection reset by peer". Over TLS it resets the TCP connection beneath,
// without a close_notify alert.
type reset struct{}

// Name returns "reset".
func (reset) Name() string { return "reset" }

// Serve resets the connection without an answer.
func (reset) Serve(_ context.Context, w http.ResponseWriter, r *http.Request, _ *Plan) error {
	conn, err := hijack(w, r)
	if err != nil {
		return err
	}
	raw := rawConn(conn)
	l, ok := raw.(interface{ SetLinger(sec int) error })
	if !ok {
		_ = conn.Close()
		return fmt.Errorf("reset needs a TCP connection, not %T; the connection was closed instead", raw)
	}
	if err := l.SetLinger(0); err != nil {
		_ = conn.Close()
		return fmt.Errorf("set SO_LINGER 0 (the connection was closed instead): %w", err)
	}
	if err := raw.Close(); err != nil {
		return fmt.Errorf("reset connection: %w", err)
	}
	return nil
}
