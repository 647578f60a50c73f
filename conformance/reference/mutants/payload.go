package mutants

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"

	"github.com/hookcheck/hookcheck/conformance/reference"
	"github.com/hookcheck/hookcheck/conformance/reference/server"
)

// payloadMutants are faults of the payload body (spec §4.3–§4.5,
// §9 #14, #15).
func payloadMutants() []Mutant {
	return []Mutant{
		{
			Name:        "properties-overwrite",
			Component:   "PayloadBuilder",
			Description: "merges Properties into the body map last, so a Property named Event or EventId replaces the standard field",
			Clauses:     clauses("WH-DLV-011"),
			Apply: withPayload(func(std reference.JSONPayload, p reference.Payload) ([]byte, error) {
				props := p.Properties
				p.Properties = nil
				body, err := std.Build(p)
				if err != nil || len(props) == 0 {
					return body, err
				}
				var m map[string]any
				if err := json.Unmarshal(body, &m); err != nil {
					return nil, fmt.Errorf("decoding the payload: %w", err)
				}
				maps.Copy(m, props)
				return json.Marshal(m)
			}),
		},
		{
			Name:        "properties-dropped",
			Component:   "PayloadBuilder",
			Description: "leaves the webhook's Properties out of the body",
			Clauses:     clauses("WH-DLV-011"),
			Apply: withPayload(func(std reference.JSONPayload, p reference.Payload) ([]byte, error) {
				p.Properties = nil
				return std.Build(p)
			}),
		},
		{
			Name:        "signal-values-leaked",
			Component:   "PayloadBuilder",
			Description: "sends the SignalEvent data values to HTTP hooks as FieldValues although signal values are off",
			Clauses:     clauses("WH-DLV-007"),
			Apply: withPayload(func(std reference.JSONPayload, p reference.Payload) ([]byte, error) {
				std.IncludeData = true
				return std.Build(p)
			}),
		},
		{
			Name:        "timestamp-milliseconds",
			Component:   "PayloadBuilder",
			Description: "writes Timestamp with milliseconds and an offset (2018-04-24T08:52:59.000+00:00) instead of 7 fraction digits and Z",
			Clauses:     clauses("WH-DLV-005", "WH-VER-004"),
			Apply: withPayload(func(std reference.JSONPayload, p reference.Payload) ([]byte, error) {
				body, err := std.Build(p)
				if err != nil {
					return nil, err
				}
				want := []byte(`"Timestamp":"` + reference.FormatPayloadTime(p.Timestamp) + `"`)
				got := []byte(`"Timestamp":"` + p.Timestamp.UTC().Format("2006-01-02T15:04:05.000-07:00") + `"`)
				return bytes.Replace(body, want, got, 1), nil
			}),
		},
	}
}

// payloadFunc is a PayloadBuilder built on the configured JSONPayload.
type payloadFunc struct {
	std   reference.JSONPayload
	build func(std reference.JSONPayload, p reference.Payload) ([]byte, error)
}

// Build implements reference.PayloadBuilder.
func (f payloadFunc) Build(p reference.Payload) ([]byte, error) { return f.build(f.std, p) }

// withPayload returns an Apply that installs build around the configured
// JSONPayload.
func withPayload(build func(std reference.JSONPayload, p reference.Payload) ([]byte, error)) func(*reference.Options, *[]server.HandlerOption) error {
	return func(o *reference.Options, _ *[]server.HandlerOption) error {
		o.PayloadBuilder = payloadFunc{std: o.DefaultPayloadBuilder(), build: build}
		return nil
	}
}
