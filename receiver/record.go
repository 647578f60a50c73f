package receiver

import (
	"errors"
	"hash"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

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
	receivedAt := time.Now()
	mac := ch.mac()
	defer ch.releaseMAC(mac)
	bufs := rv.channels.bufs
	cc := capturingConnOf(r)
	var lines []byte // the header lines as sent, when the connection copied them
	if cc != nil {
		lines = headerLines(cc.block())
	}
	buf := bufs.get(packedSize(r, lines) + bodyHint(r.ContentLength, rv.cfg.MaxBody))
	buf = packRequest(buf, r, lines)
	bodyAt := len(buf)
	limited := rv.limitBody(w, r)
	buf, size, truncated, readErr := readBody(r, rv.cfg.MaxBody, mac.hash(), buf, bufs)
	if cc != nil {
		cc.rearm() // the body is in: what the connection reads next is the next request
	}
	if limited && readErr == nil && !truncated {
		// Lifted only for a body read whole: otherwise net/http reads on to
		// discard the rest, and the deadline bounds that too.
		liftBodyLimit(w)
	}
	timedOut := readErr != nil && isTimeout(readErr)
	if readErr != nil {
		buf = bufs.fit(buf) // keep what arrived, not the room made for what was announced
	}

	sc := storedCall{
		receivedAt: receivedAt.UnixNano(),
		bodySize:   size,
		buf:        buf,
		bodyAt:     uint32(bodyAt),
		truncated:  truncated,
		tls:        r.TLS != nil,
	}
	if truncated {
		sc.signature = sigUnchecked // no whole body to hash
	} else {
		sig, present := r.Header[SignatureHeader]
		sigValue := ""
		if present && len(sig) > 0 {
			sigValue = sig[0]
		}
		sc.signature = mac.verdict(present, sigValue)
	}
	// The script decides under the journal's lock, so the ordinal it sees
	// (nth) is the seq the call gets. From here on the journal owns buf.
	plan := plans.Get().(*fault.Plan)
	defer func() { *plan = fault.Plan{}; plans.Put(plan) }()
	var planned api.Response
	switch {
	case timedOut:
		planned = api.Response{Rule: -1, Fault: "aborted", Status: http.StatusRequestTimeout}
	case readErr != nil:
		planned = api.Response{Rule: -1, Fault: "aborted"}
	case truncated:
		planned = api.Response{Rule: -1, Status: http.StatusRequestEntityTooLarge}
	}
	answer := readErr == nil && !truncated
	seq := ch.log.Append(func(seq uint64) storedCall {
		sc.seq = seq
		if answer {
			script := ch.script.Load()
			call := fault.Call{Header: r.Header, Nth: seq}
			if !script.Empty() {
				call.Event = r.Header.Get(eventHeader)
			}
			*plan = script.Decide(call)
			planned = plan.Planned()
		}
		sc.response = ch.responses.intern(&planned)
		return sc
	})
	if p := rv.persist; p != nil {
		p.recorded(r.Context(), ch, seq) // with --sync: on disk before the answer
	}

	switch {
	case timedOut:
		w.Header().Set("Connection", "close")
		writeError(w, http.StatusRequestTimeout, "body not received within the receiver's --body-timeout of "+rv.cfg.BodyTimeout.String()+" (got "+strconv.FormatInt(size, 10)+" bytes)")
		return
	case readErr != nil:
		return // the client is gone; there is no one to answer
	case truncated:
		w.Header().Set("Connection", "close")
		writeError(w, http.StatusRequestEntityTooLarge, "body exceeds the receiver's --max-body of "+strconv.FormatInt(rv.cfg.MaxBody, 10)+" bytes")
		return
	}
	r.Body = http.NoBody // read to its end above: nothing for Execute to drain
	err = fault.Execute(rv.ctx, w, r, plan)
	// Only now does the plan know what went out (status, headers, body); the
	// call was recorded on arrival with the planned answer. The usual
	// answer goes out as planned, and then there is nothing to update (or
	// to wake readers for).
	if sent := plan.Response(); !sameResponse(&sent, &planned) {
		ch.log.Update(seq, func(c *storedCall) {
			old := c.response
			c.response = ch.responses.intern(&sent)
			ch.responses.release(old)
		})
		if p := rv.persist; p != nil {
			p.markDirty(ch)
		}
	}
	if err != nil {
		rv.cfg.Logger.Debug("answer call", "channel", ch.id, "seq", seq, "err", err)
	}
}

// plans recycles the fault plans of calls: one escapes to the heap per
// call otherwise (the fault's writer points into it).
var plans = sync.Pool{New: func() any { return new(fault.Plan) }}

// maxCountedBeyondLimit bounds how many bytes of an over-limit body without
// a Content-Length are read (and discarded) to learn its size; beyond it the
// recorded size is a lower bound.
const maxCountedBeyondLimit = 64 << 20

// firstBodyRoom bounds the room made for a body before any of it has
// arrived. A Content-Length is only a claim: a thousand connections that
// announce a megabyte each and send three bytes must not make the receiver
// reserve a gigabyte. Beyond it, readBody grows the buffer as bytes
// actually arrive (doubling at most), so a buffer is never more than twice
// the bytes received plus this much.
const firstBodyRoom = 16 << 10

// bodyHint is the room to make for a body the client declared as
// contentLength bytes (-1: unknown) under the limit limitBytes: all of it when
// it is at most firstBodyRoom, else a first slice that readBody grows.
func bodyHint(contentLength, limitBytes int64) int {
	if contentLength >= 0 && contentLength <= limitBytes {
		return int(min(contentLength, firstBodyRoom))
	}
	return int(min(limitBytes, 4<<10))
}

// readBody appends at most limitBytes bytes of the body to buf, reading straight
// into its spare room (grown from bufs when full) and writing them into
// mac as well when it is not nil, so the signature is checked without a
// second pass. It reports the buffer, the size the client declared or
// sent, whether the body was cut off, and a read error other than the
// cut-off.
func readBody(r *http.Request, limitBytes int64, mac hash.Hash, buf []byte, bufs *callBuffers) ([]byte, int64, bool, error) {
	if r.Body == nil || r.Body == http.NoBody {
		return buf, 0, false, nil
	}
	start := len(buf)
	limit := limitBytes + 1 // one byte over tells a body at the limit from one beyond it
	for {
		read := int64(len(buf) - start)
		if read >= limit || read == r.ContentLength {
			break // the declared length is in: no read past it for the EOF
		}
		if len(buf) == cap(buf) {
			// Double at most, and never past what is still declared.
			more := min(limit-read, max(int64(cap(buf)), 4<<10))
			if r.ContentLength > read {
				more = min(more, r.ContentLength-read)
			}
			buf = bufs.grow(buf, int(more))
		}
		room := buf[len(buf):min(cap(buf), len(buf)+int(limit-read))]
		n, err := r.Body.Read(room)
		if mac != nil {
			mac.Write(room[:n])
		}
		buf = buf[:len(buf)+n]
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return buf, int64(len(buf) - start), true, err
		}
	}
	got := int64(len(buf) - start)
	if got <= limitBytes {
		return buf, got, false, nil
	}
	size := r.ContentLength
	if size < 0 {
		// A chunked body declares no size: count the rest, within reason.
		n, _ := io.Copy(io.Discard, io.LimitReader(r.Body, maxCountedBeyondLimit))
		size = got + n
	}
	return buf[:start+int(limitBytes)], max(size, got), true, nil
}
