package driver

import (
	"context"
	"errors"
	"time"
)

// Driver is one front end of a webhook service (spec §2.6 parity table).
// Every method returns either a result or an error; a refusal by the
// service is an *Error (see AsError), anything else (a transport failure,
// an undecodable answer) is a plain wrapped error.
type Driver interface {
	// Style names the front end.
	Style() Style
	// Default returns the default webhook (R1, A1, CreateDefaultWebhook).
	Default(ctx context.Context) (*Webhook, error)
	// List returns the webhooks that pass f (R2, A5, GetAllWebhooks).
	List(ctx context.Context, f Filter, opts ...CallOption) ([]Webhook, error)
	// Get reads one webhook (R4, A4, GetWebhook). It returns nil and no
	// error when the service answers null for an unknown id.
	Get(ctx context.Context, id int32, opts ...CallOption) (*Webhook, error)
	// Create saves wh as a new webhook (R3 POST, SaveWebhook with id 0).
	Create(ctx context.Context, wh Webhook, opts ...CallOption) (*Webhook, error)
	// Update saves wh over the webhook wh.ID (R5 PUT, SaveWebhook with id).
	Update(ctx context.Context, wh Webhook, opts ...CallOption) (*Webhook, error)
	// Patch patches the webhook id (R6); styles without PATCH return
	// ErrUnsupported.
	Patch(ctx context.Context, id int32, p Patch, opts ...CallOption) (*Webhook, error)
	// Delete deletes the webhook id (R7, A3, DeleteWebhook).
	Delete(ctx context.Context, id int32) error
	// Test sends the test event for wh without storing it (R8, A6,
	// TestWebhook).
	Test(ctx context.Context, wh Webhook) (*TestResult, error)
	// Signal signals an event (R9, A7, SignalEvent).
	Signal(ctx context.Context, event string, primaryKey int32, data map[string]any) error
	// LastError returns the last error text of webhook id (R10, A8,
	// GetLastError).
	LastError(ctx context.Context, id int32) (string, error)
}

// ErrUnsupported is returned by operations a style does not offer (PATCH
// outside REST, $select in SOAP).
var ErrUnsupported = errors.New("driver: operation not offered by this API style")

// Filter selects webhooks in List. Empty fields mean "no filter"; Status
// is a WebhookState name.
type Filter struct {
	Name   string
	Event  string
	Status string
}

// TestResult is the WebhookResult of TestWebhook (spec §1.6).
type TestResult struct {
	Success bool
	Message string
}

// CallOption adds an optional request parameter.
type CallOption func(*callOptions)

// callOptions are the optional request parameters.
type callOptions struct {
	selectFields      string
	ifUnmodifiedSince time.Time
}

// Select sends `$select=fields` (spec §2.1); SOAP has no $select and
// answers ErrUnsupported.
func Select(fields string) CallOption {
	return func(o *callOptions) { o.selectFields = fields }
}

// IfUnmodifiedSince sends the If-Unmodified-Since header (REST, spec
// §2.1).
func IfUnmodifiedSince(t time.Time) CallOption {
	return func(o *callOptions) { o.ifUnmodifiedSince = t }
}

// collect applies opts.
func collect(opts []CallOption) callOptions {
	var o callOptions
	for _, fn := range opts {
		fn(&o)
	}
	return o
}
