package mailsink

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net"
	"sync"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/hookcheck/hookcheck/receiver/api"
	"github.com/hookcheck/hookcheck/receiver/journal"
)

// closeGrace bounds how long Close waits for the SMTP sessions to end after
// their connections have been cut.
const closeGrace = 5 * time.Second

// Sink is a running SMTP server that captures every message it is sent.
// It is safe for concurrent use.
type Sink struct {
	srv      *smtp.Server
	ln       *trackingListener
	log      *journal.Log[api.Mail]
	maxBytes int64
	served   chan struct{} // closed when the accept loop has returned

	mu     sync.RWMutex // held for reading around each append
	closed bool

	closeOnce sync.Once
	closeErr  error
}

// Listen starts an SMTP server on addr (for example "127.0.0.1:0", which
// picks a free port) that accepts any sender and recipient without
// authentication or TLS and captures every message in a journal.
func Listen(addr string, opts Options) (*Sink, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	if opts.Journal == nil {
		opts.Journal = journal.New[api.Mail](journal.NewBound(opts.MaxMails))
	}
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("mailsink: listen on %q: %w", addr, err)
	}
	s := &Sink{
		ln:       newTrackingListener(l),
		log:      opts.Journal,
		maxBytes: opts.MaxMessageBytes,
		served:   make(chan struct{}),
	}
	srv := smtp.NewServer(smtp.BackendFunc(s.newSession))
	srv.Domain = opts.Domain
	srv.ReadTimeout = opts.ReadTimeout
	srv.WriteTimeout = opts.WriteTimeout
	srv.ErrorLog = slogLogger{opts.Logger}
	srv.EnableSMTPUTF8 = true
	// The sink enforces MaxMessageBytes itself, exactly, in the session:
	// go-smtp's own limit refuses a message of exactly the limit. Lines may
	// be as long as a whole message, so that a sender's over-long lines do
	// not lose a mail that fits the size limit.
	srv.MaxMessageBytes = 0
	srv.MaxLineLength = lineLimit(opts.MaxMessageBytes)
	s.srv = srv

	go func() {
		defer close(s.served)
		if err := srv.Serve(s.ln); err != nil && !errors.Is(err, net.ErrClosed) {
			opts.Logger.Error("mailsink: smtp server stopped accepting", "addr", s.Addr(), "err", err)
		}
	}()
	return s, nil
}

// lineLimit returns the longest line go-smtp may accept for messages of at
// most maxBytes bytes, with room for the line ending and one byte more, so
// that the size check in the session speaks first.
func lineLimit(maxBytes int64) int {
	if maxBytes > math.MaxInt-3 {
		return math.MaxInt
	}
	return int(maxBytes) + 3
}

// Addr returns the host:port the sink is listening on.
func (s *Sink) Addr() string {
	return s.ln.Addr().String()
}

// Log returns the journal of captured mails, for readers that follow it as
// it grows (see journal.Log.Changed). It stays readable after Close.
func (s *Sink) Log() *journal.Log[api.Mail] {
	return s.log
}

// record appends m to the journal, numbering and timestamping it, unless the
// sink is closed. It reports whether m was stored.
func (s *Sink) record(m api.Mail) bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return false
	}
	s.log.Append(func(seq uint64) api.Mail {
		m.Seq = seq
		m.ReceivedAt = time.Now().UTC()
		return m
	})
	return true
}

// Close stops the sink: it stops accepting connections, cuts every open
// connection (a message still being transferred is not captured) and waits
// for the sessions to end. It returns promptly even when clients are
// connected. No mail is captured after Close returns; the journal stays
// readable. Calls after the first return the first call's result.
func (s *Sink) Close() error {
	s.closeOnce.Do(func() { s.closeErr = s.close() })
	return s.closeErr
}

func (s *Sink) close() error {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()

	var errs []error
	if err := s.ln.Close(); err != nil {
		errs = append(errs, fmt.Errorf("mailsink: close listener %s: %w", s.Addr(), err))
	}
	// The accept loop must have returned before Shutdown waits for the
	// connection handlers it started.
	<-s.served
	ctx, cancel := context.WithTimeout(context.Background(), closeGrace)
	defer cancel()
	if err := s.srv.Shutdown(ctx); err != nil {
		errs = append(errs, fmt.Errorf("mailsink: wait for smtp sessions to end: %w", err))
	}
	return errors.Join(errs...)
}
