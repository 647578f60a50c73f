package receiver

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"strings"
	"sync"

	"github.com/hookcheck/hookcheck/receiver/api"
)

// Headers as sent. net/http hands a handler the request's headers in a
// map under canonical names ("X-Superoffice-Eventid"), in no order, with
// Host and Transfer-Encoding taken out. To show a call's headers as the
// sender wrote them, the plain-HTTP listener's connections copy the bytes
// of each request's header block as they are read (capturingConn); the
// call keeps that block beside its canonical headers, and a reader turns
// it into RawHeaders only when it agrees with them (rawHeaders), so bytes
// that belong to another request (a pipelining client) are never shown as
// this call's. Over HTTPS the bytes are decrypted inside crypto/tls, out
// of reach: those calls, and HTTP/2 ones, have no RawHeaders.

// maxRawHeader bounds the header block a connection copies; a larger one
// is not kept (the call has its canonical headers only). It is well above
// any webhook's, and below net/http's own 1 MiB limit.
const maxRawHeader = 64 << 10

// capturingListener wraps the plain-HTTP listener's connections in
// capturingConns.
type capturingListener struct{ net.Listener }

// Accept returns the next connection, copying its header blocks.
func (l capturingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &capturingConn{Conn: c, capturing: true}, nil
}

// capturingConn copies the bytes read from it from the moment it is armed
// until the end of a header block (an empty line), and then stops copying
// until it is armed again: once the request's body is read (rearm, by the
// handler) and when the connection goes idle (idle, by the server).
type capturingConn struct {
	net.Conn
	mu        sync.Mutex
	buf       []byte
	capturing bool // copying reads into buf
	done      bool // buf holds a whole header block
}

// NetConn returns the connection beneath, for faults that reset it.
func (c *capturingConn) NetConn() net.Conn { return c.Conn }

// Read reads from the connection and copies what it read while armed.
func (c *capturingConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if n > 0 {
		c.mu.Lock()
		if c.capturing {
			c.copyRead(p[:n])
		}
		c.mu.Unlock()
	}
	return n, err
}

// copyRead appends b to buf and stops at the end of the header block;
// c.mu is held.
func (c *capturingConn) copyRead(b []byte) {
	from := max(0, len(c.buf)-3) // the empty line may straddle two reads
	c.buf = append(c.buf, b...)
	for {
		i := bytes.Index(c.buf[from:], []byte("\r\n\r\n"))
		if i < 0 {
			break
		}
		end := from + i + 4
		if len(bytes.TrimLeft(c.buf[:end], "\r\n")) == 0 {
			from = end // blank lines before a request line, which senders may send
			continue
		}
		c.buf, c.capturing, c.done = c.buf[:end], false, true
		return
	}
	if len(c.buf) > maxRawHeader {
		c.buf, c.capturing = c.buf[:0], false
	}
}

// block returns the header block copied for the request being served, or
// nil. It stays valid until the connection is armed again.
func (c *capturingConn) block() []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.done {
		return nil
	}
	return c.buf
}

// rearm starts copying for the next request, unless it already does (a
// byte of the next request may be in already).
func (c *capturingConn) rearm() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.capturing {
		return
	}
	if cap(c.buf) > 8<<10 {
		c.buf = nil // let a one-off large block go
	}
	c.buf, c.capturing, c.done = c.buf[:0], true, false
}

// capturingConnKey keys a request's capturingConn in its context.
type capturingConnKey struct{}

// withCapturingConn is the servers' ConnContext: it puts a capturingConn
// into the context of the requests it serves.
func withCapturingConn(ctx context.Context, c net.Conn) context.Context {
	if cc, ok := c.(*capturingConn); ok {
		return context.WithValue(ctx, capturingConnKey{}, cc)
	}
	return ctx
}

// capturingConnOf returns the capturingConn r arrived on, or nil.
func capturingConnOf(r *http.Request) *capturingConn {
	cc, _ := r.Context().Value(capturingConnKey{}).(*capturingConn)
	return cc
}

// rearmOnIdle is the servers' ConnState hook: a connection that goes idle
// copies the next request's header block.
func rearmOnIdle(c net.Conn, s http.ConnState) {
	if cc, ok := c.(*capturingConn); ok && s == http.StateIdle {
		cc.rearm()
	}
}

// headerLines returns a captured header block without its request line
// and final empty line, the form a call keeps; nil for none.
func headerLines(block []byte) []byte {
	block = bytes.TrimLeft(block, "\r\n")
	_, rest, ok := bytes.Cut(block, []byte("\r\n"))
	if !ok {
		return nil
	}
	return bytes.TrimSuffix(rest, []byte("\r\n\r\n"))
}

// rawHeaders parses kept header lines into fields, names and values as
// sent, in order, and returns them only when they are the headers net/http
// read for the call: each canonical name's values the same and in the
// same order (Host and Transfer-Encoding, which net/http takes out, aside).
// Otherwise, or for no lines, it returns nil.
func rawHeaders(lines []byte, canonical map[string][]string) []api.HeaderField {
	if len(lines) == 0 {
		return nil
	}
	var out []api.HeaderField
	seen := map[string]int{}
	total := 0
	for _, vs := range canonical {
		total += len(vs)
	}
	matched := 0
	for line := range strings.SplitSeq(string(lines), "\r\n") {
		name, value, ok := strings.Cut(line, ":")
		if !ok || name == "" || strings.ContainsAny(name[:1], " \t") {
			return nil // not a header line net/http would take
		}
		value = strings.Trim(value, " \t")
		out = append(out, api.HeaderField{Name: name, Value: value})
		key := http.CanonicalHeaderKey(name)
		if key == "Transfer-Encoding" {
			continue
		}
		vs := canonical[key]
		i := seen[key]
		if i >= len(vs) || vs[i] != value {
			return nil
		}
		seen[key] = i + 1
		matched++
	}
	if matched != total {
		return nil
	}
	return out
}
