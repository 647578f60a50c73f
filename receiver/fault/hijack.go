package fault

import (
	"crypto/tls"
	"fmt"
	"net"
	"net/http"
	"time"
)

// hijack takes the connection from net/http, clearing any deadlines the
// server set. It works over HTTP/1.x, with or without TLS.
func hijack(w http.ResponseWriter) (net.Conn, error) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		return nil, fmt.Errorf("take over the connection (the receiver must serve HTTP/1.x, not HTTP/2): %w", err)
	}
	_ = conn.SetDeadline(time.Time{})
	return conn, nil
}

// drop closes the connection without an answer, if it can be hijacked.
func drop(w http.ResponseWriter) {
	if conn, err := hijack(w); err == nil {
		_ = conn.Close()
	}
}

// rawConn returns the transport connection under a TLS connection.
func rawConn(c net.Conn) net.Conn {
	if tc, ok := c.(*tls.Conn); ok {
		return tc.NetConn()
	}
	return c
}
