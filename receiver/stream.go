package receiver

import (
	"bytes"
	"context"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/hookcheck/hookcheck/receiver/journal"
	"github.com/hookcheck/hookcheck/receiver/mailsink"
)

// Server-sent event streams of the control API: GET
// /_hookcheck/channels/{id}/stream follows a channel's calls and GET
// /_hookcheck/mail/stream the captured e-mails, for the inspector page and
// for anyone who would rather follow than poll.
//
// A stream reads the journal like any other reader (Log.Changed and
// Log.Find): the recording path does no work per stream. A call is recorded
// on arrival with its planned answer and updated once the answer has gone
// out (Log.Update); the update wakes the stream, which asks the journal
// which seqs were updated since it last looked (Log.UpdatedSince) and sends
// those it had already sent again as "update" events.

// Event names used on the streams.
const (
	eventCall   = "call"   // a call, the first time the stream sends it
	eventUpdate = "update" // a call sent before, whose recorded answer changed
	eventGone   = "gone"   // the channel was deleted; the stream ends
	eventMail   = "mail"   // a captured e-mail
)

// Bounds of a stream.
const (
	// streamBatch bounds how many entries a stream reads from a journal at
	// once, so a long catch-up holds the journal's lock only briefly.
	streamBatch = 256
	// streamRetryMs is the reconnection delay suggested to EventSource.
	streamRetryMs = 2000
	// defaultKeepAlive is how often an idle stream sends a comment, so
	// proxies and clients see the connection is alive.
	defaultKeepAlive = 15 * time.Second
	// minKeepAlive and maxKeepAlive clamp the keepalive query parameter.
	minKeepAlive = 100 * time.Millisecond
	maxKeepAlive = time.Minute
	// streamWriteTimeout bounds one write to a stream client that stopped
	// reading.
	streamWriteTimeout = 30 * time.Second
)

// isStreamPath reports whether path is one of the stream routes, the only
// routes that accept the control token as a ?token= query parameter
// (EventSource cannot send an Authorization header).
func isStreamPath(path string) bool {
	return strings.HasPrefix(path, controlPrefix+"/") && strings.HasSuffix(path, "/stream")
}

// streamTokenOK reports whether r is a stream request carrying the control
// token as ?token=.
func (rv *Receiver) streamTokenOK(r *http.Request) bool {
	if rv.cfg.ControlToken == "" || !isStreamPath(r.URL.Path) {
		return false
	}
	got := r.URL.Query().Get("token")
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(rv.cfg.ControlToken)) == 1
}

// streamQuery holds the parameters common to the streams.
type streamQuery struct {
	after     uint64
	keepAlive time.Duration
}

// parseStreamQuery reads after (or a larger Last-Event-ID header, which
// EventSource sends when it reconnects) and keepalive.
func parseStreamQuery(r *http.Request) (streamQuery, error) {
	q := streamQuery{keepAlive: defaultKeepAlive}
	v := r.URL.Query()
	if s := v.Get("after"); s != "" {
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			return q, fmt.Errorf("after=%q: want a non-negative integer seq", s)
		}
		q.after = n
	}
	if s := strings.TrimSpace(r.Header.Get("Last-Event-ID")); s != "" {
		if n, err := strconv.ParseUint(s, 10, 64); err == nil {
			q.after = max(q.after, n)
		}
	}
	if s := v.Get("keepalive"); s != "" {
		d, err := time.ParseDuration(s)
		if err != nil {
			return q, fmt.Errorf("keepalive=%q: want a duration such as 15s", s)
		}
		q.keepAlive = min(max(d, minKeepAlive), maxKeepAlive)
	}
	return q, nil
}

// sseWriter writes server-sent events and flushes them.
type sseWriter struct {
	w   http.ResponseWriter
	rc  *http.ResponseController
	buf bytes.Buffer
}

// startSSE answers 200 with an event stream and sends the retry hint and an
// opening comment at once, so a client knows the stream is open.
func startSSE(w http.ResponseWriter, opening string) (*sseWriter, error) {
	h := w.Header()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Accel-Buffering", "no")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusOK)
	s := &sseWriter{w: w, rc: http.NewResponseController(w)}
	fmt.Fprintf(&s.buf, "retry: %d\n", streamRetryMs)
	s.comment(opening)
	return s, s.flush()
}

// event queues one event whose data is v as JSON; id is omitted when empty.
func (s *sseWriter) event(name, id string, v any) error {
	data, err := json.Marshal(v) // one line: JSON escapes every line break
	if err != nil {
		return fmt.Errorf("stream: encode %s event: %w", name, err)
	}
	if id != "" {
		fmt.Fprintf(&s.buf, "id: %s\n", id)
	}
	fmt.Fprintf(&s.buf, "event: %s\ndata: %s\n\n", name, data)
	return nil
}

// comment queues a comment line, which clients ignore.
func (s *sseWriter) comment(text string) {
	fmt.Fprintf(&s.buf, ": %s\n\n", strings.ReplaceAll(text, "\n", " "))
}

// flush writes what is queued and flushes it to the client.
func (s *sseWriter) flush() error {
	if s.buf.Len() == 0 {
		return nil
	}
	_ = s.rc.SetWriteDeadline(time.Now().Add(streamWriteTimeout))
	_, err := s.w.Write(s.buf.Bytes())
	s.buf.Reset()
	if err != nil {
		return err
	}
	return s.rc.Flush()
}

// handleCallStream serves GET /_hookcheck/channels/{id}/stream: every call
// with seq > after as a "call" event (id: seq, data: the CALL), then each new
// call as it arrives, an "update" event when a sent call's recorded answer
// changes, and "gone" when the channel is deleted. It ends when the client
// goes away or the receiver closes.
func (rv *Receiver) handleCallStream(w http.ResponseWriter, r *http.Request) {
	ch := rv.lookup(w, r)
	if ch == nil {
		return
	}
	q, err := parseStreamQuery(r)
	if err != nil {
		writeError(w, http.StatusBadRequest, "stream: "+err.Error())
		return
	}
	s, err := startSSE(w, "hookcheck calls of channel "+ch.id)
	if err != nil {
		return
	}
	ctx := r.Context()
	keepAlive := time.NewTicker(q.keepAlive)
	defer keepAlive.Stop()
	rev := ch.log.Rev() // updates before this are in the calls Find returns
	next := q.after
	for {
		changed := ch.log.Changed() // before reading, so no append or update is missed
		seqs, now, _ := ch.log.UpdatedSince(rev)
		rev = now
		if err := sendUpdates(ctx, s, ch, seqs, next); err != nil {
			return
		}
		calls := ch.find(ctx, journal.Query[storedCall]{After: next, Limit: streamBatch})
		for i := range calls {
			c := &calls[i]
			if err := s.event(eventCall, strconv.FormatUint(c.Seq, 10), c); err != nil {
				return
			}
			next = c.Seq
		}
		if err := s.flush(); err != nil {
			return
		}
		if len(calls) == streamBatch {
			continue // more to catch up on
		}
		if ch.log.Forgotten() { // deleting the channel closes changed: no wait for a keep-alive
			_ = s.event(eventGone, "", map[string]string{"channel": ch.id})
			_ = s.flush()
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-rv.ctx.Done():
			return
		case <-changed:
		case <-keepAlive.C:
			if rv.channels.get(ch.id) != ch {
				_ = s.event(eventGone, "", map[string]string{"channel": ch.id})
				_ = s.flush()
				return
			}
			s.comment("keep-alive")
		}
	}
}

// sendUpdates sends an "update" event with the current entry of every
// updated seq the stream has already sent (seq <= sent); later ones go out
// as "call" events with their answer already in them.
func sendUpdates(ctx context.Context, s *sseWriter, ch *channel, seqs []uint64, sent uint64) error {
	done := make(map[uint64]bool, len(seqs))
	for _, seq := range seqs {
		if seq > sent || done[seq] {
			continue
		}
		done[seq] = true
		call, ok := ch.callAt(ctx, seq)
		if !ok {
			continue // evicted meanwhile
		}
		if err := s.event(eventUpdate, "", &call); err != nil {
			return err
		}
	}
	return nil
}

// handleMailStream serves GET /_hookcheck/mail/stream?after=SEQ&to=ADDR:
// every captured e-mail with seq > after (and, with to, addressed to ADDR)
// as a "mail" event (id: seq, data: the MAIL), then each new one as it
// arrives. It ends when the client goes away or the receiver closes.
func (rv *Receiver) handleMailStream(w http.ResponseWriter, r *http.Request) {
	if rv.sink == nil {
		writeError(w, http.StatusNotFound, "this receiver has no SMTP listener")
		return
	}
	q, err := parseStreamQuery(r)
	if err != nil {
		writeError(w, http.StatusBadRequest, "mail stream: "+err.Error())
		return
	}
	s, err := startSSE(w, "hookcheck captured e-mails")
	if err != nil {
		return
	}
	ctx := r.Context()
	to := r.URL.Query().Get("to")
	keepAlive := time.NewTicker(q.keepAlive)
	defer keepAlive.Stop()
	log := rv.sink.Log()
	next := q.after
	for {
		changed := log.Changed()
		list := rv.sink.Find(ctx, mailsink.Query{To: to, After: next})
		for i := range list.Mails {
			m := &list.Mails[i]
			if err := s.event(eventMail, strconv.FormatUint(m.Seq, 10), m); err != nil {
				return
			}
		}
		next = max(next, list.Last)
		if err := s.flush(); err != nil {
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-rv.ctx.Done():
			return
		case <-changed:
		case <-keepAlive.C:
			s.comment("keep-alive")
		}
	}
}
