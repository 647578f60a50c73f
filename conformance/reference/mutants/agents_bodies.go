package mutants

import (
	"mime"
	"net/http"

	"github.com/hookcheck/hookcheck/conformance/reference/server"
)

// agentsBodyMutants are Agents front ends that read and answer JSON only
// (spec §2.1): XML and form bodies refused, the Accept header ignored.
func agentsBodyMutants() []Mutant {
	return []Mutant{
		{
			Name:        "agents-json-bodies-only",
			Component:   "WithMiddleware(agents)",
			Description: "Agents refuse XML and form-encoded request bodies with 415 instead of reading them",
			Clauses:     clauses("WH-WIRE-016"),
			Apply: withHandler(server.WithMiddleware(server.FrontAgents, func(next http.Handler) http.Handler {
				return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
					switch mt {
					case "application/xml", "text/xml", "application/x-www-form-urlencoded":
						w.Header().Set("Content-Type", "application/json; charset=utf-8")
						w.WriteHeader(http.StatusUnsupportedMediaType)
						_, _ = w.Write(jsonError("UnsupportedMediaTypeException", "send application/json")) // a failed write means the client went away
						return
					}
					next.ServeHTTP(w, r)
				})
			})),
		},
		{
			Name:        "agents-accept-ignored",
			Component:   "WithMiddleware(agents)",
			Description: "Agents answer JSON whatever the Accept header asks for",
			Clauses:     clauses("WH-WIRE-017"),
			Apply:       withHandler(server.WithMiddleware(server.FrontAgents, dropHeader("Accept"))),
		},
	}
}
