package driver

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// RESTDriver drives the RESTful front end `/api/v1/Webhook…` (spec §2.2).
type RESTDriver struct {
	cfg Config
}

// NewREST returns a REST driver for cfg.
func NewREST(cfg Config) (*RESTDriver, error) {
	c, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	return &RESTDriver{cfg: c}, nil
}

// Style implements Driver.
func (d *RESTDriver) Style() Style { return REST }

// Do sends a raw request to path (relative to the base URL, for example
// "/api/v1/Webhook/default") with the driver's credentials, Accept
// application/json and, for a body, Content-Type application/json;
// header adds to or replaces those.
func (d *RESTDriver) Do(ctx context.Context, method, path string, body []byte, header http.Header) (*Response, error) {
	h := apiHeaders(d.cfg, body != nil)
	for k, v := range header {
		h[http.CanonicalHeaderKey(k)] = v
	}
	return roundTrip(ctx, d.cfg.HTTPClient, method, d.cfg.BaseURL+path, body, h)
}

// apiHeaders are the headers of a REST or Agents call.
func apiHeaders(cfg Config, hasBody bool) http.Header {
	h := http.Header{}
	h.Set("Accept", "application/json")
	if hasBody {
		h.Set("Content-Type", "application/json; charset=utf-8")
	}
	if a := cfg.Auth.Header(); a != "" {
		h.Set("Authorization", a)
	}
	if cfg.AppToken != "" {
		h.Set("SO-AppToken", cfg.AppToken)
	}
	return h
}

// call sends a JSON request and returns the answer, or an *Error when the
// status is not 2xx.
func (d *RESTDriver) call(ctx context.Context, op, method, path string, in any, header http.Header) (*Response, error) {
	var body []byte
	if in != nil {
		var err error
		if body, err = json.Marshal(in); err != nil {
			return nil, fmt.Errorf("driver: rest %s: encode: %w", op, err)
		}
	}
	resp, err := d.Do(ctx, method, path, body, header)
	if err != nil {
		return nil, fmt.Errorf("rest %s: %w", op, err)
	}
	if resp.Status < 200 || resp.Status > 299 {
		return nil, httpError(REST, op, resp)
	}
	return resp, nil
}

// httpError builds the *Error of a REST or Agents error answer.
func httpError(style Style, op string, resp *Response) *Error {
	e := &Error{Style: style, Op: op, Status: resp.Status, Body: string(resp.Body)}
	decodeErrorJSON(e, resp.Body)
	return e
}

// webhookPath is /api/v1/Webhook plus suffix and the query.
func webhookPath(suffix string, q url.Values) string {
	p := "/api/v1/Webhook" + suffix
	if len(q) > 0 {
		p += "?" + q.Encode()
	}
	return p
}

// selectQuery returns the $select query of o.
func selectQuery(o callOptions) url.Values {
	q := url.Values{}
	if o.selectFields != "" {
		q.Set("$select", o.selectFields)
	}
	return q
}

// conditional returns the If-Unmodified-Since header of o.
func conditional(o callOptions) http.Header {
	if o.ifUnmodifiedSince.IsZero() {
		return nil
	}
	return http.Header{"If-Unmodified-Since": {o.ifUnmodifiedSince.UTC().Format(http.TimeFormat)}}
}

// decodeOne decodes a single-webhook answer.
func decodeOne(style Style, op string, resp *Response) (*Webhook, error) {
	wh, err := decodeWebhookJSON(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w (body %s)", style, op, err, clip(string(resp.Body), 300))
	}
	return wh, nil
}

// Default implements Driver: GET /api/v1/Webhook/default.
func (d *RESTDriver) Default(ctx context.Context) (*Webhook, error) {
	resp, err := d.call(ctx, "Default", http.MethodGet, webhookPath("/default", nil), nil, nil)
	if err != nil {
		return nil, err
	}
	return decodeOne(REST, "Default", resp)
}

// List implements Driver: GET /api/v1/Webhook?nameFilter&eventFilter&statusFilter.
func (d *RESTDriver) List(ctx context.Context, f Filter, opts ...CallOption) ([]Webhook, error) {
	q := selectQuery(collect(opts))
	if f.Name != "" {
		q.Set("nameFilter", f.Name)
	}
	if f.Event != "" {
		q.Set("eventFilter", f.Event)
	}
	if f.Status != "" {
		q.Set("statusFilter", f.Status)
	}
	resp, err := d.call(ctx, "List", http.MethodGet, webhookPath("", q), nil, nil)
	if err != nil {
		return nil, err
	}
	list, err := decodeWebhookListJSON(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("rest List: %w", err)
	}
	return list, nil
}

// Get implements Driver: GET /api/v1/Webhook/{id}.
func (d *RESTDriver) Get(ctx context.Context, id int32, opts ...CallOption) (*Webhook, error) {
	resp, err := d.call(ctx, "Get", http.MethodGet, webhookPath("/"+strconv.Itoa(int(id)), selectQuery(collect(opts))), nil, nil)
	if err != nil {
		return nil, err
	}
	return decodeOne(REST, "Get", resp)
}

// Create implements Driver: POST /api/v1/Webhook.
func (d *RESTDriver) Create(ctx context.Context, wh Webhook, opts ...CallOption) (*Webhook, error) {
	resp, err := d.call(ctx, "Create", http.MethodPost, webhookPath("", selectQuery(collect(opts))), webhookJSON(wh), nil)
	if err != nil {
		return nil, err
	}
	return decodeOne(REST, "Create", resp)
}

// Update implements Driver: PUT /api/v1/Webhook/{wh.ID}.
func (d *RESTDriver) Update(ctx context.Context, wh Webhook, opts ...CallOption) (*Webhook, error) {
	o := collect(opts)
	resp, err := d.call(ctx, "Update", http.MethodPut, webhookPath("/"+strconv.Itoa(int(wh.ID)), selectQuery(o)), webhookJSON(wh), conditional(o))
	if err != nil {
		return nil, err
	}
	return decodeOne(REST, "Update", resp)
}

// Patch implements Driver: PATCH /api/v1/Webhook/{id} with a JSON Patch
// array or a Merge Patch object, sent as application/json (spec §2.3,
// §9 #28).
func (d *RESTDriver) Patch(ctx context.Context, id int32, p Patch, opts ...CallOption) (*Webhook, error) {
	o := collect(opts)
	var body any = p.Ops
	if p.Merge != nil {
		body = p.Merge
	} else if p.Ops == nil {
		body = []PatchOp{}
	}
	resp, err := d.call(ctx, "Patch", http.MethodPatch, webhookPath("/"+strconv.Itoa(int(id)), selectQuery(o)), body, conditional(o))
	if err != nil {
		return nil, err
	}
	return decodeOne(REST, "Patch", resp)
}

// Delete implements Driver: DELETE /api/v1/Webhook/{id}.
func (d *RESTDriver) Delete(ctx context.Context, id int32) error {
	_, err := d.call(ctx, "Delete", http.MethodDelete, webhookPath("/"+strconv.Itoa(int(id)), nil), nil, nil)
	return err
}

// Test implements Driver: POST /api/v1/Webhook/Test.
func (d *RESTDriver) Test(ctx context.Context, wh Webhook) (*TestResult, error) {
	resp, err := d.call(ctx, "Test", http.MethodPost, webhookPath("/Test", nil), webhookJSON(wh), nil)
	if err != nil {
		return nil, err
	}
	return decodeTestResultJSON(REST, resp.Body)
}

// Signal implements Driver: POST /api/v1/Webhook/{event}/{primaryKey}
// with data as the body (none when data is nil).
func (d *RESTDriver) Signal(ctx context.Context, event string, primaryKey int32, data map[string]any) error {
	var in any
	if data != nil {
		in = data
	}
	path := webhookPath("/"+url.PathEscape(event)+"/"+strconv.Itoa(int(primaryKey)), nil)
	_, err := d.call(ctx, "Signal", http.MethodPost, path, in, nil)
	return err
}

// LastError implements Driver: GET /api/v1/Webhook/{id}/LastError.
func (d *RESTDriver) LastError(ctx context.Context, id int32) (string, error) {
	resp, err := d.call(ctx, "LastError", http.MethodGet, webhookPath("/"+strconv.Itoa(int(id))+"/LastError", nil), nil, nil)
	if err != nil {
		return "", err
	}
	return decodeStringJSON(REST, "LastError", resp.Body)
}

// decodeTestResultJSON decodes a WebhookResult.
func decodeTestResultJSON(style Style, body []byte) (*TestResult, error) {
	var obj map[string]any
	if err := json.Unmarshal(body, &obj); err != nil || obj == nil {
		return nil, fmt.Errorf("%s Test: answer is not a WebhookResult: %s", style, clip(string(body), 300))
	}
	r := &TestResult{}
	for k, v := range obj {
		switch strings.ToLower(k) {
		case "success":
			r.Success, _ = v.(bool)
		case "message":
			r.Message = jsonString(v)
		}
	}
	return r, nil
}

// decodeStringJSON decodes a JSON string answer; an empty body or null is
// "".
func decodeStringJSON(style Style, op string, body []byte) (string, error) {
	trimmed := strings.TrimSpace(string(body))
	if trimmed == "" || trimmed == "null" {
		return "", nil
	}
	var s string
	if err := json.Unmarshal([]byte(trimmed), &s); err != nil {
		return "", fmt.Errorf("%s %s: answer is not a JSON string: %s", style, op, clip(trimmed, 300))
	}
	return s, nil
}
