package httpapi

import (
	"errors"
	"fmt"
	"html"
	"net/http"
	"strings"

	"github.com/gorilla/mux"

	"github.com/hookcheck/hookcheck/conformance/reference"
	"github.com/hookcheck/hookcheck/conformance/reference/internal/wire"
)

// This file is the HTTP-RPC Agents front end (spec §2.4, A1–A8): every
// method is a POST to /api/v1/Agents/Webhook/{Method} with its parameters
// in a JSON body (single-int parameters may also be in the query, spec
// §9 #19). Method and parameter names match case-insensitively. Answers
// carry no `_Links`. A GET on a method URL describes the method without
// calling it.

// agentMethod is one Agents method.
type agentMethod struct {
	Name        string
	Input       string
	Output      string
	Description string
	call        func(h *handler, w http.ResponseWriter, r *http.Request, c reference.Caller, body any)
}

// agentMethods lists the Webhook agent's methods (spec §2.4).
var agentMethods = []*agentMethod{
	{Name: "CreateDefaultWebhook", Input: "none", Output: "Webhook",
		Description: "Returns a new Webhook with default values; nothing is stored.",
		call:        (*handler).agentCreateDefault},
	{Name: "SaveWebhook", Input: "Webhook", Output: "Webhook",
		Description: "Creates the Webhook when WebhookId is 0 or empty, else updates it.",
		call:        (*handler).agentSave},
	{Name: "DeleteWebhook", Input: "WebhookId (query or body)", Output: "nothing (204)",
		Description: "Deletes the Webhook.",
		call:        (*handler).agentDelete},
	{Name: "GetWebhook", Input: "webhookId (query or body)", Output: "Webhook or null",
		Description: "Gets the Webhook; null when it does not exist.",
		call:        (*handler).agentGet},
	{Name: "GetAllWebhooks", Input: `{"NameFilter": string, "EventFilter": string, "StatusFilter": WebhookState}`, Output: "Webhook[]",
		Description: "Lists the Webhooks that pass the filters; empty or Unknown filters match everything.",
		call:        (*handler).agentGetAll},
	{Name: "TestWebhook", Input: `{"Webhook": Webhook}`, Output: "WebhookResult",
		Description: "Sends the test event to the Webhook's TargetUrl without storing anything.",
		call:        (*handler).agentTest},
	{Name: "SignalEvent", Input: `{"EventName": string, "PrimaryKey": int, "Data": object}`, Output: "nothing (204)",
		Description: "Tells every Webhook listening for EventName that the event happened.",
		call:        (*handler).agentSignal},
	{Name: "GetLastError", Input: "WebhookId (query or body)", Output: "string",
		Description: "Returns the last error response the Webhook got; \"\" when none, null when the Webhook does not exist.",
		call:        (*handler).agentLastError},
}

// lookupAgentMethod finds a method by name, case-insensitively.
func lookupAgentMethod(name string) *agentMethod {
	for _, m := range agentMethods {
		if strings.EqualFold(m.Name, name) {
			return m
		}
	}
	return nil
}

// MethodName returns the spelling an Agents method is registered under,
// for name matched case-insensitively, and whether there is such a method.
func MethodName(name string) (string, bool) {
	if m := lookupAgentMethod(name); m != nil {
		return m.Name, true
	}
	return "", false
}

// mountAgents registers the Agents route.
func (h *handler) mountAgents(r *mux.Router) {
	h.handle(r, frontAgents, "/api/v1/Agents/Webhook/{method}", h.agentDispatch)
}

// agentDispatch routes one Agents call: POST invokes, GET describes, other
// methods get 405 and unknown method names 404.
func (h *handler) agentDispatch(w http.ResponseWriter, r *http.Request, c reference.Caller) {
	name := mux.Vars(r)["method"]
	m := lookupAgentMethod(name)
	if m == nil {
		WriteError(w, r, NewError(http.StatusNotFound, "NotFoundException",
			fmt.Sprintf("the Webhook agent has no method %q (it has %s)", name, agentMethodNames())))
		return
	}
	switch r.Method {
	case http.MethodPost:
	case http.MethodGet:
		h.agentDescribe(w, r, m)
		return
	default:
		w.Header().Set("Allow", "GET, POST")
		WriteError(w, r, NewError(http.StatusMethodNotAllowed, "MethodNotAllowedException",
			fmt.Sprintf("agent methods are called with POST, not %s", r.Method)))
		return
	}
	body, _, err := h.readTree(w, r)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	m.call(h, w, r, c, body)
}

// agentDescribe answers a GET on a method URL: HTML by default, JSON when
// the client asks for application/json.
func (h *handler) agentDescribe(w http.ResponseWriter, r *http.Request, m *agentMethod) {
	if strings.Contains(r.Header.Get("Accept"), "json") {
		o := wire.NewRecord(6)
		o.Add("Agent", "Webhook")
		o.Add("Method", m.Name)
		o.Add("HttpMethod", http.MethodPost)
		o.Add("Input", m.Input)
		o.Add("Output", m.Output)
		o.Add("Description", m.Description)
		writeEntity(w, r, http.StatusOK, "AgentMethod", "", o)
		return
	}
	e := html.EscapeString
	page := "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Webhook agent: " + e(m.Name) +
		"</title></head><body><h1>POST /api/v1/Agents/Webhook/" + e(m.Name) + "</h1><p>" + e(m.Description) +
		"</p><dl><dt>Input</dt><dd>" + e(m.Input) + "</dd><dt>Output</dt><dd>" + e(m.Output) +
		"</dd></dl><p>Call it with POST; this GET only describes it.</p></body></html>"
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write([]byte(page)) // a failed write means the client went away
}

// agentCreateDefault is A1.
func (h *handler) agentCreateDefault(w http.ResponseWriter, r *http.Request, _ reference.Caller, _ any) {
	wh := h.svc.Default()
	h.writeWebhook(w, r, frontAgents, &wh, false)
}

// agentSave is A2: the body is the Webhook; WebhookId 0 creates.
func (h *handler) agentSave(w http.ResponseWriter, r *http.Request, c reference.Caller, body any) {
	if body == nil {
		WriteError(w, r, errNoEntity)
		return
	}
	wh, err := wire.ToWebhook(body)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	saved, err := h.svc.Save(r.Context(), c, wh)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	h.writeWebhook(w, r, frontAgents, &saved, false)
}

// agentDelete is A3 → 204.
func (h *handler) agentDelete(w http.ResponseWriter, r *http.Request, c reference.Caller, body any) {
	id, err := agentWebhookID(r, body)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	if err := h.svc.Delete(r.Context(), c, id); err != nil {
		WriteError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// agentGet is A4: a missing webhook is JSON null (spec §9 #18).
func (h *handler) agentGet(w http.ResponseWriter, r *http.Request, c reference.Caller, body any) {
	id, err := agentWebhookID(r, body)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	wh, err := h.svc.Get(r.Context(), c, id)
	if isNotFound(err) {
		writeEntity(w, r, http.StatusOK, "Webhook", "", nil)
		return
	}
	if err != nil {
		WriteError(w, r, err)
		return
	}
	h.writeWebhook(w, r, frontAgents, &wh, false)
}

// agentGetAll is A5: the filters come from the body (any casing; empty body
// allowed) or, failing that, the query.
func (h *handler) agentGetAll(w http.ResponseWriter, r *http.Request, c reference.Caller, body any) {
	var f reference.Filter
	var err error
	if f.Name, err = agentString(r, body, "NameFilter"); err != nil {
		WriteError(w, r, err)
		return
	}
	if f.Event, err = agentString(r, body, "EventFilter"); err != nil {
		WriteError(w, r, err)
		return
	}
	if v, ok := agentParam(r, body, "StatusFilter"); ok {
		if f.State, err = wire.StateValue(v, "StatusFilter"); err != nil {
			WriteError(w, r, err)
			return
		}
	}
	list, err := h.svc.List(r.Context(), c, f)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	h.writeWebhooks(w, r, frontAgents, list)
}

// agentTest is A6: the body is {"Webhook": {...}}.
func (h *handler) agentTest(w http.ResponseWriter, r *http.Request, c reference.Caller, body any) {
	v, ok := agentParam(r, body, "Webhook")
	if !ok || v == nil {
		WriteError(w, r, NewError(http.StatusBadRequest, wire.ErrTypeArgument,
			`TestWebhook needs {"Webhook": {...}} in the request body`))
		return
	}
	wh, err := wire.ToWebhook(v)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	res, err := h.svc.Test(r.Context(), c, wh)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	writeEntity(w, r, http.StatusOK, "WebhookResult", "", wire.FromResult(res))
}

// agentSignal is A7: {"EventName", "PrimaryKey", "Data"} → 204.
func (h *handler) agentSignal(w http.ResponseWriter, r *http.Request, c reference.Caller, body any) {
	event, err := agentString(r, body, "EventName")
	if err != nil {
		WriteError(w, r, err)
		return
	}
	var pk int32
	if v, ok := agentParam(r, body, "PrimaryKey"); ok && v != nil {
		if pk, err = wire.Int32(v, "PrimaryKey"); err != nil {
			WriteError(w, r, err)
			return
		}
	}
	var data map[string]any
	if obj, ok := body.(*wire.Object); ok {
		if v, ok := obj.GetFold("Data"); ok {
			if data, err = wire.AnyMap(v, "Data"); err != nil {
				WriteError(w, r, err)
				return
			}
		}
	}
	if err := h.svc.Signal(r.Context(), c, event, pk, data); err != nil {
		WriteError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// agentLastError is A8: a JSON string; null when the webhook does not
// exist (spec §9 #18).
func (h *handler) agentLastError(w http.ResponseWriter, r *http.Request, c reference.Caller, body any) {
	id, err := agentWebhookID(r, body)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	msg, err := h.svc.LastError(r.Context(), c, id)
	if isNotFound(err) {
		writeEntity(w, r, http.StatusOK, "string", "", nil)
		return
	}
	if err != nil {
		WriteError(w, r, err)
		return
	}
	writeEntity(w, r, http.StatusOK, "string", "", msg)
}

// isNotFound reports whether err is the core's KindNotFound.
func isNotFound(err error) bool {
	var e *reference.Error
	return errors.As(err, &e) && e.Kind == reference.KindNotFound
}

// agentParam finds a parameter: first in the query (name matched
// case-insensitively), then as a member of a JSON object body.
func agentParam(r *http.Request, body any, name string) (any, bool) {
	if v, ok := wire.QueryFold(r.URL.Query(), name); ok {
		return v, true
	}
	if obj, ok := body.(*wire.Object); ok {
		return obj.GetFold(name)
	}
	return nil, false
}

// agentString reads an optional string parameter ("" when absent or null).
func agentString(r *http.Request, body any, name string) (string, error) {
	v, ok := agentParam(r, body, name)
	if !ok {
		return "", nil
	}
	return wire.String(v, name)
}

// agentWebhookID reads the WebhookId of a single-int agent method from the
// query (`WebhookId`/`webhookId`, any case), a body object or a bare number
// body; it is required.
func agentWebhookID(r *http.Request, body any) (int32, error) {
	v, ok := agentParam(r, body, "WebhookId")
	if !ok {
		switch body.(type) {
		case string:
			v, ok = body, true
		default:
			if _, isNum := wire.NumberOf(body); isNum {
				v, ok = body, true
			}
		}
	}
	if !ok || v == nil {
		return 0, NewError(http.StatusBadRequest, wire.ErrTypeArgument,
			"WebhookId is required (query ?WebhookId=n or body {\"WebhookId\": n})")
	}
	if s, isStr := v.(string); isStr && strings.TrimSpace(s) == "" {
		return 0, NewError(http.StatusBadRequest, wire.ErrTypeArgument, "WebhookId is empty")
	}
	id, err := wire.Int32(v, "WebhookId")
	if err != nil {
		return 0, err
	}
	return id, nil
}

// agentMethodNames lists the method names, for messages and docs.
func agentMethodNames() string {
	names := make([]string, len(agentMethods))
	for i, m := range agentMethods {
		names[i] = m.Name
	}
	return strings.Join(names, ", ")
}
