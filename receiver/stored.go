package receiver

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hookcheck/hookcheck/receiver/api"
)

// storedCall is a call as a channel's journal holds it. The request's
// variable parts are packed into one buffer (packRequest, then the raw
// body) instead of an api.Call's map, slices and strings, and the buffer
// goes back to callBuffers when the journal lets go of the call. A reader
// copies the buffer out under the journal's lock (channel.find), because
// after that it may be reused, and builds the api.Call from the copy
// (call).
//
// It is kept small (64 bytes) because the journal's chunks of them are
// what remains on the Go heap: 100 000 held calls are 6 MB there. Its one
// pointer leads to a slab outside the Go heap (except under the race
// detector, or for a body over 1 MiB), which the garbage collector
// dismisses at once; the answer is an index (responses).
type storedCall struct {
	buf        []byte // packRequest's fields, then the body from bodyAt
	seq        uint64
	receivedAt int64 // Unix nanoseconds
	bodySize   int64
	bodyAt     uint32
	response   uint32 // row in the channel's responses; 0 = none yet
	signature  signature
	truncated  bool
	tls        bool
}

// packedSize returns an upper bound of the bytes packRequest writes for r
// and its header lines as sent.
func packedSize(r *http.Request, lines []byte) int {
	n := len(lines) + len(r.Method) + len(r.URL.Path) + len(r.URL.RawQuery) + len(r.Proto) + len(r.RemoteAddr) + len(r.Host) + len("Host")
	items := 7 + 2 // five fields, the header count and the lines; Host's name and count
	for k, vs := range r.Header {
		n += len(k)
		items += 2 + len(vs)
		for _, v := range vs {
			n += len(v)
		}
	}
	return n + items*binary.MaxVarintLen64
}

// packRequest appends r's method, path, query, protocol, remote address,
// headers (Host among them, which net/http keeps outside the map) and the
// header lines as sent (headerLines; empty when not captured) to b, each
// string as a uvarint length and its bytes.
func packRequest(b []byte, r *http.Request, lines []byte) []byte {
	for _, s := range [...]string{r.Method, r.URL.Path, r.URL.RawQuery, r.Proto, r.RemoteAddr} {
		b = packString(b, s)
	}
	n := len(r.Header)
	if r.Host != "" {
		n++
	}
	b = binary.AppendUvarint(b, uint64(n))
	if r.Host != "" {
		b = packString(b, "Host")
		b = binary.AppendUvarint(b, 1)
		b = packString(b, r.Host)
	}
	for k, vs := range r.Header {
		b = packString(b, k)
		b = binary.AppendUvarint(b, uint64(len(vs)))
		for _, v := range vs {
			b = packString(b, v)
		}
	}
	return append(binary.AppendUvarint(b, uint64(len(lines))), lines...)
}

func packString(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

// unpacker reads what packRequest wrote. The packing is the receiver's
// own, so a short or malformed buffer is a bug; it reads as empty.
type unpacker struct{ b []byte }

func (u *unpacker) uvarint() int {
	v, n := binary.Uvarint(u.b)
	if n <= 0 || v > uint64(len(u.b)) {
		u.b = nil
		return 0
	}
	u.b = u.b[n:]
	return int(v)
}

func (u *unpacker) bytes() []byte {
	n := u.uvarint()
	if n > len(u.b) {
		u.b = nil
		return nil
	}
	s := u.b[:n]
	u.b = u.b[n:]
	return s
}

func (u *unpacker) string() string { return string(u.bytes()) }

// header returns the first value of the header named name (canonical
// form) as bytes inside the buffer, or nil. It copies nothing, so the
// journal can filter calls without building them.
func (c *storedCall) header(name string) []byte {
	u := unpacker{b: c.buf[:c.bodyAt]}
	for range 5 {
		u.bytes()
	}
	for n := u.uvarint(); n > 0; n-- {
		k := u.bytes()
		vs := u.uvarint()
		for i := range vs {
			v := u.bytes()
			if i == 0 && string(k) == name {
				return v
			}
		}
	}
	return nil
}

// eventIs reports whether the call's X-SuperOffice-Event is event,
// ignoring case.
func (c *storedCall) eventIs(event []byte) bool {
	return bytes.EqualFold(c.header(eventHeader), event)
}

// call builds the api.Call of channel id, whose answer is resp (nil: none
// yet); every string and map in it is the call's own copy.
func (c *storedCall) call(channel string, resp *api.Response) api.Call {
	u := unpacker{b: c.buf[:c.bodyAt]}
	out := api.Call{
		Seq:        c.seq,
		Channel:    channel,
		ReceivedAt: time.Unix(0, c.receivedAt).UTC(),
		Method:     u.string(),
		Path:       u.string(),
		Query:      u.string(),
		Proto:      u.string(),
		RemoteAddr: u.string(),
		BodySize:   c.bodySize,
		Truncated:  c.truncated,
		TLS:        c.tls,
		Signature:  c.signature.String(),
	}
	if resp != nil {
		out.Response = *resp
		out.Response.Headers = http.Header(resp.Headers).Clone() // shared by many calls
	}
	n := u.uvarint()
	out.Headers = make(map[string][]string, n)
	for ; n > 0; n-- {
		k := u.string()
		vs := make([]string, u.uvarint())
		for i := range vs {
			vs[i] = u.string()
		}
		out.Headers[k] = vs
	}
	out.Event = first(out.Headers[eventHeader])
	out.EventID = first(out.Headers[eventIDHeader])
	if v := first(out.Headers[retryHeader]); v != "" {
		if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil {
			out.Retry = &n
		}
	}
	out.RawHeaders = rawHeaders(u.bytes(), out.Headers)
	if body := c.buf[c.bodyAt:]; utf8.Valid(body) {
		out.Body = string(body)
	} else {
		out.BodyBase64 = base64.StdEncoding.EncodeToString(body)
	}
	return out
}

func first(vs []string) string {
	if len(vs) == 0 {
		return ""
	}
	return vs[0]
}
