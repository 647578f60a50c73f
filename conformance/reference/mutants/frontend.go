package mutants

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/hookcheck/hookcheck/conformance/reference"
	"github.com/hookcheck/hookcheck/conformance/reference/server"
)

// frontEndMutants are faults of one front end (spec §2), installed with
// the HandlerOptions of server.NewHandler.
func frontEndMutants() []Mutant {
	return []Mutant{
		{
			Name:        "rest-missing-auth-accepted",
			Component:   "WithAuthenticator(rest)",
			Description: "the REST front end lets calls without an Authorization header in as the default user",
			Clauses:     clauses("WH-SEC-001"),
			Apply: withHandler(server.WithAuthenticator(server.FrontREST, func(a reference.Authenticator) reference.Authenticator {
				return anonymousAllowed{a}
			})),
		},
		{
			Name:        "soap-any-ticket",
			Component:   "WithAuthenticator(soap)",
			Description: "the SOAP front end accepts any non-empty Credentials/Ticket",
			Clauses:     clauses("WH-SEC-002", "WH-SEC-003"),
			Apply: withHandler(server.WithAuthenticator(server.FrontSOAP, func(a reference.Authenticator) reference.Authenticator {
				return anyTicket{a}
			})),
		},
		{
			Name:        "rest-404-as-null",
			Component:   "WithMiddleware(rest)",
			Description: "REST answers a GET of an unknown id with 200 and null instead of 404 and the error body",
			Clauses:     clauses("WH-CRUD-006", "WH-CRUD-022"),
			Apply:       withHandler(server.WithMiddleware(server.FrontREST, notFoundAsNull)),
		},
		{
			Name:        "soap-state-number",
			Component:   "WithWireFormat(soap)",
			Description: "SOAP writes State as its number (1) instead of the WebhookState name (Active)",
			Clauses:     clauses("WH-CRUD-034"),
			Apply:       withHandler(server.WithWireFormat(server.FrontSOAP, wireFormat{state: numberState})),
		},
		{
			Name:        "soap-dates-local-time",
			Component:   "WithWireFormat(soap)",
			Description: "SOAP writes Registered and Updated as UTC+1 wall time without an offset, so REST and SOAP disagree on every date",
			Clauses:     clauses("WH-PAR-002", "WH-PAR-004"),
			Apply:       withHandler(server.WithWireFormat(server.FrontSOAP, wireFormat{time: localTimeNoOffset})),
		},
		{
			Name:        "patch-test-ignored",
			Component:   "WithPatchStep",
			Description: "PATCH skips JSON Patch test operations, so a failing test no longer aborts with 409",
			Clauses:     clauses("WH-CRUD-015"),
			Apply: withHandler(server.WithPatchStep(func(op, _ string, apply func() error) error {
				if op == "test" {
					return nil
				}
				return apply()
			})),
		},
	}
}

// withHandler returns an Apply that appends opt to the HandlerOptions.
func withHandler(opt server.HandlerOption) func(*reference.Options, *[]server.HandlerOption) error {
	return func(_ *reference.Options, h *[]server.HandlerOption) error {
		*h = append(*h, opt)
		return nil
	}
}

// anonymousAllowed treats a missing Authorization header as the default
// associate.
type anonymousAllowed struct{ reference.Authenticator }

// FromHeader implements reference.Authenticator.
func (a anonymousAllowed) FromHeader(authorization string) (*reference.Associate, error) {
	if strings.TrimSpace(authorization) == "" {
		as := reference.DefaultAssociate
		return &as, nil
	}
	return a.Authenticator.FromHeader(authorization)
}

// anyTicket accepts every non-empty ticket as the default associate.
type anyTicket struct{ reference.Authenticator }

// FromTicket implements reference.Authenticator.
func (a anyTicket) FromTicket(ticket string) (*reference.Associate, error) {
	if strings.TrimSpace(ticket) != "" {
		as := reference.DefaultAssociate
		return &as, nil
	}
	return a.Authenticator.FromTicket(ticket)
}

// notFoundAsNull answers 200 with a JSON null where a GET would get 404.
func notFoundAsNull(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet {
			next.ServeHTTP(w, r)
			return
		}
		rec := &bufferedResponse{header: http.Header{}, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		if rec.status == http.StatusNotFound {
			rec.header = http.Header{"Content-Type": {"application/json; charset=utf-8"}}
			rec.status = http.StatusOK
			rec.body.Reset()
			rec.body.WriteString("null")
		}
		for k, vs := range rec.header {
			w.Header()[k] = vs
		}
		w.Header().Set("Content-Length", strconv.Itoa(rec.body.Len()))
		w.WriteHeader(rec.status)
		_, _ = w.Write(rec.body.Bytes()) // a failed write means the client went away
	})
}

// bufferedResponse is an http.ResponseWriter that keeps the answer.
type bufferedResponse struct {
	header http.Header
	status int
	wrote  bool
	body   bytes.Buffer
}

// Header implements http.ResponseWriter.
func (b *bufferedResponse) Header() http.Header { return b.header }

// WriteHeader implements http.ResponseWriter.
func (b *bufferedResponse) WriteHeader(status int) {
	if !b.wrote {
		b.status, b.wrote = status, true
	}
}

// Write implements http.ResponseWriter.
func (b *bufferedResponse) Write(p []byte) (int, error) {
	b.wrote = true
	return b.body.Write(p)
}

// wireFormat is StandardWireFormat with either spelling replaced.
type wireFormat struct {
	state func(reference.State) string
	time  func(time.Time) string
}

// State implements reference.WireFormat.
func (f wireFormat) State(s reference.State) string {
	if f.state == nil {
		return reference.StandardWireFormat{}.State(s)
	}
	return f.state(s)
}

// Time implements reference.WireFormat.
func (f wireFormat) Time(t time.Time) string {
	if f.time == nil {
		return reference.StandardWireFormat{}.Time(t)
	}
	return f.time(t)
}

// numberState spells a state as its number.
func numberState(s reference.State) string { return strconv.Itoa(int(s)) }

// localTimeNoOffset writes t as the wall time of UTC+1 without an offset,
// which a reader takes for UTC.
func localTimeNoOffset(t time.Time) string {
	if t.IsZero() {
		return reference.FormatTime(t)
	}
	return t.In(time.FixedZone("CET", 3600)).Format(reference.TimeFormat)
}
