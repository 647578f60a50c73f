package driver_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

// TestDriver runs the driver specs: each front end's wire format, checked
// against a fake service that records the request and answers a canned
// response.
func TestDriver(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "conformance/driver")
}

// recorded is one request the fake service received.
type recorded struct {
	Method, Path, RawQuery string
	Header                 http.Header
	Body                   string
}

// fake is a service answering every request with status, body and
// content type, recording what it got.
type fake struct {
	srv *httptest.Server

	mu          sync.Mutex
	reqs        []recorded
	status      int
	body        string
	contentType string
}

// newFake starts a fake service that the spec closes when it ends.
func newFake() *fake {
	f := &fake{status: 200, contentType: "application/json"}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		f.mu.Lock()
		f.reqs = append(f.reqs, recorded{r.Method, r.URL.Path, r.URL.RawQuery, r.Header.Clone(), string(b)})
		status, body, ct := f.status, f.body, f.contentType
		f.mu.Unlock()
		if ct != "" {
			w.Header().Set("Content-Type", ct)
		}
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}))
	DeferCleanup(f.srv.Close)
	return f
}

// answer sets the canned response.
func (f *fake) answer(status int, body string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.status, f.body = status, body
}

// last returns the last request.
func (f *fake) last() recorded {
	GinkgoHelper()
	f.mu.Lock()
	defer f.mu.Unlock()
	Expect(f.reqs).NotTo(BeEmpty(), "the fake service got no request")
	return f.reqs[len(f.reqs)-1]
}
