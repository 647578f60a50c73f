// Package rpc is the one table of the Webhook service's RPC operations
// (spec §2.4, §2.5), shared by the HTTP-RPC Agents front end
// (internal/httpapi) and the SOAP front end (internal/soap). A row names
// the operation, reads its arguments through the codec's Decoder and makes
// the one call into the core; each front end only decodes and encodes.
package rpc

import (
	"context"
	"strings"

	"github.com/hookcheck/hookcheck/conformance/reference"
	"github.com/hookcheck/hookcheck/conformance/reference/internal/wire"
)

// Operation is one RPC operation of the Webhook service.
type Operation struct {
	// Name is the operation's name, as the WSDL and the Agents URL spell it.
	Name string
	// Input, Output and Description describe the operation (the Agents
	// front end answers a GET of a method URL with them).
	Input, Output, Description string
	// Read decodes the operation's arguments with d. It fails only when
	// the request cannot be read.
	Read func(d Decoder) (Args, error)
	// Call runs the operation on the core for caller c.
	Call func(ctx context.Context, s *reference.Service, c reference.Caller, a Args) (Reply, error)
}

// Args are the decoded arguments of a call, whichever codec read them.
type Args struct {
	WebhookID  int32
	Webhook    reference.Webhook
	HasWebhook bool // the Webhook argument was sent (and not nil)
	Filter     reference.Filter
	EventName  string
	PrimaryKey int32
	Data       map[string]any
}

// Operations lists the operations in WSDL order.
var Operations = []*Operation{
	{Name: "CreateDefaultWebhook", Input: "none", Output: "Webhook",
		Description: "Returns a new Webhook with default values; nothing is stored.",
		Read:        func(Decoder) (Args, error) { return Args{}, nil },
		Call: func(_ context.Context, s *reference.Service, _ reference.Caller, _ Args) (Reply, error) {
			return Reply{Kind: OneWebhook, Webhook: s.Default()}, nil
		}},
	{Name: "SaveWebhook", Input: "Webhook", Output: "Webhook",
		Description: "Creates the Webhook when WebhookId is 0 or empty, else updates it.",
		Read:        readEntity(Decoder.Entity),
		Call: func(ctx context.Context, s *reference.Service, c reference.Caller, a Args) (Reply, error) {
			if !a.HasWebhook {
				return Reply{}, missing("SaveWebhook: the Webhook to save is missing")
			}
			saved, err := s.Save(ctx, c, a.Webhook)
			return Reply{Kind: OneWebhook, Webhook: saved}, err
		}},
	{Name: "DeleteWebhook", Input: "WebhookId (query or body)", Output: "nothing (204)",
		Description: "Deletes the Webhook.",
		Read:        readID,
		Call: func(ctx context.Context, s *reference.Service, c reference.Caller, a Args) (Reply, error) {
			return Reply{}, s.Delete(ctx, c, a.WebhookID)
		}},
	{Name: "GetWebhook", Input: "webhookId (query or body)", Output: "Webhook or null",
		Description: "Gets the Webhook; null when it does not exist.",
		Read:        readID,
		Call: func(ctx context.Context, s *reference.Service, c reference.Caller, a Args) (Reply, error) {
			wh, err := s.Get(ctx, c, a.WebhookID)
			return orNull(Reply{Kind: OneWebhook, Webhook: wh}, err)
		}},
	{Name: "GetAllWebhooks", Input: `{"NameFilter": string, "EventFilter": string, "StatusFilter": WebhookState}`, Output: "Webhook[]",
		Description: "Lists the Webhooks that pass the filters; empty or Unknown filters match everything.",
		Read:        readFilter,
		Call: func(ctx context.Context, s *reference.Service, c reference.Caller, a Args) (Reply, error) {
			list, err := s.List(ctx, c, a.Filter)
			return Reply{Kind: Webhooks, List: list}, err
		}},
	{Name: "TestWebhook", Input: `{"Webhook": Webhook}`, Output: "WebhookResult",
		Description: "Sends the test event to the Webhook's TargetUrl without storing anything.",
		Read:        readEntity(Decoder.Webhook),
		Call: func(ctx context.Context, s *reference.Service, c reference.Caller, a Args) (Reply, error) {
			if !a.HasWebhook {
				return Reply{}, missing("TestWebhook: the Webhook to test is missing")
			}
			res, err := s.Test(ctx, c, a.Webhook)
			return Reply{Kind: Result, Result: res}, err
		}},
	{Name: "SignalEvent", Input: `{"EventName": string, "PrimaryKey": int, "Data": object}`, Output: "nothing (204)",
		Description: "Tells every Webhook listening for EventName that the event happened.",
		Read:        readSignal,
		Call: func(ctx context.Context, s *reference.Service, c reference.Caller, a Args) (Reply, error) {
			return Reply{}, s.Signal(ctx, c, a.EventName, a.PrimaryKey, a.Data)
		}},
	{Name: "GetLastError", Input: "WebhookId (query or body)", Output: "string",
		Description: "Returns the last error response the Webhook got; \"\" when none, null when the Webhook does not exist.",
		Read:        readID,
		Call: func(ctx context.Context, s *reference.Service, c reference.Caller, a Args) (Reply, error) {
			text, err := s.LastError(ctx, c, a.WebhookID)
			return orNull(Reply{Kind: Text, Text: text}, err)
		}},
}

// Lookup finds an operation by its exact name.
func Lookup(name string) *Operation {
	for _, op := range Operations {
		if op.Name == name {
			return op
		}
	}
	return nil
}

// LookupFold finds an operation by name, case-insensitively.
func LookupFold(name string) *Operation {
	for _, op := range Operations {
		if strings.EqualFold(op.Name, name) {
			return op
		}
	}
	return nil
}

// Names lists the operation names, comma-separated, for messages.
func Names() string {
	names := make([]string, len(Operations))
	for i, op := range Operations {
		names[i] = op.Name
	}
	return strings.Join(names, ", ")
}

// missing is the core error of a call without its Webhook argument.
func missing(msg string) error {
	return reference.Errorf(reference.KindInvalid, wire.ErrTypeArgument, "%s", msg)
}

// orNull is the one place of the rule that a missing webhook answers
// null rather than an error (spec §9 #18): the core's KindNotFound becomes
// a null reply of r's kind.
func orNull(r Reply, err error) (Reply, error) {
	if err != nil && reference.AsError(err).Kind == reference.KindNotFound {
		return Reply{Kind: r.Kind, Null: true}, nil
	}
	return r, err
}
