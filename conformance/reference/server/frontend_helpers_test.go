package server_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/tidwall/gjson"

	"github.com/hookcheck/hookcheck/conformance/reference"
	"github.com/hookcheck/hookcheck/conformance/reference/internal/reftest"
	"github.com/hookcheck/hookcheck/conformance/reference/server"
)

// Helpers of the end-to-end tests of the REST and Agents front ends: a
// reference service behind NewHandler on an httptest server, a target that
// answers every delivery, and a small client.

// feAuth is the credentials every end-to-end test server accepts.
var feAuth = reference.Auth{User: "tje0", Password: "Tje0", Ticket: "7T:ticket", Bearer: "7A:token"}

// feTarget is a webhook target that records the requests it gets and
// answers them with a configurable status.
type feTarget struct {
	URL string

	mu     sync.Mutex
	status int
	calls  []feCall
}

// feCall is one request a target got.
type feCall struct {
	Event string
	Test  bool
	Body  string
}

// newFETarget starts a target answering status.
func newFETarget(status int) *feTarget {
	t := &feTarget{status: status}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		t.mu.Lock()
		t.calls = append(t.calls, feCall{
			Event: r.Header.Get("X-SuperOffice-Event"),
			Test:  r.Header.Get("X-Hook-Test") == "true",
			Body:  string(body),
		})
		status := t.status
		t.mu.Unlock()
		w.Header().Set("X-Target", "yes")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, "target says hi")
	}))
	DeferCleanup(srv.Close)
	t.URL = srv.URL + "/hook"
	return t
}

// setStatus changes the status the target answers.
func (t *feTarget) setStatus(status int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.status = status
}

// events returns the X-SuperOffice-Event of every non-test call so far.
func (t *feTarget) events() []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	var out []string
	for _, c := range t.calls {
		if !c.Test {
			out = append(out, c.Event)
		}
	}
	return out
}

// feEnv is one service with its HTTP front ends.
type feEnv struct {
	svc    *reference.Service
	base   string // server URL including the path prefix
	target *feTarget
	authz  string // Authorization header sent by default
}

// newFEEnv starts a service (http targets allowed) behind NewHandler.
func newFEEnv(opts reference.Options, hopts ...server.HandlerOption) *feEnv {
	opts.AllowHTTP = true
	if opts.HTTPTimeout == 0 {
		opts.HTTPTimeout = 10 * time.Second
	}
	svc, err := reference.New(opts)
	Expect(err).NotTo(HaveOccurred())
	DeferCleanup(func() { _ = svc.Close() })
	srv := httptest.NewServer(server.NewHandler(svc, feAuth, hopts...))
	DeferCleanup(srv.Close)
	return &feEnv{svc: svc, base: srv.URL, target: newFETarget(http.StatusOK), authz: reftest.Basic("tje0", "Tje0")}
}

// feResp is a response read in full.
type feResp struct {
	Status int
	Header http.Header
	Body   string
}

// JSON parses the body.
func (r feResp) JSON() gjson.Result { return gjson.Parse(r.Body) }

// do sends a request with the default Authorization (unless header
// overrides it; "Authorization: -" removes it) and reads the response.
func (e *feEnv) do(method, path, body string, header ...string) feResp {
	GinkgoHelper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, e.base+path, rd)
	Expect(err).NotTo(HaveOccurred())
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Authorization", e.authz)
	for i := 0; i+1 < len(header); i += 2 {
		if header[i] == "Authorization" && header[i+1] == "-" {
			req.Header.Del("Authorization")
			continue
		}
		req.Header.Set(header[i], header[i+1])
	}
	client := http.DefaultClient
	if len(body) > 64<<10 {
		// Large bodies wait for 100 Continue, so a server that refuses them
		// early (413) never races the upload.
		req.Header.Set("Expect", "100-continue")
		tr := &http.Transport{ExpectContinueTimeout: 30 * time.Second}
		defer tr.CloseIdleConnections()
		client = &http.Client{Transport: tr}
	}
	resp, err := client.Do(req)
	Expect(err).NotTo(HaveOccurred())
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	Expect(err).NotTo(HaveOccurred())
	return feResp{Status: resp.StatusCode, Header: resp.Header, Body: string(data)}
}

// hookJSON is a valid webhook body pointing at the env's target.
func (e *feEnv) hookJSON(name string, events ...string) string {
	if len(events) == 0 {
		events = []string{"contact.created"}
	}
	return `{"Name":` + feQuote(name) + `,"Events":["` + strings.Join(events, `","`) + `"],"TargetUrl":` + feQuote(e.target.URL) + `,"Type":"webhook"}`
}

// create creates a webhook through REST POST and returns its id.
func (e *feEnv) create(name string, events ...string) int64 {
	GinkgoHelper()
	r := e.do(http.MethodPost, "/api/v1/Webhook", e.hookJSON(name, events...))
	Expect(r.Status).To(Equal(http.StatusOK), r.Body)
	id := r.JSON().Get("WebhookId").Int()
	Expect(id).To(BeNumerically(">", 0))
	return id
}

// feQuote returns s as a JSON string.
func feQuote(s string) string { return string(gjson.AppendJSONString(nil, s)) }

// feExpectError asserts the §2.1 error body with the given status and
// ErrorType (any type when errorType is "").
func feExpectError(r feResp, status int, errorType string) {
	GinkgoHelper()
	Expect(r.Status).To(Equal(status), r.Body)
	Expect(r.Header.Get("Content-Type")).To(Equal("application/json; charset=utf-8"))
	doc := r.JSON()
	Expect(reftest.Keys(doc)).To(Equal([]string{"Error", "ErrorType", "ErrorMessage", "ErrorSource"}), r.Body)
	Expect(doc.Get("Error").Raw).To(Equal("true"))
	Expect(doc.Get("ErrorMessage").String()).NotTo(BeEmpty())
	Expect(doc.Get("ErrorSource").String()).To(Equal("SuperOffice.Services.Implementation"))
	if errorType != "" {
		Expect(doc.Get("ErrorType").String()).To(Equal(errorType))
	} else {
		Expect(doc.Get("ErrorType").String()).NotTo(BeEmpty())
	}
}

// feItoa formats an id.
func feItoa(id int64) string { return strconv.FormatInt(id, 10) }
