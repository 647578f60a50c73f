package receiver

import (
	"errors"
	"net"
	"net/http"
	"os"
	"time"
)

// readDeadliner is what net/http's HTTP/1 and HTTP/2 response writers
// offer to bound the reading of one request.
type readDeadliner interface{ SetReadDeadline(time.Time) error }

// setReadDeadline sets the read deadline of r's body (zero lifts it) and
// reports whether the server supports one. It asks the writer directly
// first, which costs no allocation on the hot path, then through
// http.ResponseController for a writer that wraps the server's.
func setReadDeadline(w http.ResponseWriter, t time.Time) bool {
	if d, ok := w.(readDeadliner); ok {
		return d.SetReadDeadline(t) == nil
	}
	return http.NewResponseController(w).SetReadDeadline(t) == nil
}

// limitBody gives r's body --body-timeout to arrive, counted from now (its
// headers are in), and reports whether it set a deadline. The caller lifts
// it (liftBodyLimit) once the body is read whole, so that scripted delays,
// hangs, slow answers and long polls are not cut short by it; after a
// failed or cut-off read it stays, so net/http's own reading of the rest
// (to reuse the connection) is bounded too. A request without a body gets
// none.
func (rv *Receiver) limitBody(w http.ResponseWriter, r *http.Request) bool {
	if r.Body == nil || r.Body == http.NoBody || r.ContentLength == 0 {
		return false
	}
	return setReadDeadline(w, time.Now().Add(rv.cfg.BodyTimeout))
}

// liftBodyLimit lifts the deadline limitBody set.
func liftBodyLimit(w http.ResponseWriter) { setReadDeadline(w, time.Time{}) }

// isTimeout reports whether err is a read that hit its deadline.
func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, os.ErrDeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout())
}
