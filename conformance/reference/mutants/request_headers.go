package mutants

import (
	"bytes"
	"net/http"
	"regexp"

	"github.com/hookcheck/hookcheck/conformance/reference/server"
)

// requestHeaderMutants are front ends that get the request headers of
// spec §2.1 and §2.5 wrong: SO-TimeZone or the SOAP TimeZone header
// ignored (dates stay in UTC), and a language header that translates the
// State enum.
func requestHeaderMutants() []Mutant {
	return []Mutant{
		{
			Name:        "rest-timezone-ignored",
			Component:   "WithMiddleware(rest)",
			Description: "REST ignores SO-TimeZone: dates stay in UTC whatever zone the request names",
			Clauses:     clauses("WH-WIRE-013"),
			Apply:       withHandler(server.WithMiddleware(server.FrontREST, dropHeader("SO-TimeZone"))),
		},
		{
			Name:        "agents-timezone-ignored",
			Component:   "WithMiddleware(agents)",
			Description: "Agents ignore SO-TimeZone: dates stay in UTC whatever zone the request names",
			Clauses:     clauses("WH-WIRE-013"),
			Apply:       withHandler(server.WithMiddleware(server.FrontAgents, dropHeader("SO-TimeZone"))),
		},
		{
			Name:        "soap-timezone-ignored",
			Component:   "WithMiddleware(soap)",
			Description: "SOAP ignores the TimeZone request header: dates stay in UTC and the TimeZone response header is nil",
			Clauses:     clauses("WH-WIRE-014"),
			Apply: withHandler(server.WithMiddleware(server.FrontSOAP, rewriteRequest(
				func(_ *http.Request, body []byte) bool { return soapTimeZone.Match(body) },
				func(body []byte) []byte { return soapTimeZone.ReplaceAll(body, nil) }))),
		},
		{
			Name:        "language-translates-state",
			Component:   "WithMiddleware(rest)",
			Description: `REST translates the State enum when a language is asked for ("Aktiv" for Active under Accept-Language or SO-Language)`,
			Clauses:     clauses("WH-WIRE-015"),
			Apply: withHandler(server.WithMiddleware(server.FrontREST, rewriteAnswer(func(r *http.Request, _ []byte) bool {
				return r.Header.Get("SO-Language") != "" || r.Header.Get("Accept-Language") != ""
			}, func(_ []byte, status int, body []byte) (int, []byte) {
				return status, bytes.ReplaceAll(body, []byte(`"State":"Active"`), []byte(`"State":"Aktiv"`))
			}))),
		},
	}
}

// dropHeader returns a middleware that removes the request header name.
func dropHeader(name string) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			r.Header.Del(name)
			next.ServeHTTP(w, r)
		})
	}
}

// soapTimeZone finds the TimeZone header block of a SOAP request.
var soapTimeZone = regexp.MustCompile(`(?s)<(?:[\w.-]+:)?TimeZone[\s>].*?</(?:[\w.-]+:)?TimeZone>`)
