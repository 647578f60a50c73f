package rpc

import "github.com/hookcheck/hookcheck/conformance/reference"

// ReplyKind says what an operation answers.
type ReplyKind int

// The kinds of reply.
const (
	// Nothing is an empty answer (Agents 204, an empty SOAP response).
	Nothing ReplyKind = iota
	// OneWebhook is Reply.Webhook.
	OneWebhook
	// Webhooks is Reply.List.
	Webhooks
	// Result is Reply.Result (a WebhookResult).
	Result
	// Text is Reply.Text (a string).
	Text
)

// Reply is what an operation answers, for the front end to encode.
type Reply struct {
	Kind ReplyKind
	// Null marks the null answer of a missing webhook (spec §9 #18).
	Null    bool
	Webhook reference.Webhook
	List    []reference.Webhook
	Result  reference.WebhookResult
	Text    string
}
