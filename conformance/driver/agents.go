package driver

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
)

// AgentsDriver drives the HTTP-RPC Agents front end
// `/api/v1/Agents/Webhook/…` (spec §2.4): every call is a POST.
type AgentsDriver struct {
	cfg Config
}

// NewAgents returns an Agents driver for cfg.
func NewAgents(cfg Config) (*AgentsDriver, error) {
	c, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	return &AgentsDriver{cfg: c}, nil
}

// Style implements Driver.
func (d *AgentsDriver) Style() Style { return Agents }

// Do sends a raw request to the agent method (for example "GetWebhook")
// with query q, the driver's credentials and the JSON body (none when
// body is nil); header adds to or replaces the default headers.
func (d *AgentsDriver) Do(ctx context.Context, httpMethod, method string, q url.Values, body []byte, header http.Header) (*Response, error) {
	h := apiHeaders(d.cfg, body != nil)
	for k, v := range header {
		h[http.CanonicalHeaderKey(k)] = v
	}
	u := d.cfg.BaseURL + "/api/v1/Agents/Webhook/" + method
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	return roundTrip(ctx, d.cfg.HTTPClient, httpMethod, u, body, h)
}

// call POSTs in as JSON to the agent method and returns the answer, or an
// *Error when the status is not 2xx.
func (d *AgentsDriver) call(ctx context.Context, method string, q url.Values, in any) (*Response, error) {
	var body []byte
	if in != nil {
		var err error
		if body, err = json.Marshal(in); err != nil {
			return nil, fmt.Errorf("driver: agents %s: encode: %w", method, err)
		}
	}
	resp, err := d.Do(ctx, http.MethodPost, method, q, body, nil)
	if err != nil {
		return nil, fmt.Errorf("agents %s: %w", method, err)
	}
	if resp.Status < 200 || resp.Status > 299 {
		return nil, httpError(Agents, method, resp)
	}
	return resp, nil
}

// Default implements Driver: CreateDefaultWebhook.
func (d *AgentsDriver) Default(ctx context.Context) (*Webhook, error) {
	resp, err := d.call(ctx, "CreateDefaultWebhook", nil, nil)
	if err != nil {
		return nil, err
	}
	return decodeOne(Agents, "CreateDefaultWebhook", resp)
}

// List implements Driver: GetAllWebhooks {NameFilter, EventFilter,
// StatusFilter}.
func (d *AgentsDriver) List(ctx context.Context, f Filter, opts ...CallOption) ([]Webhook, error) {
	in := map[string]any{}
	if f.Name != "" {
		in["NameFilter"] = f.Name
	}
	if f.Event != "" {
		in["EventFilter"] = f.Event
	}
	if f.Status != "" {
		in["StatusFilter"] = f.Status
	}
	resp, err := d.call(ctx, "GetAllWebhooks", selectQuery(collect(opts)), in)
	if err != nil {
		return nil, err
	}
	list, err := decodeWebhookListJSON(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("agents GetAllWebhooks: %w", err)
	}
	return list, nil
}

// Get implements Driver: GetWebhook?webhookId=n; null answers nil.
func (d *AgentsDriver) Get(ctx context.Context, id int32, opts ...CallOption) (*Webhook, error) {
	q := selectQuery(collect(opts))
	q.Set("webhookId", strconv.Itoa(int(id)))
	resp, err := d.call(ctx, "GetWebhook", q, nil)
	if err != nil {
		return nil, err
	}
	return decodeOne(Agents, "GetWebhook", resp)
}

// Create implements Driver: SaveWebhook with WebhookId 0.
func (d *AgentsDriver) Create(ctx context.Context, wh Webhook, opts ...CallOption) (*Webhook, error) {
	wh.ID = 0
	return d.save(ctx, "Create", wh, opts)
}

// Update implements Driver: SaveWebhook with the webhook's id.
func (d *AgentsDriver) Update(ctx context.Context, wh Webhook, opts ...CallOption) (*Webhook, error) {
	return d.save(ctx, "Update", wh, opts)
}

// save calls SaveWebhook with wh, op naming the driver operation.
func (d *AgentsDriver) save(ctx context.Context, op string, wh Webhook, opts []CallOption) (*Webhook, error) {
	resp, err := d.call(ctx, "SaveWebhook", selectQuery(collect(opts)), webhookJSON(wh))
	if err != nil {
		return nil, err
	}
	return decodeOne(Agents, op, resp)
}

// Patch implements Driver: the Agents API has no PATCH.
func (d *AgentsDriver) Patch(context.Context, int32, Patch, ...CallOption) (*Webhook, error) {
	return nil, fmt.Errorf("agents Patch: %w", ErrUnsupported)
}

// Delete implements Driver: DeleteWebhook?WebhookId=n.
func (d *AgentsDriver) Delete(ctx context.Context, id int32) error {
	_, err := d.call(ctx, "DeleteWebhook", url.Values{"WebhookId": {strconv.Itoa(int(id))}}, nil)
	return err
}

// Test implements Driver: TestWebhook {"Webhook": {...}}.
func (d *AgentsDriver) Test(ctx context.Context, wh Webhook) (*TestResult, error) {
	resp, err := d.call(ctx, "TestWebhook", nil, map[string]any{"Webhook": webhookJSON(wh)})
	if err != nil {
		return nil, err
	}
	return decodeTestResultJSON(Agents, resp.Body)
}

// Signal implements Driver: SignalEvent {EventName, PrimaryKey, Data}.
func (d *AgentsDriver) Signal(ctx context.Context, event string, primaryKey int32, data map[string]any) error {
	in := map[string]any{"EventName": event, "PrimaryKey": primaryKey}
	if data != nil {
		in["Data"] = data
	}
	_, err := d.call(ctx, "SignalEvent", nil, in)
	return err
}

// LastError implements Driver: GetLastError {WebhookId}.
func (d *AgentsDriver) LastError(ctx context.Context, id int32) (string, error) {
	resp, err := d.call(ctx, "GetLastError", nil, map[string]any{"WebhookId": id})
	if err != nil {
		return "", err
	}
	return decodeStringJSON(Agents, "GetLastError", resp.Body)
}
