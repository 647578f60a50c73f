package reference_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/conformance/reference"
)

// coreCtx is the context of core API calls in tests.
var coreCtx = context.Background()

// coreAdmin is the caller of most core tests.
var coreAdmin = reference.Caller{Associate: &reference.Associate{AssociateID: 5, Name: "ADM", FullName: "Admin User"}}

// coreHit is one request a coreTarget received.
type coreHit struct {
	Seq    int
	At     time.Time
	Header http.Header
	Body   []byte
}

// Test reports whether the hit is a test event (X-Hook-Test: true).
func (h coreHit) Test() bool { return h.Header.Get("X-Hook-Test") == "true" }

// Event returns the X-SuperOffice-Event header.
func (h coreHit) Event() string { return h.Header.Get("X-SuperOffice-Event") }

// EventID returns the X-SuperOffice-EventId header.
func (h coreHit) EventID() string { return h.Header.Get("X-SuperOffice-EventId") }

// Retry returns the X-SuperOffice-Retry header and whether it was present.
func (h coreHit) Retry() (string, bool) {
	v, ok := h.Header[http.CanonicalHeaderKey("X-SuperOffice-Retry")]
	if !ok || len(v) == 0 {
		return "", false
	}
	return v[0], true
}

// JSON decodes the body as a JSON object.
func (h coreHit) JSON() map[string]any {
	var m map[string]any
	dec := json.NewDecoder(bytes.NewReader(h.Body))
	dec.UseNumber()
	ExpectWithOffset(1, dec.Decode(&m)).To(Succeed(), "body: %s", h.Body)
	return m
}

// coreAnswer is how a coreTarget answers one delivery: status, extra
// headers, body; hang blocks until the client gives up or the test ends;
// reset aborts the connection.
type coreAnswer struct {
	Status int
	Header map[string]string
	Body   string
	Hang   bool
	Reset  bool
}

// coreTarget is a real HTTP(S) server on 127.0.0.1:0 that records every
// request and answers deliveries through a programmable function. Test
// events (X-Hook-Test) are answered by TestAnswer (200 by default).
type coreTarget struct {
	srv     *httptest.Server
	release chan struct{}

	mu         sync.Mutex
	hits       []coreHit
	answer     func(n int, h coreHit) coreAnswer // n: 1-based index among deliveries
	testAnswer coreAnswer
	arrived    chan coreHit
}

// newCoreTarget starts a target (TLS when secure) that answers 200 until
// told otherwise, and closes it when the spec ends.
func newCoreTarget(secure bool) *coreTarget {
	t := &coreTarget{
		release:    make(chan struct{}),
		answer:     func(int, coreHit) coreAnswer { return coreAnswer{Status: 200} },
		testAnswer: coreAnswer{Status: 200},
		arrived:    make(chan coreHit, 1000),
	}
	t.srv = httptest.NewUnstartedServer(http.HandlerFunc(t.serve))
	t.srv.Config.ErrorLog = log.New(io.Discard, "", 0) // refused handshakes are expected
	if secure {
		t.srv.StartTLS()
	} else {
		t.srv.Start()
	}
	DeferCleanup(func() {
		close(t.release)
		t.srv.Close()
	})
	return t
}

// URL returns the target's hook URL.
func (t *coreTarget) URL() string { return t.srv.URL + "/hook" }

// Answer sets how deliveries are answered.
func (t *coreTarget) Answer(fn func(n int, h coreHit) coreAnswer) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.answer = fn
}

// AnswerAll answers every delivery with a.
func (t *coreTarget) AnswerAll(a coreAnswer) { t.Answer(func(int, coreHit) coreAnswer { return a }) }

// AnswerTests sets how test events are answered.
func (t *coreTarget) AnswerTests(a coreAnswer) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.testAnswer = a
}

func (t *coreTarget) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	t.mu.Lock()
	h := coreHit{Seq: len(t.hits) + 1, At: time.Now(), Header: r.Header.Clone(), Body: body}
	t.hits = append(t.hits, h)
	var a coreAnswer
	if h.Test() {
		a = t.testAnswer
	} else {
		n := 0
		for _, x := range t.hits {
			if !x.Test() {
				n++
			}
		}
		a = t.answer(n, h)
	}
	t.mu.Unlock()
	select {
	case t.arrived <- h:
	default:
	}
	switch {
	case a.Hang:
		select {
		case <-r.Context().Done():
		case <-t.release:
		}
		return
	case a.Reset:
		conn, _, err := http.NewResponseController(w).Hijack()
		if err == nil {
			if tc, ok := conn.(*net.TCPConn); ok {
				_ = tc.SetLinger(0)
			}
			_ = conn.Close()
		}
		return
	}
	for k, v := range a.Header {
		w.Header().Set(k, v)
	}
	status := a.Status
	if status == 0 {
		status = 200
	}
	w.WriteHeader(status)
	_, _ = io.WriteString(w, a.Body)
}

// Hits returns every request received so far.
func (t *coreTarget) Hits() []coreHit {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]coreHit(nil), t.hits...)
}

// Deliveries returns the requests that are not test events.
func (t *coreTarget) Deliveries() []coreHit {
	var out []coreHit
	for _, h := range t.Hits() {
		if !h.Test() {
			out = append(out, h)
		}
	}
	return out
}

// Tests returns the test events received.
func (t *coreTarget) Tests() []coreHit {
	var out []coreHit
	for _, h := range t.Hits() {
		if h.Test() {
			out = append(out, h)
		}
	}
	return out
}

// DeliveryCount returns len(Deliveries()); handy in Eventually.
func (t *coreTarget) DeliveryCount() int { return len(t.Deliveries()) }

// WaitDeliveries waits until at least n deliveries arrived and returns them.
func (t *coreTarget) WaitDeliveries(n int) []coreHit {
	EventuallyWithOffset(1, t.DeliveryCount, 5*time.Second, 2*time.Millisecond).Should(BeNumerically(">=", n))
	return t.Deliveries()
}

// newCoreService builds a service for tests: plain HTTP allowed, the
// schedule compressed 100 times unless the options say otherwise; it is
// closed when the spec ends.
func newCoreService(o reference.Options) *reference.Service {
	o.AllowHTTP = true
	if o.TimeScale == 0 {
		o.TimeScale = 0.01
	}
	s, err := reference.New(o)
	ExpectWithOffset(1, err).NotTo(HaveOccurred())
	DeferCleanup(s.Close)
	return s
}

// createCoreHook creates an Active webhook named name on url for events.
func createCoreHook(s *reference.Service, name, url string, events ...string) reference.Webhook {
	w, err := s.Create(coreCtx, coreAdmin, reference.Webhook{Name: name, Events: events, TargetURL: url})
	ExpectWithOffset(1, err).NotTo(HaveOccurred())
	return w
}

// setCoreState saves hook id with a new state as caller c.
func setCoreState(s *reference.Service, c reference.Caller, id int32, st reference.State) reference.Webhook {
	w, err := s.Modify(coreCtx, c, id, reference.Condition{}, func(w *reference.Webhook) error {
		w.State = st
		return nil
	})
	ExpectWithOffset(1, err).NotTo(HaveOccurred())
	return w
}

// coreState returns hook id's state (for Eventually).
func coreState(s *reference.Service, id int32) func() reference.State {
	return func() reference.State {
		w, err := s.Get(coreCtx, coreAdmin, id)
		Expect(err).NotTo(HaveOccurred())
		return w.State
	}
}

// coreUsage returns hook id's usage (for Eventually).
func coreUsage(s *reference.Service, id int32) func() reference.Usage {
	return func() reference.Usage {
		u, err := s.Usage(coreCtx, coreAdmin, id)
		Expect(err).NotTo(HaveOccurred())
		return u
	}
}

// coreSign computes the documented signature of body.
func coreSign(secret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// coreKind returns the Kind of a core error.
func coreKind(err error) reference.Kind {
	ExpectWithOffset(1, err).To(HaveOccurred())
	return reference.AsError(err).Kind
}

// coreLabelledGoroutines counts the live goroutines that carry s's label.
func coreLabelledGoroutines(s *reference.Service) int {
	var b bytes.Buffer
	ExpectWithOffset(1, pprof.Lookup("goroutine").WriteTo(&b, 1)).To(Succeed())
	needle := `"` + reference.GoroutineLabel + `":"` + s.GoroutineLabelValue() + `"`
	n := 0
	for _, group := range strings.Split(b.String(), "\n\n") {
		if !strings.Contains(group, needle) {
			continue
		}
		count, _, _ := strings.Cut(group, " @ ")
		count = count[strings.LastIndex(count, "\n")+1:]
		c, err := strconv.Atoi(strings.TrimSpace(count))
		ExpectWithOffset(1, err).NotTo(HaveOccurred(), "goroutine group: %s", group)
		n += c
	}
	return n
}

// coreNum reads a JSON number member as int64.
func coreNum(v any) int64 {
	n, ok := v.(json.Number)
	ExpectWithOffset(1, ok).To(BeTrue(), "%v (%T) is not a JSON number", v, v)
	i, err := n.Int64()
	ExpectWithOffset(1, err).NotTo(HaveOccurred())
	return i
}

// retrySchedule returns DefaultSchedule changed by change, for
// Options.RetryPolicy.
func retrySchedule(change func(s *reference.Schedule)) reference.Schedule {
	s := reference.DefaultSchedule()
	change(&s)
	return s
}
