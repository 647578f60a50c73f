package conformance

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hookcheck/hookcheck/conformance/driver"
	"github.com/hookcheck/hookcheck/conformance/framework"
)

// A target that stops answering mid-run (killed, crashed, its host gone)
// is one finding, not a failure of every spec after it: the run's
// targetWatch counts the API calls that got no answer at all (connection
// refused, reset) and dials the target every second; after
// consecutiveFailures of them in a row it confirms with one API call of
// its own. When that gets no answer either, the run stops starting specs
// (they are "not run" with the reason), cuts the running ones short, and
// says so in one line.

// consecutiveFailures is how many calls or dials in a row must get no
// answer before the watch probes the target.
const consecutiveFailures = 2

// heartbeatEvery is how often the watch dials the target while specs
// run, so a target that dies while every spec waits on the receiver is
// noticed too.
const heartbeatEvery = time.Second

// probeTimeout bounds the watch's confirming call and each dial.
const probeTimeout = 3 * time.Second

// targetWatch notices a target that stopped answering during a run. It
// is a driver.ConnWatcher: the run's API client reports every call to it
// (a parallel run's workers report the calls that got no answer).
type targetWatch struct {
	// addr is the host:port the heartbeat dials.
	addr string
	// probe makes one API call to the target; an error that
	// driver.ConnectionLost recognises confirms the target is gone.
	probe func(ctx context.Context) error
	// count returns how many specs finished and how many the run has.
	count func() (done, total int)
	// onDown is called once, with the one-line reason, when the target
	// is confirmed gone.
	onDown func(reason string)
	now    func() time.Time

	mu       sync.Mutex
	started  bool
	failures int
	lastErr  error
	probing  bool
	down     string
}

// attach points the watch at the target of env: the heartbeat dials its
// base URL, the probe calls its first front end that answered the
// preflight.
func (w *targetWatch) attach(env *framework.Env) {
	w.addr = dialAddr(env.Target.BaseURL)
	w.probe = func(ctx context.Context) error {
		for _, st := range env.Styles() {
			d, _ := env.Driver(st)
			_, err := d.Default(ctx)
			return err
		}
		return nil
	}
	if w.now == nil {
		w.now = time.Now
	}
}

// dialAddr is the host:port of a base URL ("" when it has none).
func dialAddr(base string) string {
	u, err := url.Parse(base)
	if err != nil || u.Host == "" {
		return ""
	}
	if u.Port() != "" {
		return u.Host
	}
	if u.Scheme == "https" {
		return net.JoinHostPort(u.Hostname(), "443")
	}
	return net.JoinHostPort(u.Hostname(), "80")
}

// Answered implements driver.ConnWatcher.
func (w *targetWatch) Answered() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.failures = 0
}

// ConnFailed implements driver.ConnWatcher: a call got no answer.
func (w *targetWatch) ConnFailed(err error) {
	w.mu.Lock()
	if !w.started || w.down != "" {
		w.mu.Unlock()
		return
	}
	w.failures++
	w.lastErr = err
	if w.failures < consecutiveFailures || w.probing {
		w.mu.Unlock()
		return
	}
	w.probing = true
	w.mu.Unlock()
	go w.confirm()
}

// confirm probes the target and declares it gone when the probe gets no
// answer either.
func (w *targetWatch) confirm() {
	ctx, cancel := context.WithTimeout(context.Background(), probeTimeout)
	defer cancel()
	err := w.probe(ctx)
	w.mu.Lock()
	w.probing = false
	if err == nil || !driver.ConnectionLost(err) {
		w.failures = 0
		w.mu.Unlock()
		return
	}
	done, total := w.count()
	w.down = fmt.Sprintf("the target stopped answering at %s, after %d of %d specs (%s)",
		w.now().Format("15:04:05"), done, total, lastCause(err))
	reason := w.down
	w.mu.Unlock()
	w.onDown(reason)
}

// lastCause is the innermost part of a transport error, e.g.
// "connect: connection refused".
func lastCause(err error) string {
	s := err.Error()
	if i := strings.LastIndex(s, ": dial "); i >= 0 {
		s = s[i+2:]
	}
	return s
}

// start arms the watch (calls before it, the preflight's, do not count)
// and dials the target every heartbeatEvery until ctx ends.
func (w *targetWatch) start(ctx context.Context) {
	w.mu.Lock()
	w.started, w.failures = true, 0
	w.mu.Unlock()
	if w.addr == "" {
		return
	}
	go func() {
		t := time.NewTicker(heartbeatEvery)
		defer t.Stop()
		d := net.Dialer{Timeout: probeTimeout}
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			conn, err := d.DialContext(ctx, "tcp", w.addr)
			if err == nil {
				_ = conn.Close()
				continue
			}
			if ctx.Err() == nil && driver.ConnectionLost(err) {
				w.ConnFailed(err)
			}
		}
	}()
}

// reason returns why the target is considered gone ("" while it answers).
func (w *targetWatch) reason() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.down
}

// serialCount counts the specs of a serial run for the watch's message:
// how many finished and how many the run has.
var serialCount struct{ done, total atomic.Int64 }

// serialProgress returns serialCount's numbers.
func serialProgress() (int, int) {
	return int(serialCount.done.Load()), int(serialCount.total.Load())
}
