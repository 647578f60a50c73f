package conformance

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/hookcheck/hookcheck/conformance/driver"
)

// coordinator hands out the specs of a parallel run: every worker walks
// the same order and claims each spec; the first claim wins, the others
// skip it. A serial spec starts only when no other spec runs, and no spec
// starts beside it. It also paces the workers' API requests (--max-rps)
// and feeds the status board.
type coordinator struct {
	limiter driver.Limiter
	board   *statusBoard

	mu sync.Mutex
	// changed is closed and replaced whenever a claim may have become
	// grantable.
	changed       chan struct{}
	specs         map[int]*flight
	running       map[int]*flight
	serialActive  bool
	serialWaiting int
	stopped       bool
	// halted is set once a failure stopped a --fail-fast run: every claim
	// not yet granted is answered Halted.
	halted bool
	// down is why the run stopped starting specs: the target stopped
	// answering ("" while it answers).
	down string
	// watch hears the workers' calls that got no answer.
	watch driver.ConnWatcher
	err   error
}

// newCoordinator returns a coordinator reporting to board.
func newCoordinator(limiter driver.Limiter, board *statusBoard) *coordinator {
	return &coordinator{limiter: limiter, board: board, changed: make(chan struct{}),
		specs: map[int]*flight{}, running: map[int]*flight{}}
}

// notify wakes the waiting claims; c.mu is held.
func (c *coordinator) notify() {
	close(c.changed)
	c.changed = make(chan struct{})
}

// stop makes every waiting and later claim answer "interrupted".
func (c *coordinator) stop() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.stopped = true
	c.notify()
}

// targetDown makes every claim not yet granted answer NotRun with
// reason, and ends the workers' long polls of /watch, so their running
// specs are cut short.
func (c *coordinator) targetDown(reason string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.down = reason
	c.notify()
}

// awaitStop waits until the run stops its specs because the target
// stopped answering, and returns the reason; "" when ctx ends first.
func (c *coordinator) awaitStop(ctx context.Context) string {
	for {
		c.mu.Lock()
		down, wake := c.down, c.changed
		c.mu.Unlock()
		if down != "" {
			return down
		}
		select {
		case <-wake:
		case <-ctx.Done():
			return ""
		}
	}
}

// failure returns the first protocol error a worker caused (nil: none).
func (c *coordinator) failure() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}

// claim answers a worker's claim of the spec at req.Seq, waiting while a
// serial spec must run alone.
func (c *coordinator) claim(ctx context.Context, req claimRequest) (claimAnswer, error) {
	c.mu.Lock()
	if f, ok := c.specs[req.Seq]; ok {
		defer c.mu.Unlock()
		if f.key != req.Key {
			err := fmt.Errorf("the workers disagree on the order of the specs: #%d is %q for worker %d but %q for worker %d", req.Seq, f.key, f.worker, req.Key, req.Worker)
			if c.err == nil {
				c.err = err
			}
			return claimAnswer{}, err
		}
		return claimAnswer{}, nil
	}
	f := &flight{seq: req.Seq, key: req.Key, tag: req.Tag, worker: req.Worker, serial: req.Serial, wait: req.Wait}
	c.specs[req.Seq] = f
	if f.serial {
		c.serialWaiting++
	}
	for {
		if c.halted {
			if f.serial {
				c.serialWaiting--
			}
			f.done = true
			c.notify()
			c.mu.Unlock()
			return claimAnswer{Halted: true}, nil
		}
		if c.stopped {
			if f.serial {
				c.serialWaiting--
			}
			f.done = true
			c.mu.Unlock()
			return claimAnswer{Interrupted: true}, nil
		}
		if c.down != "" {
			if f.serial {
				c.serialWaiting--
			}
			f.done = true
			c.notify()
			c.mu.Unlock()
			return claimAnswer{NotRun: c.down}, nil
		}
		free := !c.serialActive && (len(c.running) == 0 || !f.serial) && (f.serial || c.serialWaiting == 0)
		if free {
			f.granted, f.started = true, time.Now()
			c.running[f.seq] = f
			if f.serial {
				c.serialWaiting--
				c.serialActive = true
			}
			c.notify()
			c.mu.Unlock()
			c.board.started(f)
			return claimAnswer{Granted: true}, nil
		}
		wake := c.changed
		c.mu.Unlock()
		select {
		case <-wake:
		case <-ctx.Done():
			c.mu.Lock()
			if f.serial {
				c.serialWaiting--
			}
			f.done = true
			c.notify()
			c.mu.Unlock()
			return claimAnswer{}, ctx.Err()
		}
		c.mu.Lock()
	}
}

// done records a spec a worker finished.
func (c *coordinator) done(req doneRequest) error {
	c.mu.Lock()
	f, ok := c.specs[req.Seq]
	if !ok || f.worker != req.Worker || !f.granted {
		c.mu.Unlock()
		return fmt.Errorf("worker %d reported spec #%d, which it was not given", req.Worker, req.Seq)
	}
	delete(c.running, f.seq)
	f.done = true
	if req.Halt {
		c.halted = true
	}
	if f.serial {
		c.serialActive = false
	}
	c.notify()
	c.mu.Unlock()
	c.board.finished(f, req.Line, req.Failed)
	return nil
}

// inFlight returns the specs running now, longest running first.
func (c *coordinator) inFlight() []flight {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]flight, 0, len(c.running))
	for _, f := range c.running {
		out = append(out, *f)
	}
	sortFlights(out)
	return out
}

// handler serves the coordinator's API under prefix.
func (c *coordinator) handler(prefix string) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST "+prefix+"/begin", func(w http.ResponseWriter, r *http.Request) {
		var req beginRequest
		if !decode(w, r, &req) {
			return
		}
		c.board.begin(req.Total)
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("POST "+prefix+"/claim", func(w http.ResponseWriter, r *http.Request) {
		var req claimRequest
		if !decode(w, r, &req) {
			return
		}
		ans, err := c.claim(r.Context(), req)
		if err != nil {
			http.Error(w, err.Error(), http.StatusConflict)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(ans)
	})
	mux.HandleFunc("POST "+prefix+"/done", func(w http.ResponseWriter, r *http.Request) {
		var req doneRequest
		if !decode(w, r, &req) {
			return
		}
		if err := c.done(req); err != nil {
			http.Error(w, err.Error(), http.StatusConflict)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("POST "+prefix+"/connfail", func(w http.ResponseWriter, r *http.Request) {
		var req connFailRequest
		if !decode(w, r, &req) {
			return
		}
		if c.watch != nil {
			c.watch.ConnFailed(errors.New(req.Error))
		}
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("POST "+prefix+"/watch", func(w http.ResponseWriter, r *http.Request) {
		ans := watchAnswer{Stop: c.awaitStop(r.Context())}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(ans)
	})
	mux.HandleFunc("POST "+prefix+"/token", func(w http.ResponseWriter, r *http.Request) {
		if c.limiter != nil {
			if err := c.limiter.Wait(r.Context()); err != nil {
				http.Error(w, err.Error(), http.StatusServiceUnavailable)
				return
			}
		}
		w.WriteHeader(http.StatusNoContent)
	})
	return mux
}

// decode reads a JSON request body into v, answering 400 when it cannot.
func decode(w http.ResponseWriter, r *http.Request, v any) bool {
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(v); err != nil {
		http.Error(w, "bad request: "+err.Error(), http.StatusBadRequest)
		return false
	}
	return true
}
