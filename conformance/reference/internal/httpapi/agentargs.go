package httpapi

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/hookcheck/hookcheck/conformance/reference"
	"github.com/hookcheck/hookcheck/conformance/reference/internal/wire"
)

// agentArgs reads the arguments of one Agents call of operation op from
// the query and the parsed JSON body; it is the Agents rpc.Decoder.
// Parameter names match case-insensitively, the query first.
type agentArgs struct {
	op   string
	r    *http.Request
	body any
}

// ID implements rpc.Decoder: the WebhookId from the query
// (`WebhookId`/`webhookId`, any case), a body object or a bare number
// body; it is required.
func (a agentArgs) ID() (int32, error) {
	v, ok := a.param("WebhookId")
	if !ok {
		switch a.body.(type) {
		case string:
			v, ok = a.body, true
		default:
			if _, isNum := wire.NumberOf(a.body); isNum {
				v, ok = a.body, true
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
	return wire.Int32(v, "WebhookId")
}

// Entity implements rpc.Decoder: the body is the Webhook; an empty or null
// body is "Entity to save is not in request body".
func (a agentArgs) Entity() (reference.Webhook, bool, error) {
	if a.body == nil {
		return reference.Webhook{}, false, errNoEntity
	}
	wh, err := wire.ToWebhook(a.body)
	return wh, err == nil, err
}

// Webhook implements rpc.Decoder: the body is {"Webhook": {...}}, which is
// required.
func (a agentArgs) Webhook() (reference.Webhook, bool, error) {
	v, ok := a.param("Webhook")
	if !ok || v == nil {
		return reference.Webhook{}, false, NewError(http.StatusBadRequest, wire.ErrTypeArgument,
			fmt.Sprintf(`%s needs {"Webhook": {...}} in the request body`, a.op))
	}
	wh, err := wire.ToWebhook(v)
	return wh, err == nil, err
}

// String implements rpc.Decoder.
func (a agentArgs) String(name string) (string, error) {
	v, ok := a.param(name)
	if !ok {
		return "", nil
	}
	return wire.String(v, name)
}

// Int32 implements rpc.Decoder.
func (a agentArgs) Int32(name string) (int32, error) {
	if v, ok := a.param(name); ok && v != nil {
		return wire.Int32(v, name)
	}
	return 0, nil
}

// State implements rpc.Decoder: a state name or number; null is Unknown.
func (a agentArgs) State(name string) (reference.State, error) {
	if v, ok := a.param(name); ok {
		return wire.StateValue(v, name)
	}
	return reference.StateUnknown, nil
}

// Data implements rpc.Decoder: a member of the body object only (never the
// query).
func (a agentArgs) Data(name string) (map[string]any, error) {
	if obj, ok := a.body.(*wire.Object); ok {
		if v, ok := obj.GetFold(name); ok {
			return wire.AnyMap(v, name)
		}
	}
	return nil, nil
}

// param finds a parameter: first in the query (name matched
// case-insensitively), then as a member of a JSON object body.
func (a agentArgs) param(name string) (any, bool) {
	if v, ok := wire.QueryFold(a.r.URL.Query(), name); ok {
		return v, true
	}
	if obj, ok := a.body.(*wire.Object); ok {
		return obj.GetFold(name)
	}
	return nil, false
}
