package fault

import (
	"fmt"
	"net"
	"net/http"
	"time"
)

// hijack takes the connection from net/http, clearing any deadlines the
// server set. It works over HTTP/1.x, with or without TLS. An HTTP/2
// stream shares its connection with others and cannot be taken: there it
// resets the stream instead (abortStream) and does not return.
func hijack(w http.ResponseWriter, r *http.Request) (net.Conn, error) {
	if r.ProtoMajor >= 2 {
		abortStream()
	}
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		return nil, fmt.Errorf("take over the connection (the receiver must serve HTTP/1.x, not HTTP/2): %w", err)
	}
	_ = conn.SetDeadline(time.Time{})
	return conn, nil
}

// drop closes the connection without an answer, if it can be hijacked
// (over HTTP/2 it resets the stream).
func drop(w http.ResponseWriter, r *http.Request) {
	if conn, err := hijack(w, r); err == nil {
		_ = conn.Close()
	}
}

// abortStream ends the handler without an answer by panicking with
// http.ErrAbortHandler, which net/http's HTTP/2 server turns into an
// RST_STREAM: the nearest HTTP/2 has to a reset or closed connection, and
// the other streams of the connection go on. It does not return.
func abortStream() { panic(http.ErrAbortHandler) }

// rawConn returns the transport connection under a TLS connection, or
// under any other wrapper that tells it (NetConn, as *tls.Conn does).
func rawConn(c net.Conn) net.Conn {
	for {
		u, ok := c.(interface{ NetConn() net.Conn })
		if !ok {
			return c
		}
		c = u.NetConn()
	}
}
