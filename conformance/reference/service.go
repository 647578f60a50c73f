package reference

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"
)

// Service is the core of the reference webhook service: storage,
// validation, save-time URL verification, the delivery engine and the state
// machine. Front ends call only its exported methods; it is safe for
// concurrent use.
type Service struct {
	opts  Options // resolved: every default and component filled in
	log   *slog.Logger
	label string // pprof label value of the service's goroutines

	ctx    context.Context // cancelled by Close
	cancel context.CancelFunc
	closed atomic.Bool

	// persistMu serialises every mutation with its disk write, so the file
	// always holds the latest committed state. Lock order: persistMu, mu,
	// lifeMu, worker.mu.
	persistMu sync.Mutex
	mu        sync.RWMutex
	hooks     map[int32]*hookRecord
	nextID    int32
	files     *hookFile // nil without DataDir

	lifeMu  sync.Mutex // guards workers and wg.Add against Close
	workers map[int32]*hookWorker
	wg      sync.WaitGroup
}

// Condition carries the conditional-update precondition of PUT/PATCH.
type Condition struct {
	// IfUnmodifiedSince, when non-zero, makes the update fail with
	// KindPreconditionFailed if the webhook changed after it.
	IfUnmodifiedSince time.Time
}

var serviceCounter atomic.Int64

// New builds a Service from opts (see Options for the defaults). With
// Options.DataDir it loads the stored webhooks.
func New(opts Options) (*Service, error) {
	o, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	s := &Service{
		opts:    o,
		log:     o.Logger,
		label:   fmt.Sprintf("service-%d", serviceCounter.Add(1)),
		hooks:   map[int32]*hookRecord{},
		nextID:  1,
		workers: map[int32]*hookWorker{},
	}
	if o.DataDir != "" {
		f, err := openHookFile(o.DataDir)
		if err != nil {
			return nil, err
		}
		st, err := f.load()
		if err != nil {
			return nil, err
		}
		s.files = f
		s.restore(st)
	}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	return s, nil
}

// Close stops the delivery engine: pending deliveries are dropped, in-flight
// requests, waits and e-mails are cancelled, and Close returns once every
// goroutine of the service has ended. Storage needs no flush (every change
// is written when it happens). Calls made after Close fail; Close is
// idempotent.
func (s *Service) Close() error {
	s.lifeMu.Lock()
	if s.closed.Swap(true) {
		s.lifeMu.Unlock()
		return nil
	}
	s.cancel()
	s.lifeMu.Unlock()
	s.wg.Wait()
	if c, ok := s.opts.Sender.(interface{ CloseIdleConnections() }); ok {
		c.CloseIdleConnections()
	}
	return nil
}

// Default returns the CreateDefaultWebhook entity (spec §1.2), a fresh
// value on every call.
func (s *Service) Default() Webhook { return s.present(copyWebhook(s.opts.Defaults()), Usage{}) }

// StandardDefaults returns the documented defaults of spec §1.2: Events
// contact.created and contact.deleted, State Active, Type webhook, every
// other field null or zero.
func StandardDefaults() Webhook {
	return Webhook{
		Events: []string{"contact.created", "contact.deleted"},
		State:  StateActive,
		Type:   "webhook",
	}
}

// ScriptRunner returns the runner of crmscript hooks; with the default
// options it is the *ScriptRecorder that tests inspect.
func (s *Service) ScriptRunner() ScriptRunner { return s.opts.ScriptRunner }

// Clock returns the service's clock.
func (s *Service) Clock() Clock { return s.opts.Clock }

// now returns the clock's time in UTC at the 100 ns resolution the wire
// format keeps, so stored times survive a round trip through any front end.
func (s *Service) now() time.Time {
	return s.opts.Clock.Now().UTC().Truncate(100 * time.Nanosecond)
}

// begin checks that the service is open and admits c; the returned context
// ends with ctx or with Close.
func (s *Service) begin(ctx context.Context, c *Caller) (context.Context, context.CancelFunc, error) {
	if s.closed.Load() {
		return nil, nil, errServiceClosed()
	}
	if c != nil {
		if err := s.opts.Access.Admit(*c); err != nil {
			return nil, nil, err
		}
	}
	ctx, cancel := context.WithCancel(ctx)
	stop := context.AfterFunc(s.ctx, cancel)
	return ctx, func() { stop(); cancel() }, nil
}

// spawn runs fn on a tracked goroutine labelled with the service's label;
// it reports false (and runs nothing) once the service is closing.
func (s *Service) spawn(fn func()) bool {
	s.lifeMu.Lock()
	defer s.lifeMu.Unlock()
	if s.closed.Load() {
		return false
	}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		s.labelled(fn)
	}()
	return true
}

// callerAssociateID returns the id of the caller's associate, 0 when none.
func callerAssociateID(c Caller) int32 { return associateIDOf(c.Associate) }
