package receiver

import (
	"sync"
	"time"
)

// gate counts the requests being served, so that Close can wait for them
// before it releases the memory they may be writing to, and turns away
// requests that come after (Receiver.ServeHTTP may be mounted on a server
// the receiver does not own and cannot stop).
type gate struct {
	mu     sync.Mutex
	n      int
	shut   bool
	idle   chan struct{} // closed when n drops to 0 after shut
	closed bool          // idle is closed
}

// enter admits a request; it reports false once the gate is shut.
func (g *gate) enter() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.shut {
		return false
	}
	g.n++
	return true
}

// exit ends a request admitted by enter.
func (g *gate) exit() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.n--
	if g.shut && g.n == 0 && !g.closed {
		close(g.idle)
		g.closed = true
	}
}

// close shuts the gate and waits up to timeout for the admitted requests
// to end; it reports whether they all did.
func (g *gate) close(timeout time.Duration) bool {
	g.mu.Lock()
	if !g.shut {
		g.shut = true
		g.idle = make(chan struct{})
		if g.n == 0 {
			close(g.idle)
			g.closed = true
		}
	}
	idle := g.idle
	g.mu.Unlock()
	select {
	case <-idle:
		return true // also when timeout is 0
	default:
	}
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case <-idle:
		return true
	case <-t.C:
		return false
	}
}
