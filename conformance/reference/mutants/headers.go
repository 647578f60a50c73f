package mutants

import (
	"net/http"
	"strconv"

	"github.com/hookcheck/hookcheck/conformance/reference"
	"github.com/hookcheck/hookcheck/conformance/reference/server"
)

// headerMutants are faults of the HeaderBuilder (spec §3, §4.2).
func headerMutants() []Mutant {
	return []Mutant{
		{
			Name:        "test-header-missing",
			Component:   "HeaderBuilder",
			Description: "sends the test event without X-Hook-Test: true",
			Clauses:     clauses("WH-VER-002", "WH-VER-017"),
			Apply: withHeaders(func(in reference.HeaderInput, h http.Header) {
				delete(h, reference.HeaderHookTest)
			}),
		},
		{
			Name:        "hook-test-on-deliveries",
			Component:   "HeaderBuilder",
			Description: "sends X-Hook-Test: true on every request, deliveries included",
			Clauses:     clauses("WH-VER-020"),
			Apply: withHeaders(func(_ reference.HeaderInput, h http.Header) {
				h[reference.HeaderHookTest] = []string{"true"}
			}),
		},
		{
			Name:        "custom-headers-dropped",
			Component:   "HeaderBuilder",
			Description: "ignores the webhook's Headers",
			Clauses:     clauses("WH-DLV-010"),
			Apply: withHeaderInput(func(in *reference.HeaderInput) {
				in.Custom = nil
			}),
		},
		{
			Name:        "retry-header-zero-based",
			Component:   "HeaderBuilder",
			Description: "sends X-SuperOffice-Retry on every attempt, counting from 0",
			Clauses:     clauses("WH-RTY-005"),
			Apply: withHeaders(func(in reference.HeaderInput, h http.Header) {
				h[reference.HeaderRetry] = []string{strconv.Itoa(in.Attempt - 1)}
			}),
		},
		{
			Name:        "eventid-header-fresh",
			Component:   "HeaderBuilder",
			Description: "puts a newly drawn GUID in X-SuperOffice-EventId instead of the body's EventId",
			Clauses:     clauses("WH-DLV-004", "WH-VER-003"),
			Apply: withHeaders(func(_ reference.HeaderInput, h http.Header) {
				h[reference.HeaderEventID] = []string{reference.NewGUID()}
			}),
		},
		{
			Name:        "test-event-unsigned",
			Component:   "HeaderBuilder",
			Description: "leaves X-SuperOffice-Signature off the save-time test event",
			Clauses:     clauses("WH-VER-005"),
			Apply: withHeaderInput(func(in *reference.HeaderInput) {
				if in.Payload.Test {
					in.Signature = ""
				}
			}),
		},
		{
			Name:        "content-type-without-charset",
			Component:   "HeaderBuilder",
			Description: "sends Content-Type application/json without charset=utf-8",
			Clauses:     clauses("WH-DLV-003", "WH-VER-002"),
			Apply: withHeaders(func(_ reference.HeaderInput, h http.Header) {
				h["Content-Type"] = []string{"application/json"}
			}),
		},
	}
}

// headerBuilderFunc adapts a function to reference.HeaderBuilder.
type headerBuilderFunc func(in reference.HeaderInput) http.Header

// Headers implements reference.HeaderBuilder.
func (f headerBuilderFunc) Headers(in reference.HeaderInput) http.Header { return f(in) }

// withHeaders returns an Apply that installs StandardHeaders followed by
// change.
func withHeaders(change func(in reference.HeaderInput, h http.Header)) func(*reference.Options, *[]server.HandlerOption) error {
	return func(o *reference.Options, _ *[]server.HandlerOption) error {
		o.HeaderBuilder = headerBuilderFunc(func(in reference.HeaderInput) http.Header {
			h := reference.StandardHeaders{}.Headers(in)
			change(in, h)
			return h
		})
		return nil
	}
}

// withHeaderInput returns an Apply that installs StandardHeaders fed with
// an input changed by change.
func withHeaderInput(change func(in *reference.HeaderInput)) func(*reference.Options, *[]server.HandlerOption) error {
	return func(o *reference.Options, _ *[]server.HandlerOption) error {
		o.HeaderBuilder = headerBuilderFunc(func(in reference.HeaderInput) http.Header {
			change(&in)
			return reference.StandardHeaders{}.Headers(in)
		})
		return nil
	}
}
