package receiver

import (
	"encoding/base64"
	"errors"
	"hash"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/hookcheck/hookcheck/receiver/api"
	"github.com/hookcheck/hookcheck/receiver/fault"
)

// The X-SuperOffice-* headers the receiver reads, in canonical form.
const (
	eventHeader   = "X-Superoffice-Event"
	eventIDHeader = "X-Superoffice-Eventid"
	retryHeader   = "X-Superoffice-Retry"
)

// hooksPrefix is the path under which channels receive calls.
const hooksPrefix = "/hooks/"

// serveHook records a call to /hooks/{id}[/...] and answers it by the
// channel's script. The call is recorded before any scripted delay or fault
// runs, so waiting readers see it the moment it arrives; its response
// (status, headers, body) is filled in once the answer has gone out.
func (rv *Receiver) serveHook(w http.ResponseWriter, r *http.Request) {
	rest := strings.TrimPrefix(r.URL.Path, hooksPrefix)
	id, _, _ := strings.Cut(rest, "/")
	ch, err := rv.channels.getOrCreate(id)
	if err != nil {
		writeError(w, http.StatusNotFound, err.Error())
		return
	}
	receivedAt := time.Now().UTC()
	mac := ch.mac()
	defer ch.releaseMAC(mac)
	body, size, truncated, readErr := readBody(r, rv.cfg.MaxBody, mac)

	call := api.Call{
		Channel:    ch.id,
		ReceivedAt: receivedAt,
		Method:     r.Method,
		Path:       r.URL.Path,
		Query:      r.URL.RawQuery,
		Proto:      r.Proto,
		Headers:    recordHeaders(r),
		BodySize:   size,
		Truncated:  truncated,
		RemoteAddr: r.RemoteAddr,
		TLS:        r.TLS != nil,
		Event:      r.Header.Get(eventHeader),
		EventID:    r.Header.Get(eventIDHeader),
	}
	if v := r.Header.Get(retryHeader); v != "" {
		if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil {
			call.Retry = &n
		}
	}
	if utf8.ValidString(body) {
		call.Body = body
	} else {
		call.BodyBase64 = base64.StdEncoding.EncodeToString([]byte(body))
	}
	sig, present := r.Header[SignatureHeader]
	sigValue := ""
	if present && len(sig) > 0 {
		sigValue = sig[0]
	}
	if truncated {
		call.Signature = api.SignatureUnchecked // no whole body to hash
	} else {
		call.Signature = verdict(present, sigValue, mac)
	}

	var plan fault.Plan
	ch.mu.Lock()
	switch {
	case readErr != nil:
		call.Response = api.Response{Rule: -1, Fault: "aborted"}
	case truncated:
		call.Response = api.Response{Rule: -1, Status: http.StatusRequestEntityTooLarge}
	default:
		plan = ch.script.Decide(fault.Call{Event: call.Event, Header: r.Header, Nth: ch.log.Next()})
		call.Response = plan.Planned()
	}
	seq := ch.log.Append(func(seq uint64) api.Call { call.Seq = seq; return call })
	ch.mu.Unlock()

	switch {
	case readErr != nil:
		return // the client is gone; there is no one to answer
	case truncated:
		w.Header().Set("Connection", "close")
		writeError(w, http.StatusRequestEntityTooLarge, "body exceeds the receiver's --max-body of "+strconv.FormatInt(rv.cfg.MaxBody, 10)+" bytes")
		return
	}
	err = fault.Execute(rv.ctx, w, r, &plan)
	// Only now does the plan know what went out (status, headers, body); the
	// call was recorded on arrival with the planned answer.
	resp := plan.Response()
	ch.log.Update(seq, func(c *api.Call) { c.Response = resp })
	if err != nil {
		rv.cfg.Logger.Debug("answer call", "channel", ch.id, "seq", seq, "err", err)
	}
}

// maxCountedBeyondLimit bounds how many bytes of an over-limit body without
// a Content-Length are read (and discarded) to learn its size; beyond it the
// recorded size is a lower bound.
const maxCountedBeyondLimit = 64 << 20

// bodyChunks are readBody's transfer buffers, reused so that no call pays for
// zeroing one.
var bodyChunks = sync.Pool{New: func() any { return new([4 << 10]byte) }}

// readBody reads at most max bytes of the body, writing them into mac as
// well when it is not nil, so the signature is checked without a second
// pass. It reports the body, the size the client declared or sent, whether
// the body was cut off, and a read error other than the cut-off. The body
// is built in a strings.Builder, so the recorded string is the one
// allocation the bytes land in (no zeroed buffer, no copy into a string).
func readBody(r *http.Request, max int64, mac hash.Hash) (string, int64, bool, error) {
	if r.Body == nil || r.Body == http.NoBody {
		return "", 0, false, nil
	}
	capHint := r.ContentLength
	if capHint < 0 || capHint > max {
		capHint = min(max, 64<<10)
	}
	var b strings.Builder
	b.Grow(int(capHint) + 1)
	chunk := bodyChunks.Get().(*[4 << 10]byte)
	defer bodyChunks.Put(chunk)
	lr := &io.LimitedReader{R: r.Body, N: max + 1}
	for {
		n, err := lr.Read(chunk[:])
		b.Write(chunk[:n])
		if mac != nil {
			mac.Write(chunk[:n])
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return b.String(), int64(b.Len()), true, err
		}
	}
	body := b.String()
	if int64(len(body)) > max {
		size := r.ContentLength
		if size < 0 {
			// A chunked body declares no size: count the rest, within reason.
			n, _ := io.Copy(io.Discard, io.LimitReader(r.Body, maxCountedBeyondLimit))
			size = int64(len(body)) + n
		}
		if size < int64(len(body)) {
			size = int64(len(body))
		}
		return body[:max], size, true, nil
	}
	return body, int64(len(body)), false, nil
}

// recordHeaders copies the request headers (one allocation for all the
// values), adding Host, which net/http keeps outside the map.
func recordHeaders(r *http.Request) map[string][]string {
	h := r.Header.Clone()
	if h == nil {
		h = http.Header{}
	}
	if r.Host != "" {
		h["Host"] = []string{r.Host}
	}
	return h
}
