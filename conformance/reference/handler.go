package reference

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"path"
	"runtime/debug"
	"strings"

	"github.com/gorilla/mux"
)

// The SOAP namespaces of the two mounted Webhook.svc endpoints (spec §2.5).
const (
	soapNamespace88 = "http://www.superoffice.net/ws/crm/NetServer/Services88"
	soapNamespace87 = "http://www.superoffice.net/ws/crm/NetServer/Services87"
)

// The canonical paths of the SOAP endpoints.
const (
	soapPath88 = "/Remote/Services88/Webhook.svc"
	soapPath87 = "/Remote/Services87/Webhook.svc"
)

// DefaultMaxBodyBytes is the default bound on REST and Agents request
// bodies; larger bodies get 413 with the §2.1 error body.
const DefaultMaxBodyBytes = 1 << 20

// HandlerOption configures NewHandler.
type HandlerOption func(*handlerConfig)

// handlerConfig is what the HandlerOptions set.
type handlerConfig struct {
	prefix  string
	baseURL string
	maxBody int64
	logger  *slog.Logger

	// Per front end (frontend.go) and PATCH (patchstep.go) hooks.
	authWraps  map[FrontEnd][]func(Authenticator) Authenticator
	formats    map[FrontEnd]WireFormat
	middleware map[FrontEnd][]func(http.Handler) http.Handler
	patchStep  PatchStep
}

// WithPathPrefix mounts every route under prefix, for example "/Cust12345"
// to mimic an Online tenant (`/Cust12345/api/v1/Webhook`). The prefix is
// matched case-insensitively and appears in the `_Links` URLs. Prefer it
// to http.StripPrefix, which would hide the prefix from those links.
func WithPathPrefix(prefix string) HandlerOption {
	return func(c *handlerConfig) {
		c.prefix = "/" + strings.Trim(prefix, "/")
		if c.prefix == "/" {
			c.prefix = ""
		}
	}
}

// WithBaseURL sets the public base URL (the part before `/api/v1`, for
// example "https://host/Cust12345") used in `_Links`. Without it links are
// built from the request's Host, its TLS state and the path prefix.
func WithBaseURL(base string) HandlerOption {
	return func(c *handlerConfig) { c.baseURL = strings.TrimRight(base, "/") }
}

// WithMaxBodyBytes bounds REST and Agents request bodies (default
// DefaultMaxBodyBytes); n <= 0 keeps the default.
func WithMaxBodyBytes(n int64) HandlerOption {
	return func(c *handlerConfig) {
		if n > 0 {
			c.maxBody = n
		}
	}
}

// WithLogger sets where recovered panics are logged (default slog.Default).
func WithLogger(l *slog.Logger) HandlerOption {
	return func(c *handlerConfig) {
		if l != nil {
			c.logger = l
		}
	}
}

// apiHandler serves the REST and Agents front ends and mounts SOAP.
type apiHandler struct {
	svc    *Service
	auth   map[FrontEnd]Authenticator
	cfg    handlerConfig
	router *mux.Router
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
func NewHandler(s *Service, a Auth, opts ...HandlerOption) http.Handler {
	h := &apiHandler{svc: s, cfg: handlerConfig{
		maxBody:    DefaultMaxBodyBytes,
		logger:     slog.Default(),
		authWraps:  map[FrontEnd][]func(Authenticator) Authenticator{},
		formats:    map[FrontEnd]WireFormat{},
		middleware: map[FrontEnd][]func(http.Handler) http.Handler{},
		patchStep:  runPatchStep,
	}}
	for _, o := range opts {
		o(&h.cfg)
	}
	h.auth = map[FrontEnd]Authenticator{}
	for _, front := range FrontEnds {
		h.auth[front] = h.cfg.authenticatorFor(front, a)
	}
	r := mux.NewRouter()
	r.SkipClean(true) // ServeHTTP cleans the path itself (no redirects)
	r.NotFoundHandler = http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		writeAPIError(w, req, newAPIError(http.StatusNotFound, "NotFoundException",
			fmt.Sprintf("no resource at %s %s", req.Method, req.URL.Path)))
	})
	r.MethodNotAllowedHandler = http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		writeAPIError(w, req, newAPIError(http.StatusMethodNotAllowed, "MethodNotAllowedException",
			fmt.Sprintf("method %s is not allowed on %s", req.Method, req.URL.Path)))
	})
	h.mountREST(r)
	h.mountAgents(r)
	h.router = r
	h.soap = map[string]http.Handler{}
	for path, ns := range map[string]string{soapPath88: soapNamespace88, soapPath87: soapNamespace87} {
		sh := newSOAPHandler(s, a, ns)
		sh.auth = h.auth[FrontSOAP]
		sh.format = h.cfg.wireFormatFor(FrontSOAP)
		h.soap[path] = h.cfg.wrapFront(FrontSOAP, sh)
	}
	return recoverHandler(h, h.cfg.logger)
}

// ServeHTTP strips the prefix, canonicalises the path and routes.
func (h *apiHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	if h.cfg.prefix != "" {
		rest, ok := cutPrefixFold(p, h.cfg.prefix)
		if !ok {
			writeAPIError(w, r, newAPIError(http.StatusNotFound, "NotFoundException",
				fmt.Sprintf("no resource at %s %s", r.Method, p)))
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
			if m := lookupAgentMethod(segs[4]); m != nil {
				segs[4] = m.Name
			}
		}
	case len(segs) == 3 && fold(0, "Remote") && (fold(1, "Services88") || fold(1, "Services87")):
		fold(2, "Webhook.svc")
	}
	return "/" + strings.Join(segs, "/")
}

// handle registers an authenticated route of front (REST or Agents),
// wrapped in the front end's middlewares.
func (h *apiHandler) handle(r *mux.Router, front FrontEnd, tpl string, fn func(http.ResponseWriter, *http.Request, Caller), methods ...string) {
	route := r.Handle(tpl, h.cfg.wrapFront(front, h.authenticate(front, fn)))
	if len(methods) > 0 {
		route.Methods(methods...)
	}
}

// authenticate checks the Authorization header with front's
// Authenticator and passes the Caller (associate plus `SO-AppToken`) to fn;
// failures get 401.
func (h *apiHandler) authenticate(front FrontEnd, fn func(http.ResponseWriter, *http.Request, Caller)) http.Handler {
	auth := h.auth[front]
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		as, err := auth.FromHeader(r.Header.Get("Authorization"))
		if err != nil {
			writeAPIError(w, r, err)
			return
		}
		fn(w, r, Caller{Associate: as, AppToken: strings.TrimSpace(r.Header.Get("SO-AppToken"))})
	})
}

// errNoEntity is the 400 of a save without a body (spec §2.2 R5).
var errNoEntity = newAPIError(http.StatusBadRequest, errTypeArgument, "Entity to save is not in request body")

// readBody reads the request body within the configured bound: 413 when
// it is larger, 415 when it is XML or a form (these front ends decode JSON
// only). An empty body returns nil.
func (h *apiHandler) readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	tooLarge := newAPIError(http.StatusRequestEntityTooLarge, "RequestEntityTooLargeException",
		fmt.Sprintf("request body is larger than %d bytes", h.cfg.maxBody))
	if r.ContentLength > h.cfg.maxBody {
		return nil, tooLarge
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, h.cfg.maxBody))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, tooLarge
		}
		if ctxErr := r.Context().Err(); ctxErr != nil {
			return nil, ctxErr
		}
		return nil, newAPIError(http.StatusBadRequest, errTypeArgument, "could not read the request body: "+err.Error())
	}
	if len(strings.TrimSpace(string(data))) == 0 {
		return nil, nil
	}
	if mt, bad := unsupportedBodyType(r); bad {
		return nil, newAPIError(http.StatusUnsupportedMediaType, "UnsupportedMediaTypeException",
			fmt.Sprintf("request bodies of type %s are not supported here; send application/json (XML is supported by the SOAP endpoint)", mt))
	}
	return data, nil
}

// readTree reads and parses the request body; an empty body gives a nil
// tree and ok false.
func (h *apiHandler) readTree(w http.ResponseWriter, r *http.Request) (tree any, ok bool, err error) {
	data, err := h.readBody(w, r)
	if err != nil || data == nil {
		return nil, false, err
	}
	tree, err = parseWire(data, defaultWireLimits)
	if err != nil {
		return nil, false, err
	}
	return tree, true, nil
}

// baseURL returns the public base URL for `_Links`.
func (h *apiHandler) baseURL(r *http.Request) string {
	if h.cfg.baseURL != "" {
		return h.cfg.baseURL
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host + h.cfg.prefix
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
				writeAPIError(tw, r, newAPIError(http.StatusInternalServerError, "Exception",
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
