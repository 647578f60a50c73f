package httpapi

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gorilla/mux"

	"github.com/hookcheck/hookcheck/conformance/reference"
	"github.com/hookcheck/hookcheck/conformance/reference/internal/wire"
)

// This file is the RESTful front end (spec §2.2, R1–R10). Every handler
// decodes the request, calls the core and returns the answer; behaviour
// (validation, storage, URL verification) lives in the core.

// mountREST registers the REST routes.
func (h *handler) mountREST(r *mux.Router) {
	const base = "/api/v1/Webhook"
	const id = "{id:-?[0-9]+}"
	h.handle(r, frontREST, base+"/default", withSelect(h.restDefault), http.MethodGet)      // R1
	h.handle(r, frontREST, base, withSelect(h.restList), http.MethodGet)                    // R2
	h.handle(r, frontREST, base, withSelect(h.restCreate), http.MethodPost)                 // R3
	h.handle(r, frontREST, base+"/Test", h.restTest, http.MethodPost)                       // R8
	h.handle(r, frontREST, base+"/"+id, withSelect(h.restGet), http.MethodGet)              // R4
	h.handle(r, frontREST, base+"/"+id, withSelect(h.restPut), http.MethodPut)              // R5
	h.handle(r, frontREST, base+"/"+id, withSelect(h.restPatch), http.MethodPatch)          // R6
	h.handle(r, frontREST, base+"/"+id, h.restDelete, http.MethodDelete)                    // R7
	h.handle(r, frontREST, base+"/{eventName}/{primaryKey}", h.restSignal, http.MethodPost) // R9
	h.handle(r, frontREST, base+"/"+id+"/LastError", h.restLastError, http.MethodGet)       // R10
	h.handle(r, frontREST, "/api/v1/Archive/dynamic", h.restArchive, http.MethodGet)        // usage statistics (§5)
}

// restDefault is R1: GET /api/v1/Webhook/default.
func (h *handler) restDefault(r *http.Request, _ reference.Caller) (*reply, error) {
	wh := h.svc.Default()
	return h.webhookReply(r, frontREST, &wh, false), nil
}

// restList is R2: GET /api/v1/Webhook?nameFilter=&eventFilter=&statusFilter=.
// statusFilter is a state name or number; Unknown (the default) means all.
// An OData `$filter` is refused: R2 filters by those three parameters
// only, and ignoring the expression would answer every webhook as if it
// had matched.
func (h *handler) restList(r *http.Request, c reference.Caller) (*reply, error) {
	q := r.URL.Query()
	if expr, ok := wire.QueryFold(q, "$filter"); ok {
		return nil, NewError(http.StatusBadRequest, wire.ErrTypeArgument,
			"$filter "+reference.Quote(expr)+" is not supported by GET /api/v1/Webhook: filter with nameFilter, eventFilter and statusFilter")
	}
	var f reference.Filter
	f.Name, _ = wire.QueryFold(q, "nameFilter")
	f.Event, _ = wire.QueryFold(q, "eventFilter")
	if s, ok := wire.QueryFold(q, "statusFilter"); ok && strings.TrimSpace(s) != "" {
		st, err := reference.ParseState(s)
		if err != nil {
			return nil, NewError(http.StatusBadRequest, wire.ErrTypeArgument, "statusFilter: "+err.Error())
		}
		f.State = st
	}
	list, err := h.svc.List(r.Context(), c, f)
	if err != nil {
		return nil, err
	}
	return h.webhooksReply(r, frontREST, list), nil
}

// restCreate is R3: POST /api/v1/Webhook. It always creates (the body's
// WebhookId is ignored, spec §9 #17) and answers 200 WebhookWithLinks.
func (h *handler) restCreate(r *http.Request, c reference.Caller) (*reply, error) {
	wh, err := h.readWebhook(r)
	if err != nil {
		return nil, err
	}
	return h.saved(r)(h.svc.Create(r.Context(), c, wh))
}

// restGet is R4: GET /api/v1/Webhook/{id}; 404 when missing.
func (h *handler) restGet(r *http.Request, c reference.Caller) (*reply, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	return h.saved(r)(h.svc.Get(r.Context(), c, id))
}

// restPut is R5: PUT /api/v1/Webhook/{id}. The path id wins over the
// body's (spec §9 #17); a missing body is 400 "Entity to save is not in
// request body"; If-Unmodified-Since is honoured (412).
func (h *handler) restPut(r *http.Request, c reference.Caller) (*reply, error) {
	id, cond, err := pathCondition(r)
	if err != nil {
		return nil, err
	}
	wh, err := h.readWebhook(r)
	if err != nil {
		return nil, err
	}
	return h.saved(r)(h.svc.Modify(r.Context(), c, id, cond, func(cur *reference.Webhook) error {
		wire.SetClientFields(cur, &wh)
		return nil
	}))
}

// restPatch is R6: PATCH /api/v1/Webhook/{id} with a JSON Patch array or a
// Merge Patch object (spec §2.3), applied inside Service.Modify.
func (h *handler) restPatch(r *http.Request, c reference.Caller) (*reply, error) {
	id, cond, err := pathCondition(r)
	if err != nil {
		return nil, err
	}
	tree, ok, err := h.readTree(r)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, NewError(http.StatusBadRequest, wire.ErrTypePatch,
			"PATCH needs a JSON Patch array or a Merge Patch object in the request body")
	}
	doc, err := wire.ParsePatch(tree)
	if err != nil {
		return nil, err
	}
	return h.saved(r)(h.svc.Modify(r.Context(), c, id, cond, func(wh *reference.Webhook) error {
		return doc.Apply(wh, h.cfg.PatchStep)
	}))
}

// restDelete is R7: DELETE /api/v1/Webhook/{id} → 204; 404 when missing.
func (h *handler) restDelete(r *http.Request, c reference.Caller) (*reply, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	return nil, h.svc.Delete(r.Context(), c, id)
}

// restTest is R8: POST /api/v1/Webhook/Test → 200 WebhookResult.
func (h *handler) restTest(r *http.Request, c reference.Caller) (*reply, error) {
	wh, err := h.readWebhook(r)
	if err != nil {
		return nil, err
	}
	res, err := h.svc.Test(r.Context(), c, wh)
	if err != nil {
		return nil, err
	}
	return entity("WebhookResult", "", wire.FromResult(res)), nil
}

// restSignal is R9: POST /api/v1/Webhook/{eventName}/{primaryKey} with an
// optional data object → 204.
func (h *handler) restSignal(r *http.Request, c reference.Caller) (*reply, error) {
	vars := mux.Vars(r)
	pk, err := wire.Int32(vars["primaryKey"], "primaryKey")
	if err != nil {
		return nil, err
	}
	tree, _, err := h.readTree(r)
	if err != nil {
		return nil, err
	}
	data, err := wire.AnyMap(tree, "data")
	if err != nil {
		return nil, err
	}
	return nil, h.svc.Signal(r.Context(), c, vars["eventName"], pk, data)
}

// restLastError is R10: GET /api/v1/Webhook/{id}/LastError → 200 JSON
// string ("" when there was no error); 404 when the webhook is missing.
func (h *handler) restLastError(r *http.Request, c reference.Caller) (*reply, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	msg, err := h.svc.LastError(r.Context(), c, id)
	if err != nil {
		return nil, err
	}
	return entity("string", "", msg), nil
}

// saved returns the REST answer of a call that yields one webhook: the
// webhook with `_Links`, or the call's error.
func (h *handler) saved(r *http.Request) func(reference.Webhook, error) (*reply, error) {
	return func(wh reference.Webhook, err error) (*reply, error) {
		if err != nil {
			return nil, err
		}
		return h.webhookReply(r, frontREST, &wh, true), nil
	}
}

// readWebhook reads a Webhook request body; an empty or null body is
// "Entity to save is not in request body".
func (h *handler) readWebhook(r *http.Request) (reference.Webhook, error) {
	tree, ok, err := h.readTree(r)
	if err != nil {
		return reference.Webhook{}, err
	}
	if !ok || tree == nil {
		return reference.Webhook{}, errNoEntity
	}
	return wire.ToWebhook(tree)
}

// webhookReply is one webhook in f's WireFormat with $select applied and,
// for REST single-item answers, `_Links` and a Last-Modified header.
func (h *handler) webhookReply(r *http.Request, f front, wh *reference.Webhook, links bool) *reply {
	o := wire.FromWebhook(wh, h.formatOf(r, f))
	wire.ParseSelect(r.URL.Query()).Apply(o)
	rep := entity("Webhook", "", o)
	if links {
		base := h.baseURL(r) + "/api/v1/Webhook"
		l := wire.NewRecord(2)
		l.Add("Self", base+"/"+strconv.Itoa(int(wh.WebhookID)))
		l.Add("Archive", base)
		o.Add("_Links", l)
		rep.lastModified = wh.Updated
	}
	return rep
}

// webhooksReply is a list of webhooks (no `_Links`) in f's WireFormat with
// $select applied to each.
func (h *handler) webhooksReply(r *http.Request, f front, list []reference.Webhook) *reply {
	sel := wire.ParseSelect(r.URL.Query())
	format := h.formatOf(r, f)
	arr := make([]any, len(list))
	for i := range list {
		o := wire.FromWebhook(&list[i], format)
		sel.Apply(o)
		arr[i] = o
	}
	return entity("ArrayOfWebhook", "Webhook", arr)
}

// formatOf returns f's WireFormat for the answer to r: its dates in the
// zone the SO-TimeZone header names (a TZLocationCode such as "AU-QLD";
// spec §2.1), else as the front end spells them.
func (h *handler) formatOf(r *http.Request, f front) reference.WireFormat {
	return reference.InZone(h.fronts[f].Format, r.Header.Get("SO-TimeZone"))
}

// pathCondition reads the {id} route variable and If-Unmodified-Since.
func pathCondition(r *http.Request) (int32, reference.Condition, error) {
	id, err := pathID(r)
	if err != nil {
		return 0, reference.Condition{}, err
	}
	cond, err := conditionFrom(r)
	return id, cond, err
}

// pathID reads the {id} route variable; an id that does not fit an int32
// cannot exist, so it is a 404.
func pathID(r *http.Request) (int32, error) {
	s := mux.Vars(r)["id"]
	id, err := strconv.ParseInt(s, 10, 32)
	if err != nil {
		return 0, NewError(http.StatusNotFound, "SoNotFoundException", "Webhook id "+reference.Quote(s)+" not found")
	}
	return int32(id), nil
}

// conditionFrom reads If-Unmodified-Since (spec §2.1) into a Condition. An
// HTTP-date has whole-second resolution and stands for that whole second,
// so it is taken as its last instant (an entity updated at 12:00:00.5 is
// not modified since "12:00:00 GMT"); ISO 8601 values are taken exactly.
// An unparsable value is a 400.
func conditionFrom(r *http.Request) (reference.Condition, error) {
	v := strings.TrimSpace(r.Header.Get("If-Unmodified-Since"))
	if v == "" {
		return reference.Condition{}, nil
	}
	if t, err := http.ParseTime(v); err == nil {
		return reference.Condition{IfUnmodifiedSince: t.Add(time.Second - time.Nanosecond)}, nil
	}
	if t, err := wire.ParseTime(v); err == nil {
		return reference.Condition{IfUnmodifiedSince: t}, nil
	}
	return reference.Condition{}, NewError(http.StatusBadRequest, wire.ErrTypeArgument,
		"If-Unmodified-Since: "+reference.Quote(v)+" is not an HTTP date")
}
