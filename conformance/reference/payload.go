package reference

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
)

// PayloadBuilder serialises a Payload into the exact request body that is
// sent and signed.
type PayloadBuilder interface {
	Build(p Payload) ([]byte, error)
}

// JSONPayload is the default PayloadBuilder. It writes the standard members
// in the documented order (EventId, Timestamp, Changes, Event, PrimaryKey,
// Entity, ContextIdentifier, ChangedByAssociateId, WebhookName, FieldValues)
// and then the webhook's Properties: as top-level members that never
// replace a standard member, or nested under "Properties" when
// NestProperties is set (§9 #14). With IncludeData the SignalEvent values go
// out as FieldValues (§9 #15).
type JSONPayload struct {
	NestProperties bool
	IncludeData    bool
}

// payloadTimeFormat is the body's time format: UTC, 7 fraction digits, Z.
const payloadTimeFormat = "2006-01-02T15:04:05.0000000Z"

// FormatPayloadTime renders t as payload bodies do
// ("2018-04-24T08:52:59.0005158Z"); the zero time is "0001-01-01T00:00:00",
// as in the state-event sample.
func FormatPayloadTime(t time.Time) string {
	if t.IsZero() {
		return "0001-01-01T00:00:00"
	}
	return t.UTC().Format(payloadTimeFormat)
}

// coreReservedPayloadNames are the members Properties may never replace
// (compared case-insensitively, since many JSON readers match that way).
var coreReservedPayloadNames = []string{
	"eventid", "timestamp", "changes", "event", "primarykey", "entity",
	"contextidentifier", "changedbyassociateid", "webhookname", "fieldvalues", "values",
}

// Build implements PayloadBuilder.
func (b JSONPayload) Build(p Payload) ([]byte, error) {
	w := &corePayloadWriter{}
	w.member("EventId", p.EventID)
	w.member("Timestamp", FormatPayloadTime(p.Timestamp))
	changes := p.Changes
	if changes == nil {
		changes = []string{}
	}
	w.member("Changes", changes)
	w.member("Event", p.BodyName())
	w.member("PrimaryKey", p.PrimaryKey)
	if !p.NoEntity {
		w.member("Entity", p.Entity)
	}
	w.member("ContextIdentifier", p.ContextIdentifier)
	w.member("ChangedByAssociateId", p.ChangedByAssociateID)
	if p.WebhookName == "" {
		w.member("WebhookName", nil)
	} else {
		w.member("WebhookName", p.WebhookName)
	}
	fv := p.FieldValues
	if fv == nil && b.IncludeData && len(p.Data) > 0 {
		fv = p.Data
	}
	if fv != nil {
		w.member("FieldValues", fv)
	}
	if len(p.Properties) > 0 {
		if b.NestProperties {
			w.member("Properties", p.Properties)
		} else {
			keys := make([]string, 0, len(p.Properties))
			for k := range p.Properties {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			for _, k := range keys {
				if slices.Contains(coreReservedPayloadNames, strings.ToLower(k)) {
					continue
				}
				w.member(k, p.Properties[k])
			}
		}
	}
	return w.finish()
}

// corePayloadWriter writes one JSON object member by member, in order,
// without HTML escaping.
type corePayloadWriter struct {
	buf bytes.Buffer
	n   int
	err error
}

func (w *corePayloadWriter) member(name string, v any) {
	if w.err != nil {
		return
	}
	if w.n == 0 {
		w.buf.WriteByte('{')
	} else {
		w.buf.WriteByte(',')
	}
	w.n++
	if err := coreEncodeJSON(&w.buf, name); err != nil {
		w.err = err
		return
	}
	w.buf.WriteByte(':')
	if err := coreEncodeJSON(&w.buf, v); err != nil {
		w.err = fmt.Errorf("payload member %q: %w", name, err)
	}
}

func (w *corePayloadWriter) finish() ([]byte, error) {
	if w.err != nil {
		return nil, w.err
	}
	if w.n == 0 {
		w.buf.WriteByte('{')
	}
	w.buf.WriteByte('}')
	return w.buf.Bytes(), nil
}

// coreEncodeJSON appends v as compact JSON without HTML escaping.
func coreEncodeJSON(buf *bytes.Buffer, v any) error {
	var tmp bytes.Buffer
	enc := json.NewEncoder(&tmp)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	buf.Write(bytes.TrimSuffix(tmp.Bytes(), []byte("\n")))
	return nil
}
