package receiver

import (
	"encoding/base64"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
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
	body, size, truncated, readErr := readBody(r, rv.cfg.MaxBody)

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
	if utf8.Valid(body) {
		call.Body = string(body)
	} else {
		call.BodyBase64 = base64.StdEncoding.EncodeToString(body)
	}
	sig, present := r.Header[SignatureHeader]
	sigValue := ""
	if present && len(sig) > 0 {
		sigValue = sig[0]
	}
	if truncated {
		call.Signature = api.SignatureUnchecked // no whole body to hash
	} else {
		call.Signature = Verify(ch.secret, present, sigValue, body)
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

// readBody reads at most max bytes of the body. It reports the body size
// the client declared or sent, whether the body was cut off, and a read
// error other than the cut-off.
func readBody(r *http.Request, max int64) ([]byte, int64, bool, error) {
	if r.Body == nil || r.Body == http.NoBody {
		return nil, 0, false, nil
	}
	capHint := r.ContentLength
	if capHint < 0 || capHint > max {
		capHint = min(max, 64<<10)
	}
	buf := make([]byte, 0, capHint+1)
	lr := &io.LimitedReader{R: r.Body, N: max + 1}
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := lr.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return buf, int64(len(buf)), true, err
		}
	}
	if int64(len(buf)) > max {
		size := r.ContentLength
		if size < 0 {
			// A chunked body declares no size: count the rest, within reason.
			n, _ := io.Copy(io.Discard, io.LimitReader(r.Body, maxCountedBeyondLimit))
			size = int64(len(buf)) + n
		}
		if size < int64(len(buf)) {
			size = int64(len(buf))
		}
		return buf[:max], size, true, nil
	}
	return buf, int64(len(buf)), false, nil
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
