package mutants

import (
	"net/http"
	"strings"

	"github.com/hookcheck/hookcheck/conformance/reference/server"
)

// frontEndSecretMutants are front ends that lose the Secret they are given
// (spec §2.6, §4.6): the hooks saved or tested there deliver unsigned.
func frontEndSecretMutants() []Mutant {
	return []Mutant{
		{
			Name:        "soap-save-drops-secret",
			Component:   "WithMiddleware(soap)",
			Description: "SOAP SaveWebhook drops the Secret it is given, so hooks saved through SOAP deliver unsigned",
			Clauses:     clauses("WH-DLV-006", "WH-DLV-020", "WH-VER-005", "WH-PAR-011"),
			Apply:       withHandler(server.WithMiddleware(server.FrontSOAP, rewriteRequest(soapOp("SaveWebhook"), dropSOAPSecret))),
		},
		{
			Name:        "agents-save-drops-secret",
			Component:   "WithMiddleware(agents)",
			Description: "Agents SaveWebhook drops the Secret it is given, so hooks saved through Agents deliver unsigned",
			Clauses:     clauses("WH-DLV-006", "WH-DLV-020", "WH-VER-005", "WH-PAR-011"),
			Apply:       withHandler(server.WithMiddleware(server.FrontAgents, rewriteRequest(agentIs("SaveWebhook"), dropJSONSecret))),
		},
		{
			Name:        "rest-testwebhook-drops-secret",
			Component:   "WithMiddleware(rest)",
			Description: "REST POST Webhook/Test drops the definition's Secret, so its test event is never signed",
			Clauses:     clauses("WH-VER-022"),
			Apply:       withHandler(server.WithMiddleware(server.FrontREST, rewriteRequest(restTest, dropJSONSecret))),
		},
		{
			Name:        "agents-testwebhook-drops-secret",
			Component:   "WithMiddleware(agents)",
			Description: "Agents TestWebhook drops the definition's Secret, so its test event is never signed",
			Clauses:     clauses("WH-VER-022"),
			Apply:       withHandler(server.WithMiddleware(server.FrontAgents, rewriteRequest(agentIs("TestWebhook"), dropJSONSecret))),
		},
		{
			Name:        "soap-testwebhook-drops-secret",
			Component:   "WithMiddleware(soap)",
			Description: "SOAP TestWebhook drops the definition's Secret, so its test event is never signed",
			Clauses:     clauses("WH-VER-022"),
			Apply:       withHandler(server.WithMiddleware(server.FrontSOAP, rewriteRequest(soapOp("TestWebhook"), dropSOAPSecret))),
		},
	}
}

// restTest matches REST POST /api/v1/Webhook/Test.
func restTest(r *http.Request, _ []byte) bool {
	return r.Method == http.MethodPost && strings.HasSuffix(strings.ToLower(r.URL.Path), "/api/v1/webhook/test")
}
