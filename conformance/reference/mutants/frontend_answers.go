package mutants

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strings"

	"github.com/tidwall/gjson"

	"github.com/hookcheck/hookcheck/conformance/reference/server"
)

// frontEndAnswerMutants are front ends whose answers are not the documented
// shape (spec §2.2, §2.4, §2.5): a POST answering only the id, an Agents
// GET answering null, SOAP without its {Op}Response wrapper, an update
// echoing the request, a SaveWebhook that needs a WebhookId, a TestWebhook
// that does not refuse what it cannot test.
func frontEndAnswerMutants() []Mutant {
	return []Mutant{
		{
			Name:        "rest-post-answers-id-only",
			Component:   "WithMiddleware(rest)",
			Description: `REST POST /api/v1/Webhook answers only {"WebhookId":n} instead of the stored entity`,
			Clauses:     clauses("WH-CRUD-039", "WH-CRUD-002"),
			Apply: withHandler(server.WithMiddleware(server.FrontREST, rewriteAnswer(restCreate, func(_ []byte, status int, body []byte) (int, []byte) {
				if status != http.StatusOK {
					return status, body
				}
				out, _ := json.Marshal(map[string]int64{"WebhookId": gjson.GetBytes(body, "WebhookId").Int()})
				return status, out
			}))),
		},
		{
			Name:        "agents-get-describes-null",
			Component:   "WithMiddleware(agents)",
			Description: "a GET on an Agents method URL answers 200 null instead of the method's description",
			Clauses:     clauses("WH-CRUD-042"),
			Apply: withHandler(server.WithMiddleware(server.FrontAgents, func(next http.Handler) http.Handler {
				return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					if r.Method != http.MethodGet || agentMethod(r) == "" {
						next.ServeHTTP(w, r)
						return
					}
					w.Header().Set("Content-Type", "application/json; charset=utf-8")
					_, _ = w.Write([]byte("null")) // a failed write means the client went away
				})
			})),
		},
		{
			Name:        "soap-response-unwrapped",
			Component:   "WithMiddleware(soap)",
			Description: "SOAP GetWebhook, GetAllWebhooks, GetLastError, SaveWebhook and TestWebhook put <Response> straight into the Body, without the <{Op}Response> wrapper",
			Clauses:     clauses("WH-CRUD-041", "WH-WIRE-002", "WH-WIRE-003", "WH-WIRE-004", "WH-WIRE-005", "WH-WIRE-007"),
			Apply: withHandler(server.WithMiddleware(server.FrontSOAP, rewriteAnswer(soapOp("GetWebhook", "GetAllWebhooks", "GetLastError", "SaveWebhook", "TestWebhook"),
				func(_ []byte, status int, body []byte) (int, []byte) {
					return status, soapWrapper.ReplaceAll(body, nil)
				}))),
		},
		{
			Name:        "agents-update-echoes-request",
			Component:   "WithMiddleware(agents)",
			Description: "Agents SaveWebhook of an existing id answers the Webhook it was sent, not the stored entity (no new Updated, no associates)",
			Clauses:     clauses("WH-CRUD-040"),
			Apply: withHandler(server.WithMiddleware(server.FrontAgents, rewriteAnswer(
				func(r *http.Request, body []byte) bool {
					return agentIs("SaveWebhook")(r, body) && gjson.GetBytes(body, "WebhookId").Int() != 0
				},
				func(req []byte, status int, body []byte) (int, []byte) {
					if status != http.StatusOK {
						return status, body
					}
					return status, req
				}))),
		},
		{
			Name:        "agents-save-requires-webhookid",
			Component:   "WithMiddleware(agents)",
			Description: "Agents SaveWebhook refuses a Webhook that omits WebhookId instead of creating it",
			Clauses:     clauses("WH-CRUD-038"),
			Apply: withHandler(server.WithMiddleware(server.FrontAgents, rewriteAnswer(
				func(r *http.Request, body []byte) bool {
					return agentIs("SaveWebhook")(r, body) && gjson.ValidBytes(body) && !gjson.GetBytes(body, "WebhookId").Exists()
				},
				func(_ []byte, _ int, _ []byte) (int, []byte) {
					return http.StatusBadRequest, jsonError("SoArgumentException", "WebhookId is required")
				}))),
		},
		{
			Name:        "rest-testwebhook-invalid-not-refused",
			Component:   "WithMiddleware(rest)",
			Description: "REST POST Webhook/Test answers Success false for a definition without TargetUrl instead of refusing it",
			Clauses:     clauses("WH-VER-023"),
			Apply: withHandler(server.WithMiddleware(server.FrontREST, rewriteAnswer(func(r *http.Request, body []byte) bool {
				return restTest(r, body) && strings.TrimSpace(gjson.GetBytes(body, "TargetUrl").String()) == ""
			}, notTested))),
		},
	}
}

// soapWrapper matches the opening and closing tags of an {Op}Response
// element (at least one character before "Response", so the inner
// <Response> stays).
var soapWrapper = regexp.MustCompile(`</?(?:[\w.-]+:)?\w+Response(?:\s[^>]*)?>`)

// restCreate matches REST POST /api/v1/Webhook.
func restCreate(r *http.Request, _ []byte) bool {
	return r.Method == http.MethodPost && strings.HasSuffix(strings.TrimRight(strings.ToLower(r.URL.Path), "/"), "/api/v1/webhook")
}

// notTested answers a TestWebhook with Success false.
func notTested(_ []byte, _ int, _ []byte) (int, []byte) {
	return http.StatusOK, []byte(`{"Success":false,"Message":"no TargetUrl to test"}`)
}
