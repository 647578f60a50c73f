package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// request is one pre-serialised HTTP/1.1 request the load generator sends
// over and over: the same bytes on every connection, so the generator
// spends its core on the network and not on building requests.
type request struct {
	addr string // host:port to dial
	raw  []byte // the whole request: request line, headers, body
}

// newRequest serialises a POST of body to rawURL with the given headers
// (Host, Content-Length and Connection: keep-alive are added).
func newRequest(rawURL string, headers [][2]string, body []byte) (request, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return request{}, fmt.Errorf("request url: %w", err)
	}
	if u.Scheme != "http" {
		return request{}, fmt.Errorf("request url %s: only http:// is supported", rawURL)
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "POST %s HTTP/1.1\r\nHost: %s\r\n", u.RequestURI(), u.Host)
	for _, h := range headers {
		fmt.Fprintf(&b, "%s: %s\r\n", h[0], h[1])
	}
	fmt.Fprintf(&b, "Content-Length: %d\r\nConnection: keep-alive\r\n\r\n", len(body))
	b.Write(body)
	return request{addr: u.Host, raw: b.Bytes()}, nil
}

// errStatus is a response with a status other than 200.
var errStatus = errors.New("unexpected status")

// ioTimeout bounds every write and read of one request on a connection, so
// a server that stops answering cannot stall a run.
const ioTimeout = 10 * time.Second

// conn is one keep-alive HTTP/1.1 connection of the load generator. It is
// redialled after an error or when the server closes it.
type conn struct {
	req request
	c   net.Conn
	br  *bufio.Reader
}

// do sends the request and reads the whole response. A response other
// than 200 is an error wrapping errStatus.
func (c *conn) do() error {
	if c.c == nil {
		nc, err := net.DialTimeout("tcp", c.req.addr, ioTimeout)
		if err != nil {
			return fmt.Errorf("dial %s: %w", c.req.addr, err)
		}
		c.c = nc
		if c.br == nil {
			c.br = bufio.NewReaderSize(nc, 16<<10)
		} else {
			c.br.Reset(nc)
		}
	}
	_ = c.c.SetDeadline(time.Now().Add(ioTimeout))
	if _, err := c.c.Write(c.req.raw); err != nil {
		c.close()
		return fmt.Errorf("write request: %w", err)
	}
	status, keepAlive, err := readResponse(c.br)
	if err != nil {
		c.close()
		return fmt.Errorf("read response: %w", err)
	}
	if !keepAlive {
		c.close()
	}
	if status != 200 {
		return fmt.Errorf("%w %d", errStatus, status)
	}
	return nil
}

// close drops the connection; the next do dials again.
func (c *conn) close() {
	if c.c != nil {
		_ = c.c.Close()
		c.c = nil
	}
}

// readResponse reads one HTTP/1.1 response from br and discards its body.
// It understands Content-Length, chunked transfer coding and bodies that
// run to the end of the connection, and reports the status and whether
// the connection may carry another request.
func readResponse(br *bufio.Reader) (status int, keepAlive bool, err error) {
	line, err := readLine(br)
	if err != nil {
		return 0, false, err
	}
	// "HTTP/1.1 200 OK"
	proto, rest, ok := bytes.Cut(line, []byte(" "))
	if !ok || !bytes.HasPrefix(proto, []byte("HTTP/1.")) || len(rest) < 3 {
		return 0, false, fmt.Errorf("malformed status line %q", line)
	}
	status, err = strconv.Atoi(string(rest[:3]))
	if err != nil {
		return 0, false, fmt.Errorf("malformed status line %q", line)
	}
	keepAlive = string(proto) == "HTTP/1.1"
	length := int64(-1)
	chunked := false
	for {
		h, err := readLine(br)
		if err != nil {
			return status, false, err
		}
		if len(h) == 0 {
			break
		}
		name, value, ok := bytes.Cut(h, []byte(":"))
		if !ok {
			return status, false, fmt.Errorf("malformed header line %q", h)
		}
		value = bytes.TrimSpace(value)
		switch {
		case bytes.EqualFold(name, []byte("Content-Length")):
			n, err := strconv.ParseInt(string(value), 10, 64)
			if err != nil || n < 0 {
				return status, false, fmt.Errorf("malformed Content-Length %q", value)
			}
			length = n
		case bytes.EqualFold(name, []byte("Transfer-Encoding")):
			chunked = bytes.Contains(bytes.ToLower(value), []byte("chunked"))
		case bytes.EqualFold(name, []byte("Connection")):
			v := bytes.ToLower(value)
			if bytes.Contains(v, []byte("close")) {
				keepAlive = false
			} else if bytes.Contains(v, []byte("keep-alive")) {
				keepAlive = true
			}
		}
	}
	switch {
	case status/100 == 1 || status == 204 || status == 304:
		return status, keepAlive, nil
	case chunked:
		return status, keepAlive, discardChunked(br)
	case length >= 0:
		if _, err := br.Discard(int(length)); err != nil {
			return status, false, fmt.Errorf("response body: %w", err)
		}
		return status, keepAlive, nil
	default:
		// No framing: the body ends when the server closes.
		if _, err := io.Copy(io.Discard, br); err != nil {
			return status, false, fmt.Errorf("response body: %w", err)
		}
		return status, false, nil
	}
}

// discardChunked skips a chunked body and its trailers.
func discardChunked(br *bufio.Reader) error {
	for {
		line, err := readLine(br)
		if err != nil {
			return fmt.Errorf("chunk size: %w", err)
		}
		if i := bytes.IndexByte(line, ';'); i >= 0 {
			line = line[:i]
		}
		n, err := strconv.ParseInt(string(bytes.TrimSpace(line)), 16, 64)
		if err != nil || n < 0 {
			return fmt.Errorf("malformed chunk size %q", line)
		}
		if n == 0 {
			for { // trailers, up to the blank line
				t, err := readLine(br)
				if err != nil {
					return fmt.Errorf("chunk trailer: %w", err)
				}
				if len(t) == 0 {
					return nil
				}
			}
		}
		if _, err := br.Discard(int(n)); err != nil {
			return fmt.Errorf("chunk: %w", err)
		}
		if crlf, err := readLine(br); err != nil || len(crlf) != 0 {
			return fmt.Errorf("chunk not followed by CRLF: %w", errors.Join(err, errMalformed))
		}
	}
}

// errMalformed marks a response the generator cannot frame.
var errMalformed = errors.New("malformed response")

// readLine returns the next line without its CRLF (or LF). The slice is
// valid until the next read from br.
func readLine(br *bufio.Reader) ([]byte, error) {
	line, err := br.ReadSlice('\n')
	if err != nil {
		if errors.Is(err, bufio.ErrBufferFull) {
			return nil, fmt.Errorf("line longer than %d bytes: %w", br.Size(), errMalformed)
		}
		return nil, err
	}
	line = line[:len(line)-1]
	if n := len(line); n > 0 && line[n-1] == '\r' {
		line = line[:n-1]
	}
	return line, nil
}

// loadResult is what one load run measured.
type loadResult struct {
	// Sent and OK count requests completed and those answered 200.
	Sent, OK int
	// Errors counts failed requests; FirstError describes the first one.
	Errors     int
	FirstError string
	// Unfinished counts scheduled requests that had not completed when
	// the run's drain deadline passed (open loop only).
	Unfinished int
	// Elapsed runs from the first scheduled request to the last completion.
	Elapsed time.Duration
	// Latencies of the successful requests, sorted ascending.
	Latencies []time.Duration
	// Lag is how far behind the ideal schedule requests were released
	// (open loop only), sorted ascending.
	Lag []time.Duration
}

// Rate returns successful requests per second.
func (r loadResult) Rate() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.OK) / r.Elapsed.Seconds()
}

// Pct returns the q-quantile (0 < q <= 1) of the latencies.
func (r loadResult) Pct(q float64) time.Duration { return quantile(r.Latencies, q) }

// quantile returns the q-quantile of sorted xs by the nearest-rank method,
// or 0 for an empty slice.
func quantile(xs []time.Duration, q float64) time.Duration {
	if len(xs) == 0 {
		return 0
	}
	rank := int(q*float64(len(xs))+0.999999999) - 1
	return xs[min(max(rank, 0), len(xs)-1)]
}

// sortDurations sorts xs ascending in place and returns it.
func sortDurations(xs []time.Duration) []time.Duration {
	sort.Slice(xs, func(i, j int) bool { return xs[i] < xs[j] })
	return xs
}

// worker is one connection's share of a run's measurements; merged at the end.
type worker struct {
	conn
	ok, errs  int
	firstErr  error
	latencies []time.Duration
	last      time.Time
}

// record counts one request that started at start and ended now with err.
func (w *worker) record(start time.Time, err error) {
	now := time.Now()
	w.last = now
	if err != nil {
		w.errs++
		if w.firstErr == nil {
			w.firstErr = err
		}
		return
	}
	w.ok++
	w.latencies = append(w.latencies, now.Sub(start))
}

// newWorkers makes n workers for req and sends one request on each, so
// every connection is open (and the server has seen it) before a
// measurement starts.
func newWorkers(req request, n int) ([]*worker, error) {
	ws := make([]*worker, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range ws {
		ws[i] = &worker{conn: conn{req: req}}
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = ws[i].do()
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		closeWorkers(ws)
		return nil, fmt.Errorf("open %d connections to %s: %w", n, req.addr, err)
	}
	return ws, nil
}

// closeWorkers closes every worker's connection.
func closeWorkers(ws []*worker) {
	for _, w := range ws {
		w.close()
	}
}

// merge folds the workers' counts into a result.
func merge(ws []*worker, start time.Time) loadResult {
	var r loadResult
	last := start
	for _, w := range ws {
		r.OK += w.ok
		r.Errors += w.errs
		if w.firstErr != nil && r.FirstError == "" {
			r.FirstError = w.firstErr.Error()
		}
		r.Latencies = append(r.Latencies, w.latencies...)
		if w.last.After(last) {
			last = w.last
		}
	}
	r.Sent = r.OK + r.Errors
	r.Elapsed = last.Sub(start)
	r.Latencies = sortDurations(r.Latencies)
	return r
}

// closedLoop keeps conns connections busy, each sending its next request
// as soon as the previous answer is in, for d (or, with count > 0, until
// count requests have been sent). It measures the most the server can do;
// its latencies are those of a closed loop and hide stalls.
func closedLoop(req request, conns int, d time.Duration, count int) (loadResult, error) {
	ws, err := newWorkers(req, conns)
	if err != nil {
		return loadResult{}, err
	}
	defer closeWorkers(ws)
	var left atomic.Int64
	left.Store(int64(count))
	start := time.Now()
	deadline := start.Add(d)
	var wg sync.WaitGroup
	for _, w := range ws {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				if count > 0 {
					if left.Add(-1) < 0 {
						return
					}
				} else if !time.Now().Before(deadline) {
					return
				}
				t := time.Now()
				w.record(t, w.do())
			}
		}()
	}
	wg.Wait()
	return merge(ws, start), nil
}

// drainGrace is how long an open-loop run waits, after its last scheduled
// request, for the requests still queued or in flight.
const drainGrace = 5 * time.Second

// openLoop sends rate requests per second for d on a pool of conns
// connections, whether or not earlier requests have been answered. The
// schedule is fixed in advance; a request is released when its time
// comes and waits for a free connection if all are busy, and that wait
// counts in its latency, so a server stall shows up in the latencies of
// every request scheduled during it instead of being hidden by a sender
// that waits (coordinated omission). Lag records how late the dispatcher
// released each request against the ideal schedule (timer granularity).
func openLoop(req request, conns int, rate float64, d time.Duration) (loadResult, error) {
	if rate <= 0 {
		return loadResult{}, fmt.Errorf("open loop: rate %v must be positive", rate)
	}
	ws, err := newWorkers(req, conns)
	if err != nil {
		return loadResult{}, err
	}
	defer closeWorkers(ws)
	total := int(rate * d.Seconds())
	jobs := make(chan time.Time, total)
	interval := float64(time.Second) / rate
	start := time.Now()
	stop := start.Add(d + drainGrace)
	var unfinished atomic.Int64
	var wg sync.WaitGroup
	for _, w := range ws {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for released := range jobs {
				if time.Now().After(stop) {
					unfinished.Add(1)
					continue
				}
				w.record(released, w.do())
			}
		}()
	}
	lag := make([]time.Duration, 0, total)
	for i := range total {
		due := start.Add(time.Duration(float64(i) * interval))
		if wait := time.Until(due); wait > 0 {
			time.Sleep(wait)
		}
		now := time.Now()
		lag = append(lag, now.Sub(due))
		jobs <- now
	}
	close(jobs)
	wg.Wait()
	r := merge(ws, start)
	r.Unfinished = int(unfinished.Load())
	r.Lag = sortDurations(lag)
	return r, nil
}
