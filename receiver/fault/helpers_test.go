package fault_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/receiver/api"
	"github.com/hookcheck/hookcheck/receiver/fault"
)

// served is what the test handler reports after Execute returns.
type served struct {
	plan fault.Plan
	resp api.Response
	err  error
}

// harness is an httptest server whose handler runs a compiled script.
type harness struct {
	srv     *httptest.Server
	script  *fault.Script
	nth     atomic.Uint64
	results chan served
	cancel  context.CancelFunc
}

// rules decodes a JSON script, failing the spec on error.
func rules(js string) []api.Rule {
	GinkgoHelper()
	var rs []api.Rule
	Expect(json.Unmarshal([]byte(js), &rs)).To(Succeed())
	return rs
}

// compile compiles a JSON script, failing the spec on error.
func compile(js string, lim fault.Limits) *fault.Script {
	GinkgoHelper()
	s, _, _, err := fault.Compile(rules(js), lim)
	Expect(err).NotTo(HaveOccurred())
	return s
}

// newHarness starts a server (TLS when useTLS) that answers by the script.
func newHarness(js string, lim fault.Limits, useTLS bool) *harness {
	GinkgoHelper()
	ctx, cancel := context.WithCancel(context.Background())
	h := &harness{script: compile(js, lim), results: make(chan served, 64), cancel: cancel}
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := h.script.Decide(fault.Call{
			Event:  r.Header.Get("X-SuperOffice-Event"),
			Header: r.Header,
			Nth:    h.nth.Add(1),
		})
		err := fault.Execute(ctx, w, r, &p)
		h.results <- served{plan: p, resp: p.Response(), err: err}
	})
	h.srv = httptest.NewUnstartedServer(handler)
	if useTLS {
		h.srv.StartTLS()
	} else {
		h.srv.Start()
	}
	DeferCleanup(h.srv.Close)
	DeferCleanup(cancel) // runs first: ends hangs so Close does not wait
	return h
}

// client returns a fresh client (no connection reuse) for the server.
func (h *harness) client(timeout time.Duration) *http.Client {
	tr := h.srv.Client().Transport.(*http.Transport).Clone()
	tr.DisableKeepAlives = true
	return &http.Client{Transport: tr, Timeout: timeout}
}

// outcome is what a client observed.
type outcome struct {
	resp    *http.Response
	body    []byte
	err     error
	elapsed time.Duration
}

// post sends one webhook-like POST and reads the whole answer.
func (h *harness) post(c *http.Client, hdr map[string]string) outcome {
	req, err := http.NewRequest(http.MethodPost, h.srv.URL+"/hooks/x", strings.NewReader(`{"event":"test"}`))
	Expect(err).NotTo(HaveOccurred())
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	start := time.Now()
	resp, err := c.Do(req)
	if err != nil {
		return outcome{err: err, elapsed: time.Since(start)}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return outcome{resp: resp, body: body, err: err, elapsed: time.Since(start)}
}

// result waits for the handler to finish one call.
func (h *harness) result(within time.Duration) served {
	GinkgoHelper()
	var s served
	Eventually(h.results).WithTimeout(within).Should(Receive(&s))
	return s
}
