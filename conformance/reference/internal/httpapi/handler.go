// Package httpapi is the REST (spec §2.2) and HTTP-RPC Agents (§2.4) front
// end of the reference service: it decodes requests with package wire,
// calls the core (package reference) and writes the answers and the §2.1
// error bodies. It holds no behaviour of its own.
package httpapi

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/gorilla/mux"

	"github.com/hookcheck/hookcheck/conformance/reference"
	"github.com/hookcheck/hookcheck/conformance/reference/internal/wire"
)

// Config is what New needs besides the core.
type Config struct {
	// Prefix is the path prefix every route is mounted under ("" for
	// none); it appears in the `_Links` URLs built from the request.
	Prefix string
	// BaseURL, when set, is the public base URL of `_Links`.
	BaseURL string
	// MaxBody bounds request bodies (413 beyond it).
	MaxBody int64
	// PatchStep wraps every PATCH operation; nil runs them as they are.
	PatchStep wire.Step
	// REST and Agents configure the two front ends.
	REST, Agents Front
}

// Front configures one front end.
type Front struct {
	// Auth checks the Authorization header.
	Auth reference.Authenticator
	// Format spells State and the dates; nil is StandardWireFormat.
	Format reference.WireFormat
	// Wrap wraps every route of the front end (its middlewares); nil is
	// none.
	Wrap func(http.Handler) http.Handler
}

// front names one of the two front ends of this package.
type front int

// The front ends served here.
const (
	frontREST front = iota
	frontAgents
)

// handler serves the REST and Agents front ends.
type handler struct {
	svc    *reference.Service
	cfg    Config
	fronts [2]Front
}

// New returns the router of the REST and Agents routes, for canonical
// paths (the prefix already stripped). Unknown paths get 404 and known
// paths with another method 405, both as §2.1 error bodies.
func New(s *reference.Service, cfg Config) http.Handler {
	h := &handler{svc: s, cfg: cfg, fronts: [2]Front{cfg.REST, cfg.Agents}}
	for i := range h.fronts {
		if h.fronts[i].Format == nil {
			h.fronts[i].Format = reference.StandardWireFormat{}
		}
	}
	r := mux.NewRouter()
	r.SkipClean(true) // the caller cleans the path itself (no redirects)
	r.NotFoundHandler = http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		WriteError(w, req, NotFound(req))
	})
	r.MethodNotAllowedHandler = http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		WriteError(w, req, NewError(http.StatusMethodNotAllowed, "MethodNotAllowedException",
			fmt.Sprintf("method %s is not allowed on %s", req.Method, req.URL.Path)))
	})
	h.mountREST(r)
	h.mountAgents(r)
	return r
}

// NotFound is the 404 of a request no route serves.
func NotFound(r *http.Request) error {
	return NewError(http.StatusNotFound, "NotFoundException",
		fmt.Sprintf("no resource at %s %s", r.Method, r.URL.Path))
}

// handle registers an authenticated route of front, wrapped in the front
// end's middlewares.
func (h *handler) handle(r *mux.Router, f front, tpl string, fn handlerFunc, methods ...string) {
	next := h.serve(f, fn)
	if wrap := h.fronts[f].Wrap; wrap != nil {
		next = wrap(next)
	}
	route := r.Handle(tpl, next)
	if len(methods) > 0 {
		route.Methods(methods...)
	}
}

// serve checks the Authorization header with f's Authenticator, bounds
// the request body, runs fn with the Caller (associate plus `SO-AppToken`)
// and writes what it returns; failed credentials get 401.
func (h *handler) serve(f front, fn handlerFunc) http.Handler {
	auth := h.fronts[f].Auth
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		as, err := auth.FromHeader(r.Header.Get("Authorization"))
		if err != nil {
			WriteError(w, r, err)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, h.cfg.MaxBody)
		rep, err := fn(r, reference.Caller{Associate: as, AppToken: strings.TrimSpace(r.Header.Get("SO-AppToken"))})
		write(w, r, rep, err)
	})
}

// errNoEntity is the 400 of a save without a body (spec §2.2 R5).
var errNoEntity = NewError(http.StatusBadRequest, wire.ErrTypeArgument, "Entity to save is not in request body")

// readBody reads the request body, which serve bounds: 413 when it is
// larger, 415 when its Content-Type is one these front ends do not decode
// (multipart, other XML types). An empty body returns nil.
func (h *handler) readBody(r *http.Request) ([]byte, error) {
	tooLarge := NewError(http.StatusRequestEntityTooLarge, "RequestEntityTooLargeException",
		fmt.Sprintf("request body is larger than %d bytes", h.cfg.MaxBody))
	if r.ContentLength > h.cfg.MaxBody {
		return nil, tooLarge
	}
	data, err := io.ReadAll(r.Body)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, tooLarge
		}
		if ctxErr := r.Context().Err(); ctxErr != nil {
			return nil, ctxErr
		}
		return nil, NewError(http.StatusBadRequest, wire.ErrTypeArgument, "could not read the request body: "+err.Error())
	}
	if len(strings.TrimSpace(string(data))) == 0 {
		return nil, nil
	}
	if mt := wire.BodyMediaType(r); wire.KindOfBody(mt) == wire.BodyUnsupported {
		return nil, NewError(http.StatusUnsupportedMediaType, "UnsupportedMediaTypeException",
			fmt.Sprintf("request bodies of type %s are not supported here; send JSON (application/json, text/json), XML (application/xml, text/xml) or application/x-www-form-urlencoded", mt))
	}
	return data, nil
}

// readTree reads and parses the request body as its Content-Type says
// (JSON, XML or a form, spec §2.1); an empty body gives a nil tree and ok
// false.
func (h *handler) readTree(r *http.Request) (tree any, ok bool, err error) {
	data, err := h.readBody(r)
	if err != nil || data == nil {
		return nil, false, err
	}
	tree, err = wire.ParseBody(wire.BodyMediaType(r), data, wire.DefaultLimits)
	if err != nil {
		return nil, false, err
	}
	return tree, true, nil
}

// baseURL returns the public base URL for `_Links`.
func (h *handler) baseURL(r *http.Request) string {
	if h.cfg.BaseURL != "" {
		return h.cfg.BaseURL
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host + h.cfg.Prefix
}
