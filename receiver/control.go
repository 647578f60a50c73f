package receiver

import (
	"bytes"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gorilla/mux"

	"github.com/hookcheck/hookcheck/receiver/api"
	"github.com/hookcheck/hookcheck/receiver/journal"
	"github.com/hookcheck/hookcheck/receiver/mailsink"
)

// controlPrefix is the root of the control API.
const controlPrefix = "/_hookcheck"

// controlRouter builds the control API's routes.
func (rv *Receiver) controlRouter() http.Handler {
	m := mux.NewRouter()
	// Routes go on the root router with their full path: under a PathPrefix
	// subrouter, gorilla/mux v1.8 forgets a method mismatch as soon as a
	// later route matches the prefix, and answers 404 instead of 405.
	c := func(path string, h http.HandlerFunc, methods ...string) {
		m.HandleFunc(controlPrefix+path, h).Methods(methods...)
	}
	c("/healthz", rv.handleHealth, http.MethodGet, http.MethodHead)
	c("/ca.pem", rv.handleCA, http.MethodGet)
	c("/ca.crl", rv.handleCRL, http.MethodGet)
	c("/tls", rv.handleTLSKinds, http.MethodGet)
	c("/channels", rv.handleCreateChannel, http.MethodPost)
	c("/channels", rv.handleListChannels, http.MethodGet)
	c("/channels/{id}", rv.handleChannelInfo, http.MethodGet)
	c("/channels/{id}", rv.handleDeleteChannel, http.MethodDelete)
	c("/channels/{id}/calls", rv.handleCalls, http.MethodGet)
	c("/channels/{id}/calls", rv.handleClearCalls, http.MethodDelete)
	c("/channels/{id}/script", rv.handleGetScript, http.MethodGet)
	c("/channels/{id}/script", rv.handlePutScript, http.MethodPut)
	c("/channels/{id}/export", rv.handleExport, http.MethodGet)
	c("/mail", rv.handleMail, http.MethodGet)
	// The inspector's routes (stream.go, inspect.go); the page itself is ui.go.
	c("/channels/{id}/stream", rv.handleCallStream, http.MethodGet)
	c("/channels/{id}/calls/{seq:[0-9]+}", rv.handleCall, http.MethodGet)
	c("/channels/{id}/calls/{seq:[0-9]+}/signature", rv.handleSignatureCheck, http.MethodGet)
	c("/channels/{id}/calls/{seq:[0-9]+}/replay", rv.handleReplay, http.MethodPost)
	c("/mail/stream", rv.handleMailStream, http.MethodGet)
	m.NotFoundHandler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, fmt.Sprintf("no route %s %s (control API lives under %s/, calls under %s{id})", r.Method, r.URL.Path, controlPrefix, hooksPrefix))
	})
	m.MethodNotAllowedHandler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusMethodNotAllowed, fmt.Sprintf("method %s not allowed on %s", r.Method, r.URL.Path))
	})
	return rv.requireToken(m)
}

// requireToken enforces --control-token on every route except healthz,
// ca.pem and ca.crl, which hold nothing secret (and a target fetches the
// CRL without the token). Stream routes also take it as ?token=,
// because EventSource cannot send headers.
func (rv *Receiver) requireToken(next http.Handler) http.Handler {
	if rv.cfg.ControlToken == "" {
		return next
	}
	want := []byte("Bearer " + rv.cfg.ControlToken)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case controlPrefix + "/healthz", controlPrefix + "/ca.pem", crlPath:
		default:
			if subtle.ConstantTimeCompare([]byte(r.Header.Get("Authorization")), want) != 1 && !rv.streamTokenOK(r) {
				writeError(w, http.StatusUnauthorized, "control API needs \"Authorization: Bearer <control token>\"")
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

func (rv *Receiver) handleHealth(w http.ResponseWriter, r *http.Request) {
	h := api.Health{OK: true, Channels: len(rv.channels.list()), Calls: rv.channels.bound.Held(), Evicted: rv.channels.bound.Evicted()}
	if rv.sink != nil {
		h.Mails, _, _ = rv.sink.Log().Stats()
	}
	writeJSON(w, http.StatusOK, h)
}

func (rv *Receiver) handleCA(w http.ResponseWriter, r *http.Request) {
	if len(rv.caPEM) == 0 {
		writeError(w, http.StatusNotFound, "this receiver has no HTTPS listener")
		return
	}
	w.Header().Set("Content-Type", "application/x-pem-file")
	_, _ = w.Write(rv.caPEM)
}

func (rv *Receiver) handleCreateChannel(w http.ResponseWriter, r *http.Request) {
	var req api.ChannelRequest
	if status, err := decodeJSON(w, r, &req, true); err != nil {
		writeError(w, status, "create channel: "+err.Error())
		return
	}
	if !rv.startKind(w, req.TLS) {
		return
	}
	ch, warnings, err := rv.channels.create(req)
	if err != nil {
		status := http.StatusBadRequest
		if errors.Is(err, errExists) {
			status = http.StatusConflict
		}
		writeError(w, status, "create channel: "+err.Error())
		return
	}
	w.Header().Set("Location", controlPrefix+"/channels/"+ch.id)
	writeJSON(w, http.StatusCreated, struct {
		api.Channel
		Warnings []string `json:"warnings,omitempty"`
	}{rv.channelAddr(ch), warnings})
}

func (rv *Receiver) handleListChannels(w http.ResponseWriter, r *http.Request) {
	out := api.ChannelList{Channels: []api.ChannelInfo{}}
	for _, ch := range rv.channels.list() {
		out.Channels = append(out.Channels, rv.channelInfo(ch))
	}
	writeJSON(w, http.StatusOK, out)
}

func (rv *Receiver) handleChannelInfo(w http.ResponseWriter, r *http.Request) {
	ch := rv.lookup(w, r)
	if ch == nil {
		return
	}
	writeJSON(w, http.StatusOK, rv.channelInfo(ch))
}

func (rv *Receiver) handleDeleteChannel(w http.ResponseWriter, r *http.Request) {
	id := mux.Vars(r)["id"]
	if !rv.channels.remove(id) {
		writeError(w, http.StatusNotFound, fmt.Sprintf("channel %q not found", id))
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (rv *Receiver) handleCalls(w http.ResponseWriter, r *http.Request) {
	ch := rv.lookup(w, r)
	if ch == nil {
		return
	}
	q, err := rv.parseQuery(r)
	if err != nil {
		writeError(w, http.StatusBadRequest, "calls: "+err.Error())
		return
	}
	event := r.URL.Query().Get("event")
	jq := journal.Query[storedCall]{After: q.after, Min: q.min, Wait: q.wait, Limit: q.limit}
	if event != "" {
		want := []byte(event)
		jq.Match = func(c *storedCall) bool { return c.eventIs(want) }
	}
	calls := ch.find(r.Context(), jq)
	if ch.log.Forgotten() {
		// Deleted while the query waited (or just before it looked): say
		// so now rather than when the wait runs out.
		writeError(w, http.StatusGone, fmt.Sprintf("channel %q deleted while waiting", ch.id))
		return
	}
	_, last, evicted := ch.log.Stats()
	writeJSON(w, http.StatusOK, api.CallList{Calls: calls, Evicted: evicted, Last: last})
}

// handleClearCalls serves DELETE /_hookcheck/channels/{id}/calls: the
// channel lets go of the calls it holds and keeps its secret, its script
// and its numbering (the next call gets the next seq).
func (rv *Receiver) handleClearCalls(w http.ResponseWriter, r *http.Request) {
	ch := rv.lookup(w, r)
	if ch == nil {
		return
	}
	n := journal.Clear(rv.channels.bound, ch.log)
	_, last, _ := ch.log.Stats()
	writeJSON(w, http.StatusOK, api.Cleared{Cleared: n, Last: last})
}

func (rv *Receiver) handleGetScript(w http.ResponseWriter, r *http.Request) {
	ch := rv.lookup(w, r)
	if ch == nil {
		return
	}
	rules, left := ch.scriptState()
	writeJSON(w, http.StatusOK, api.ScriptResult{Script: rules, UsesLeft: left})
}

func (rv *Receiver) handlePutScript(w http.ResponseWriter, r *http.Request) {
	ch := rv.lookup(w, r)
	if ch == nil {
		return
	}
	var raw json.RawMessage
	if status, err := decodeJSON(w, r, &raw, false); err != nil {
		writeError(w, status, "script: "+err.Error())
		return
	}
	rules, err := decodeScript(raw)
	if err != nil {
		writeError(w, http.StatusBadRequest, "script: "+err.Error())
		return
	}
	warnings, err := ch.setScript(rules, rv.channels.lim)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	rules, left := ch.scriptState()
	writeJSON(w, http.StatusOK, api.ScriptResult{Script: rules, Warnings: warnings, UsesLeft: left})
}

// decodeScript accepts a bare array of rules or {"script": [...]}.
func decodeScript(raw json.RawMessage) ([]api.Rule, error) {
	var rules []api.Rule
	dec := func(b []byte, v any) error {
		d := json.NewDecoder(bytes.NewReader(b))
		d.DisallowUnknownFields()
		return d.Decode(v)
	}
	trimmed := bytes.TrimSpace(raw)
	if len(trimmed) > 0 && trimmed[0] == '[' {
		if err := dec(trimmed, &rules); err != nil {
			return nil, fmt.Errorf("malformed rule list: %s", strings.TrimPrefix(err.Error(), "json: "))
		}
		return rules, nil
	}
	var s api.Script
	if err := dec(trimmed, &s); err != nil {
		return nil, fmt.Errorf("want a rule list or {\"script\": [...]}: %s", strings.TrimPrefix(err.Error(), "json: "))
	}
	return s.Rules, nil
}

func (rv *Receiver) handleMail(w http.ResponseWriter, r *http.Request) {
	if rv.sink == nil {
		writeError(w, http.StatusNotFound, "this receiver has no SMTP listener")
		return
	}
	q, err := rv.parseQuery(r)
	if err != nil {
		writeError(w, http.StatusBadRequest, "mail: "+err.Error())
		return
	}
	writeJSON(w, http.StatusOK, rv.sink.Find(r.Context(), mailsink.Query{To: r.URL.Query().Get("to"), After: q.after, Min: q.min, Wait: q.wait}))
}

// lookup finds the {id} channel or answers 404.
func (rv *Receiver) lookup(w http.ResponseWriter, r *http.Request) *channel {
	id := mux.Vars(r)["id"]
	ch := rv.channels.get(id)
	if ch == nil {
		writeError(w, http.StatusNotFound, fmt.Sprintf("channel %q not found", id))
	}
	return ch
}

// query holds the common parameters of waiting queries.
type query struct {
	after uint64
	min   int
	wait  time.Duration
	limit int
}

// parseQuery reads after, min, wait and limit, clamping wait to MaxWait.
func (rv *Receiver) parseQuery(r *http.Request) (query, error) {
	v := r.URL.Query()
	var q query
	var err error
	if s := v.Get("after"); s != "" {
		if q.after, err = strconv.ParseUint(s, 10, 64); err != nil {
			return q, fmt.Errorf("after=%q: want a non-negative integer seq", s)
		}
	}
	if s := v.Get("min"); s != "" {
		if q.min, err = strconv.Atoi(s); err != nil || q.min < 0 {
			return q, fmt.Errorf("min=%q: want a non-negative integer", s)
		}
	}
	if s := v.Get("limit"); s != "" {
		if q.limit, err = strconv.Atoi(s); err != nil || q.limit < 0 {
			return q, fmt.Errorf("limit=%q: want a non-negative integer", s)
		}
	}
	if s := v.Get("wait"); s != "" {
		if q.wait, err = time.ParseDuration(s); err != nil {
			return q, fmt.Errorf("wait=%q: want a duration such as 5s or 250ms", s)
		}
		if q.wait < 0 {
			return q, fmt.Errorf("wait=%q: must not be negative", s)
		}
		q.wait = min(q.wait, rv.cfg.MaxWait)
	}
	return q, nil
}

// channelAddr returns the public addresses of a channel.
func (rv *Receiver) channelAddr(ch *channel) api.Channel {
	c := api.Channel{ID: ch.id, URL: rv.publicURL() + hooksPrefix + ch.id, TLS: ch.tls}
	switch {
	case ch.tls != "":
		c.TLSURL = rv.kindURL(ch.tls, ch.id)
	case rv.tlsURL != "":
		c.TLSURL = rv.tlsURL + hooksPrefix + ch.id
	}
	return c
}

func (rv *Receiver) channelInfo(ch *channel) api.ChannelInfo {
	held, last, evicted := ch.log.Stats()
	return api.ChannelInfo{Channel: rv.channelAddr(ch), HasSecret: ch.secret != "", Calls: held, Last: last, Evicted: evicted, Rules: len(ch.currentRules())}
}
