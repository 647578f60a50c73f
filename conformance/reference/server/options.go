package server

import (
	"log/slog"
	"net/http"
	"strings"

	"github.com/hookcheck/hookcheck/conformance/reference"
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

	// Per front end (frontend.go) and PATCH (patchstep.go) hooks, in this package.
	authWraps  map[FrontEnd][]func(reference.Authenticator) reference.Authenticator
	formats    map[FrontEnd]reference.WireFormat
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
