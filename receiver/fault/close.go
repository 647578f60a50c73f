package fault

import (
	"context"
	"fmt"
	"net/http"

	"github.com/hookcheck/hookcheck/receiver/api"
)

func init() {
	Register("close", func(api.Fault, Limits) (Fault, error) { return closeFault{}, nil })
}

// closeFault closes the connection cleanly before any response, so the
// client reads EOF ("server closed connection").
type closeFault struct{}

// Name returns "close".
func (closeFault) Name() string { return "close" }

// Serve closes the connection without an answer.
func (closeFault) Serve(_ context.Context, w http.ResponseWriter, r *http.Request, _ *Plan) error {
	conn, err := hijack(w, r)
	if err != nil {
		return err
	}
	if err := conn.Close(); err != nil {
		return fmt.Errorf("close connection: %w", err)
	}
	return nil
}
