package driver

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// netDateTime is how .NET writes a DateTime without a zone.
const netDateTime = "2006-01-02T15:04:05.9999999"

// webhookJSON is the JSON object of wh for a save: empty strings, lists
// and maps are sent as null, State only when set, server-owned fields
// only when set.
func webhookJSON(wh Webhook) map[string]any {
	m := map[string]any{
		FieldWebhookID:   wh.ID,
		FieldName:        nullString(wh.Name),
		FieldEvents:      nil,
		FieldTargetURL:   nullString(wh.TargetURL),
		FieldSecret:      nullString(wh.Secret),
		FieldType:        nullString(wh.Type),
		FieldHeaders:     nil,
		FieldProperties:  nil,
		FieldErrorsEmail: nullString(wh.ErrorsEmail),
	}
	if wh.Events != nil {
		m[FieldEvents] = wh.Events
	}
	if wh.Headers != nil {
		m[FieldHeaders] = wh.Headers
	}
	if wh.Properties != nil {
		m[FieldProperties] = wh.Properties
	}
	if wh.State != "" {
		m[FieldState] = wh.State
	}
	if !wh.Registered.IsZero() {
		m[FieldRegistered] = wh.Registered.UTC().Format(time.RFC3339Nano)
	}
	if !wh.Updated.IsZero() {
		m[FieldUpdated] = wh.Updated.UTC().Format(time.RFC3339Nano)
	}
	if wh.RegisteredAssociate != nil {
		m[FieldRegisteredAssociate] = associateJSON(wh.RegisteredAssociate)
	}
	if wh.UpdatedAssociate != nil {
		m[FieldUpdatedAssociate] = associateJSON(wh.UpdatedAssociate)
	}
	return m
}

// associateJSON is the JSON object of an Associate.
func associateJSON(a *Associate) map[string]any {
	return map[string]any{"AssociateId": a.AssociateID, "Name": a.Name}
}

// nullString is s, or nil (JSON null) when s is empty.
func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// decodeWebhookJSON decodes a webhook object. Member names are matched
// case-insensitively; a missing member counts as null.
func decodeWebhookJSON(raw []byte) (*Webhook, error) {
	var obj map[string]any
	if err := json.Unmarshal(raw, &obj); err != nil {
		return nil, fmt.Errorf("decode webhook: %w", err)
	}
	if obj == nil {
		return nil, nil
	}
	return webhookFromMap(obj, raw)
}

// decodeWebhookListJSON decodes a JSON array of webhooks.
func decodeWebhookListJSON(raw []byte) ([]Webhook, error) {
	var arr []json.RawMessage
	if err := json.Unmarshal(raw, &arr); err != nil {
		return nil, fmt.Errorf("decode webhook list: %w", err)
	}
	out := make([]Webhook, 0, len(arr))
	for i, item := range arr {
		wh, err := decodeWebhookJSON(item)
		if err != nil {
			return nil, fmt.Errorf("item %d: %w", i, err)
		}
		if wh == nil {
			return nil, fmt.Errorf("item %d is null", i)
		}
		out = append(out, *wh)
	}
	return out, nil
}

// webhookFromMap builds the view from a decoded JSON object.
func webhookFromMap(obj map[string]any, raw []byte) (*Webhook, error) {
	get := func(name string) any {
		if v, ok := obj[name]; ok {
			return v
		}
		for k, v := range obj {
			if strings.EqualFold(k, name) {
				return v
			}
		}
		return nil
	}
	wh := &Webhook{Raw: string(raw)}
	for _, f := range Fields {
		if get(f) == nil {
			wh.Nulls = append(wh.Nulls, f)
		}
	}
	var err error
	if wh.ID, err = jsonInt32(get(FieldWebhookID)); err != nil {
		return nil, fmt.Errorf("WebhookId: %w", err)
	}
	wh.Name = jsonString(get(FieldName))
	wh.TargetURL = jsonString(get(FieldTargetURL))
	wh.Secret = jsonString(get(FieldSecret))
	wh.Type = jsonString(get(FieldType))
	wh.ErrorsEmail = jsonString(get(FieldErrorsEmail))
	wh.State = stateName(get(FieldState))
	if ev, ok := get(FieldEvents).([]any); ok {
		wh.Events = make([]string, 0, len(ev))
		for _, e := range ev {
			wh.Events = append(wh.Events, jsonString(e))
		}
	}
	if hm, ok := get(FieldHeaders).(map[string]any); ok {
		wh.Headers = make(map[string]string, len(hm))
		for k, v := range hm {
			wh.Headers[k] = jsonString(v)
		}
	}
	if pm, ok := get(FieldProperties).(map[string]any); ok {
		wh.Properties = pm
	}
	if wh.Registered, err = parseTime(get(FieldRegistered)); err != nil {
		return nil, fmt.Errorf("Registered: %w", err)
	}
	if wh.Updated, err = parseTime(get(FieldUpdated)); err != nil {
		return nil, fmt.Errorf("Updated: %w", err)
	}
	wh.RegisteredAssociate = associateFromJSON(get(FieldRegisteredAssociate))
	wh.UpdatedAssociate = associateFromJSON(get(FieldUpdatedAssociate))
	if links, ok := get("_Links").(map[string]any); ok {
		wh.Links = make(map[string]string, len(links))
		for k, v := range links {
			wh.Links[k] = jsonString(v)
		}
	}
	return wh, nil
}

// associateFromJSON decodes an Associate object; anything else gives nil.
func associateFromJSON(v any) *Associate {
	m, ok := v.(map[string]any)
	if !ok {
		return nil
	}
	a := &Associate{}
	for k, v := range m {
		switch strings.ToLower(k) {
		case "associateid":
			a.AssociateID, _ = jsonInt32(v)
		case "name":
			a.Name = jsonString(v)
		}
	}
	return a
}

// jsonString returns v as text: strings as they are, other scalars in
// their JSON form, null as "".
func jsonString(v any) string {
	switch t := v.(type) {
	case nil:
		return ""
	case string:
		return t
	case float64:
		return strconv.FormatFloat(t, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(t)
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// jsonInt32 reads an int32 from a JSON number or numeric string; null is 0.
func jsonInt32(v any) (int32, error) {
	switch t := v.(type) {
	case nil:
		return 0, nil
	case float64:
		if t != math.Trunc(t) || t > math.MaxInt32 || t < math.MinInt32 {
			return 0, fmt.Errorf("%v is not an int32", t)
		}
		return int32(t), nil
	case string:
		n, err := strconv.ParseInt(t, 10, 32)
		if err != nil {
			return 0, fmt.Errorf("%q is not an int32", t)
		}
		return int32(n), nil
	}
	return 0, fmt.Errorf("%v is not a number", v)
}

// stateName returns a state as its enum name; numbers are mapped to names
// (spec §1.3) so a service answering numbers still decodes.
func stateName(v any) string {
	switch t := v.(type) {
	case string:
		if n, err := strconv.Atoi(t); err == nil && n >= 0 && n < len(StateNames) {
			return StateNames[n]
		}
		return t
	case float64:
		if n := int(t); float64(n) == t && n >= 0 && n < len(StateNames) {
			return StateNames[n]
		}
		return jsonString(t)
	}
	return ""
}

// parseTime reads a date-time as .NET writes it: RFC 3339 with or
// without an offset (no offset means UTC); null and "" are the zero time.
func parseTime(v any) (time.Time, error) {
	s, _ := v.(string)
	if s == "" {
		return time.Time{}, nil
	}
	return ParseTime(s)
}

// ParseTime parses a .NET date-time string: RFC 3339 (any fraction), or
// the same without an offset, read as UTC.
func ParseTime(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, nil
	}
	t, err := time.Parse(netDateTime, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("date-time %q: %w", s, err)
	}
	return t, nil
}

// decodeErrorJSON fills e from a §2.1 error body, when the body is one.
func decodeErrorJSON(e *Error, body []byte) {
	var obj map[string]any
	if json.Unmarshal(bytes.TrimSpace(body), &obj) != nil || obj == nil {
		return
	}
	for k, v := range obj {
		switch strings.ToLower(k) {
		case "error":
			e.ErrorBody = true
			e.ErrorFlag, _ = v.(bool)
		case "errortype":
			e.ErrorBody = true
			e.ErrorType = jsonString(v)
		case "errormessage":
			e.ErrorBody = true
			e.Message = jsonString(v)
		case "errorsource":
			e.Source = jsonString(v)
		case "message":
			e.HasMessageField = true
			if e.Message == "" {
				e.Message = jsonString(v)
			}
		}
	}
}
