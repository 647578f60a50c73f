package httpapi

import (
	"fmt"
	"html"
	"net/http"
	"strings"

	"github.com/gorilla/mux"

	"github.com/hookcheck/hookcheck/conformance/reference"
	"github.com/hookcheck/hookcheck/conformance/reference/internal/rpc"
	"github.com/hookcheck/hookcheck/conformance/reference/internal/wire"
)

// This file is the HTTP-RPC Agents front end (spec §2.4, A1–A8): every
// method of the operation table (internal/rpc) is a POST to
// /api/v1/Agents/Webhook/{Method} with its parameters in a JSON body
// (single-int parameters may also be in the query, spec §9 #19). Method and
// parameter names match case-insensitively. Answers carry no `_Links`. A
// GET on a method URL describes the method without calling it.

// mountAgents registers the Agents route.
func (h *handler) mountAgents(r *mux.Router) {
	h.handle(r, frontAgents, "/api/v1/Agents/Webhook/{method}", withSelect(h.agentDispatch))
}

// agentDispatch routes one Agents call: POST invokes, GET describes, other
// methods get 405 and unknown method names 404.
func (h *handler) agentDispatch(r *http.Request, c reference.Caller) (*reply, error) {
	name := mux.Vars(r)["method"]
	op := rpc.LookupFold(name)
	if op == nil {
		return nil, NewError(http.StatusNotFound, "NotFoundException",
			fmt.Sprintf("the Webhook agent has no method %s (it has %s)", reference.Quote(name), rpc.Names()))
	}
	switch r.Method {
	case http.MethodPost:
	case http.MethodGet:
		return agentDescribe(r, op), nil
	default:
		e := NewError(http.StatusMethodNotAllowed, "MethodNotAllowedException",
			fmt.Sprintf("agent methods are called with POST, not %s", r.Method))
		e.Header = http.Header{"Allow": {"GET, POST"}}
		return nil, e
	}
	body, _, err := h.readTree(r)
	if err != nil {
		return nil, err
	}
	args, err := op.Read(agentArgs{op: op.Name, r: r, body: body})
	if err != nil {
		return nil, err
	}
	res, err := op.Call(r.Context(), h.svc, c, args)
	if err != nil {
		return nil, err
	}
	return h.agentReply(r, res), nil
}

// agentReply encodes an operation's reply: a null reply is JSON null (spec
// §9 #18), nothing is 204.
func (h *handler) agentReply(r *http.Request, res rpc.Reply) *reply {
	switch res.Kind {
	case rpc.OneWebhook:
		if res.Null {
			return entity("Webhook", "", nil)
		}
		return h.webhookReply(r, frontAgents, &res.Webhook, false)
	case rpc.Webhooks:
		return h.webhooksReply(r, frontAgents, res.List)
	case rpc.Result:
		return entity("WebhookResult", "", wire.FromResult(res.Result))
	case rpc.Text:
		if res.Null {
			return entity("string", "", nil)
		}
		return entity("string", "", res.Text)
	}
	return nil
}

// agentDescribe answers a GET on a method URL: HTML by default, JSON when
// the client asks for application/json.
func agentDescribe(r *http.Request, op *rpc.Operation) *reply {
	if strings.Contains(r.Header.Get("Accept"), "json") {
		o := wire.NewRecord(6)
		o.Add("Agent", "Webhook")
		o.Add("Method", op.Name)
		o.Add("HttpMethod", http.MethodPost)
		o.Add("Input", op.Input)
		o.Add("Output", op.Output)
		o.Add("Description", op.Description)
		return entity("AgentMethod", "", o)
	}
	e := html.EscapeString
	return &reply{page: "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Webhook agent: " + e(op.Name) +
		"</title></head><body><h1>POST /api/v1/Agents/Webhook/" + e(op.Name) + "</h1><p>" + e(op.Description) +
		"</p><dl><dt>Input</dt><dd>" + e(op.Input) + "</dd><dt>Output</dt><dd>" + e(op.Output) +
		"</dd></dl><p>Call it with POST; this GET only describes it.</p></body></html>"}
}
