package mailsink

import (
	"net"
	"sync"
)

// trackingListener is a net.Listener that remembers every connection it has
// accepted and not yet seen closed, so that closing the listener also cuts
// every open connection, including one accepted an instant before the close
// and not yet registered by the SMTP server.
type trackingListener struct {
	net.Listener

	mu     sync.Mutex
	closed bool
	conns  map[*trackedConn]struct{}

	closeOnce sync.Once
	closeErr  error
}

// newTrackingListener wraps l.
func newTrackingListener(l net.Listener) *trackingListener {
	return &trackingListener{Listener: l, conns: map[*trackedConn]struct{}{}}
}

// Accept waits for the next connection and records it. After Close it
// returns net.ErrClosed, closing any connection that raced with the close.
func (l *trackingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		c.Close()
		return nil, net.ErrClosed
	}
	tc := &trackedConn{Conn: c, owner: l}
	l.conns[tc] = struct{}{}
	return tc, nil
}

// Close stops accepting and closes every open accepted connection. Only the
// first call does anything; later calls return nil.
func (l *trackingListener) Close() error {
	first := false
	l.closeOnce.Do(func() {
		first = true
		l.mu.Lock()
		l.closed = true
		conns := l.conns
		l.conns = map[*trackedConn]struct{}{}
		l.mu.Unlock()
		l.closeErr = l.Listener.Close()
		for c := range conns {
			c.Close()
		}
	})
	if !first {
		return nil
	}
	return l.closeErr
}

// forget drops c from the set of open connections.
func (l *trackingListener) forget(c *trackedConn) {
	l.mu.Lock()
	delete(l.conns, c)
	l.mu.Unlock()
}

// trackedConn is a connection accepted by a trackingListener; closing it
// removes it from the listener's set. Close may be called more than once
// and from several goroutines.
type trackedConn struct {
	net.Conn
	owner *trackingListener

	closeOnce sync.Once
	closeErr  error
}

// Close closes the connection once and forgets it.
func (c *trackedConn) Close() error {
	c.closeOnce.Do(func() {
		c.owner.forget(c)
		c.closeErr = c.Conn.Close()
	})
	return c.closeErr
}
