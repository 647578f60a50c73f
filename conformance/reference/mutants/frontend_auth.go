package mutants

import (
	"net/http"
	"strings"

	"github.com/hookcheck/hookcheck/conformance/reference"
	"github.com/hookcheck/hookcheck/conformance/reference/server"
)

// frontEndAuthMutants are holes in the credential check of one front end
// (spec §2.1, §2.5): calls without credentials served with a cached login,
// a cookie taken without its X-XSRF-TOKEN, a scheme refused or checked only
// for its shape.
func frontEndAuthMutants() []Mutant {
	writes := []string{"SaveWebhook", "DeleteWebhook", "TestWebhook", "SignalEvent"}
	return []Mutant{
		{
			Name:        "rest-writes-without-auth",
			Component:   "WithMiddleware(rest)",
			Description: "REST serves POST, PUT, PATCH and DELETE without an Authorization header as the last user who logged in (only GET is checked)",
			Clauses:     clauses("WH-SEC-006"),
			Apply:       withHandler(server.WithMiddleware(server.FrontREST, borrowIdentity(func(r *http.Request, _ []byte) bool { return r.Method != http.MethodGet }))),
		},
		{
			Name:        "agents-writes-without-auth",
			Component:   "WithMiddleware(agents)",
			Description: "Agents SaveWebhook, DeleteWebhook, TestWebhook and SignalEvent without an Authorization header are served as the last user who logged in",
			Clauses:     clauses("WH-SEC-006"),
			Apply:       withHandler(server.WithMiddleware(server.FrontAgents, borrowIdentity(agentIs(writes...)))),
		},
		{
			Name:        "soap-writes-without-credentials",
			Component:   "WithMiddleware(soap)",
			Description: "SOAP SaveWebhook, DeleteWebhook, TestWebhook and SignalEvent without Credentials are served as the last user who logged in",
			Clauses:     clauses("WH-SEC-012"),
			Apply:       withHandler(server.WithMiddleware(server.FrontSOAP, borrowIdentity(soapOp(writes...)))),
		},
		{
			Name:        "rest-cookie-without-xsrf",
			Component:   "WithMiddleware(rest)",
			Description: "REST takes any request carrying a cookie for the logged-in session, without checking X-XSRF-TOKEN",
			Clauses:     clauses("WH-SEC-009"),
			Apply:       withHandler(server.WithMiddleware(server.FrontREST, borrowIdentity(hasCookie))),
		},
		{
			Name:        "agents-cookie-without-xsrf",
			Component:   "WithMiddleware(agents)",
			Description: "Agents take any request carrying a cookie for the logged-in session, without checking X-XSRF-TOKEN",
			Clauses:     clauses("WH-SEC-009"),
			Apply:       withHandler(server.WithMiddleware(server.FrontAgents, borrowIdentity(hasCookie))),
		},
		{
			Name:        "rest-bearer-refused",
			Component:   "WithAuthenticator(rest)",
			Description: "REST does not implement the Bearer scheme: a valid access token is refused",
			Clauses:     clauses("WH-SEC-007"),
			Apply:       withHandler(server.WithAuthenticator(server.FrontREST, refuseBearer)),
		},
		{
			Name:        "rest-bearer-shape-only",
			Component:   "WithAuthenticator(rest)",
			Description: "REST checks a Bearer token only for its 7A: prefix, so any such token is accepted",
			Clauses:     clauses("WH-SEC-008"),
			Apply:       withHandler(server.WithAuthenticator(server.FrontREST, bearerShapeOnly)),
		},
	}
}

// hasCookie matches a request that carries a Cookie header.
func hasCookie(r *http.Request, _ []byte) bool { return r.Header.Get("Cookie") != "" }

// bearerAuth adapts the FromHeader of a Bearer-aware wrapper.
type bearerAuth struct {
	reference.Authenticator
	bearer func(token string) (*reference.Associate, error)
}

// FromHeader implements reference.Authenticator.
func (a bearerAuth) FromHeader(authorization string) (*reference.Associate, error) {
	scheme, token, _ := strings.Cut(strings.TrimSpace(authorization), " ")
	if strings.EqualFold(scheme, "bearer") {
		return a.bearer(strings.TrimSpace(token))
	}
	return a.Authenticator.FromHeader(authorization)
}

// refuseBearer refuses every Bearer token.
func refuseBearer(a reference.Authenticator) reference.Authenticator {
	return bearerAuth{a, func(string) (*reference.Associate, error) {
		return nil, reference.Errorf(reference.KindUnauthorized, reference.ErrTypeUnauthorized, "unsupported authorization scheme")
	}}
}

// bearerShapeOnly accepts every Bearer token that starts with 7A:.
func bearerShapeOnly(a reference.Authenticator) reference.Authenticator {
	return bearerAuth{a, func(token string) (*reference.Associate, error) {
		if strings.HasPrefix(token, "7A:") {
			as := reference.DefaultAssociate
			return &as, nil
		}
		return a.FromHeader("Bearer " + token)
	}}
}
