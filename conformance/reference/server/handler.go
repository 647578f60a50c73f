// Package server composes the reference service's HTTP handler: the REST
// and Agents front ends (internal/httpapi) and the two SOAP endpoints
// (internal/soap) over one core (package reference), under an optional
// path prefix. Callers build the service with reference.New and serve it
// with NewHandler.
package server

import (
	"fmt"
	"log/slog"
	"net/http"
	"path"
	"runtime/debug"
	"strings"

	"github.com/hookcheck/hookcheck/conformance/reference"
	"github.com/hookcheck/hookcheck/conformance/reference/internal/httpapi"
	"github.com/hookcheck/hookcheck/conformance/reference/internal/rpc"
	"github.com/hookcheck/hookcheck/conformance/reference/internal/soap"
	"github.com/hookcheck/hookcheck/conformance/reference/internal/wire"
)

// handler routes a request to the REST and Agents router or to a SOAP
// endpoint.
type handler struct {
	cfg    handlerConfig
	router http.Handler
	soap   map[string]http.Handler // by canonical path
}

// NewHandler returns the HTTP handler of the reference service: REST under
// `/api/v1/Webhook…` (spec §2.2), HTTP-RPC Agents under
// `/api/v1/Agents/Webhook/…` (§2.4) and SOAP at
// `/Remote/Services88/Webhook.svc` and `/Remote/Services87/Webhook.svc`
// (§2.5), all optionally under a path prefix (WithPathPrefix). Fixed path
// segments match case-insensitively, as in NetServer. REST and Agents
// calls are authenticated with a (Authorization header, spec §2.1) and
// carry the `SO-AppToken` header to the core; SOAP authenticates itself.
// A panic while serving a request is recovered into a 500 error body.
// Besides the prefix, links, body bound and logger, HandlerOptions can give
// one front end its own Authenticator, WireFormat or middlewares
// (frontend.go) and wrap every PATCH operation (WithPatchStep).
func NewHandler(s *reference.Service, a reference.Auth, opts ...HandlerOption) http.Handler {
	cfg := handlerConfig{
		maxBody:    DefaultMaxBodyBytes,
		logger:     slog.Default(),
		authWraps:  map[FrontEnd][]func(reference.Authenticator) reference.Authenticator{},
		formats:    map[FrontEnd]reference.WireFormat{},
		middleware: map[FrontEnd][]func(http.Handler) http.Handler{},
	}
	for _, o := range opts {
		o(&cfg)
	}
	front := func(f FrontEnd) httpapi.Front {
		return httpapi.Front{
			Auth:   cfg.authenticatorFor(f, a),
			Format: cfg.wireFormatFor(f),
			Wrap:   func(next http.Handler) http.Handler { return cfg.wrapFront(f, next) },
		}
	}
	h := &handler{cfg: cfg, soap: map[string]http.Handler{}}
	h.router = httpapi.New(s, httpapi.Config{
		Prefix:    cfg.prefix,
		BaseURL:   cfg.baseURL,
		MaxBody:   cfg.maxBody,
		PatchStep: wire.Step(cfg.patchStep),
		REST:      front(FrontREST),
		Agents:    front(FrontAgents),
	})
	sf := front(FrontSOAP)
	for path, ns := range soap.Endpoints {
		h.soap[path] = sf.Wrap(soap.New(s, sf.Auth, sf.Format, ns))
	}
	return recoverHandler(h, cfg.logger)
}

// ServeHTTP strips the prefix, canonicalises the path and routes.
func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	if h.cfg.prefix != "" {
		rest, ok := cutPrefixFold(p, h.cfg.prefix)
		if !ok {
			httpapi.WriteError(w, r, httpapi.NotFound(r))
			return
		}
		p = rest
	}
	canon := canonicalPath(p)
	r2 := new(http.Request)
	*r2 = *r
	u := *r.URL
	u.Path, u.RawPath = canon, ""
	r2.URL = &u
	if soap, ok := h.soap[canon]; ok {
		// SOAP sees the full public path, prefix included: it is the
		// service address it publishes in its WSDL.
		u.Path = h.cfg.prefix + canon
		soap.ServeHTTP(w, r2)
		return
	}
	h.router.ServeHTTP(w, r2)
}

// cutPrefixFold removes prefix from p (case-insensitively) when p is the
// prefix or continues it with "/".
func cutPrefixFold(p, prefix string) (string, bool) {
	if len(p) < len(prefix) || !strings.EqualFold(p[:len(prefix)], prefix) {
		return "", false
	}
	rest := p[len(prefix):]
	if rest != "" && rest[0] != '/' {
		return "", false
	}
	return rest, true
}

// canonicalPath cleans p and spells the fixed segments of the routes the
// way they are registered, so `/API/V1/webhook/default` routes like
// `/api/v1/Webhook/default`. Variable segments (ids, event names) are kept.
func canonicalPath(p string) string {
	p = path.Clean("/" + p)
	segs := strings.Split(strings.TrimPrefix(p, "/"), "/")
	fold := func(i int, want string) bool {
		if i < len(segs) && strings.EqualFold(segs[i], want) {
			segs[i] = want
			return true
		}
		return false
	}
	switch {
	case fold(0, "api") && fold(1, "v1"):
		switch {
		case fold(2, "Webhook"):
			switch len(segs) {
			case 4:
				_ = fold(3, "default") || fold(3, "Test")
			case 5:
				fold(4, "LastError")
			}
		case fold(2, "Archive") && len(segs) == 4:
			fold(3, "dynamic")
		case fold(2, "Agents") && fold(3, "Webhook") && len(segs) == 5:
			if op := rpc.LookupFold(segs[4]); op != nil {
				segs[4] = op.Name
			}
		}
	case len(segs) == 3 && fold(0, "Remote") && (fold(1, "Services88") || fold(1, "Services87")):
		fold(2, "Webhook.svc")
	}
	return "/" + strings.Join(segs, "/")
}

// recoverHandler serves next and turns a panic into a 500 error body (when
// nothing was written yet) so one bad request never takes the service
// down. http.ErrAbortHandler is re-raised, as net/http expects.
func recoverHandler(next http.Handler, logger *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tw := &trackingWriter{ResponseWriter: w}
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if v == http.ErrAbortHandler { //nolint:errorlint // sentinel compared as net/http does
				panic(v)
			}
			if logger != nil {
				logger.Error("reference: panic while serving request",
					"method", r.Method, "path", r.URL.Path, "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
			}
			if !tw.wrote {
				httpapi.WriteError(tw, r, httpapi.NewError(http.StatusInternalServerError, "Exception",
					fmt.Sprintf("internal error while serving %s %s", r.Method, r.URL.Path)))
			}
		}()
		next.ServeHTTP(tw, r)
	})
}

// trackingWriter records whether a response has been started.
type trackingWriter struct {
	http.ResponseWriter
	wrote bool
}

// WriteHeader implements http.ResponseWriter.
func (t *trackingWriter) WriteHeader(code int) {
	t.wrote = true
	t.ResponseWriter.WriteHeader(code)
}

// Write implements http.ResponseWriter.
func (t *trackingWriter) Write(b []byte) (int, error) {
	t.wrote = true
	return t.ResponseWriter.Write(b)
}

// Unwrap gives http.ResponseController access to the underlying writer.
func (t *trackingWriter) Unwrap() http.ResponseWriter { return t.ResponseWriter }

// Flush implements http.Flusher when the underlying writer does.
func (t *trackingWriter) Flush() {
	t.wrote = true
	if f, ok := t.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}
