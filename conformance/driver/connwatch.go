package driver

import (
	"errors"
	"io"
	"net"
	"net/http"
	"syscall"
)

// ConnWatcher hears, for every API call to the target, whether the
// target answered at all: the runner counts consecutive calls that got
// no answer to notice a target that stopped answering.
type ConnWatcher interface {
	// Answered is called when the target sent an answer, whatever its
	// status.
	Answered()
	// ConnFailed is called when a call got no answer: the connection was
	// refused, reset or closed before an answer (ConnectionLost).
	ConnFailed(err error)
}

// WatchClient returns a copy of hc (nil: NewHTTPClient's default) whose
// calls report to w.
func WatchClient(hc *http.Client, w ConnWatcher) *http.Client {
	if hc == nil {
		return NewHTTPClient(&watchTransport{rt: http.DefaultTransport.(*http.Transport).Clone(), w: w})
	}
	c := *hc
	rt := hc.Transport
	if rt == nil {
		rt = http.DefaultTransport
	}
	c.Transport = &watchTransport{rt: rt, w: w}
	return &c
}

// watchTransport reports the outcome of each round trip to a ConnWatcher.
type watchTransport struct {
	rt http.RoundTripper
	w  ConnWatcher
}

// RoundTrip implements http.RoundTripper. A call the caller cancelled
// (Ctrl-C, a spec's deadline) is reported as neither.
func (t *watchTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.rt.RoundTrip(req)
	switch {
	case err == nil:
		t.w.Answered()
	case req.Context().Err() == nil && ConnectionLost(err):
		t.w.ConnFailed(err)
	}
	return resp, err
}

// ConnectionLost reports whether err says the peer did not answer at the
// connection level: nothing listens (connection refused), the host or
// network is unreachable, or the connection was reset or closed before
// an answer came.
func ConnectionLost(err error) bool {
	for _, errno := range []syscall.Errno{syscall.ECONNREFUSED, syscall.ECONNRESET, syscall.EHOSTUNREACH, syscall.ENETUNREACH, syscall.EPIPE, syscall.ECONNABORTED} {
		if errors.Is(err, errno) {
			return true
		}
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return true
	}
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial" && !op.Timeout()
}
