package server

import (
	"net/http"

	"github.com/hookcheck/hookcheck/conformance/reference"
)

// FrontEnd names one of the service's three front ends, for the
// HandlerOptions that configure a single one of them.
type FrontEnd string

// The front ends of NewHandler.
const (
	// FrontREST is the RESTful front end (`/api/v1/Webhook…`, spec §2.2).
	FrontREST FrontEnd = "rest"
	// FrontAgents is the HTTP-RPC Agents front end
	// (`/api/v1/Agents/Webhook/…`, spec §2.4).
	FrontAgents FrontEnd = "agents"
	// FrontSOAP is the SOAP front end (`…/Webhook.svc`, spec §2.5).
	FrontSOAP FrontEnd = "soap"
)

// FrontEnds lists the front ends in matrix order.
var FrontEnds = []FrontEnd{FrontREST, FrontAgents, FrontSOAP}

// WithAuthenticator wraps the credential check of one front end: wrap gets
// the Authenticator the front end would use (the Auth given to NewHandler,
// or what an earlier WithAuthenticator for the same front end made of it)
// and returns the one it uses instead. The other front ends keep theirs.
func WithAuthenticator(front FrontEnd, wrap func(reference.Authenticator) reference.Authenticator) HandlerOption {
	return func(c *handlerConfig) {
		if wrap != nil {
			c.authWraps[front] = append(c.authWraps[front], wrap)
		}
	}
}

// WithWireFormat sets how one front end spells the entity values whose text
// form is its own business (State and the dates); the default is
// StandardWireFormat.
func WithWireFormat(front FrontEnd, f reference.WireFormat) HandlerOption {
	return func(c *handlerConfig) {
		if f != nil {
			c.formats[front] = f
		}
	}
}

// WithMiddleware wraps every route of one front end in mw, outside the
// credential check, as a proxy or web framework in front of it would. A
// front end's middlewares apply in the order given, the first outermost.
func WithMiddleware(front FrontEnd, mw func(http.Handler) http.Handler) HandlerOption {
	return func(c *handlerConfig) {
		if mw != nil {
			c.middleware[front] = append(c.middleware[front], mw)
		}
	}
}

// authenticatorFor returns the Authenticator of front: a, wrapped by the
// WithAuthenticator options given for it.
func (c *handlerConfig) authenticatorFor(front FrontEnd, a reference.Auth) reference.Authenticator {
	var out reference.Authenticator = a
	for _, wrap := range c.authWraps[front] {
		out = wrap(out)
	}
	return out
}

// wireFormatFor returns the WireFormat of front.
func (c *handlerConfig) wireFormatFor(front FrontEnd) reference.WireFormat {
	if f := c.formats[front]; f != nil {
		return f
	}
	return reference.StandardWireFormat{}
}

// wrapFront wraps next in the middlewares of front.
func (c *handlerConfig) wrapFront(front FrontEnd, next http.Handler) http.Handler {
	mws := c.middleware[front]
	for i := len(mws) - 1; i >= 0; i-- {
		next = mws[i](next)
	}
	return next
}
