package soap

import (
	"fmt"

	"github.com/hookcheck/hookcheck/conformance/reference"
	"github.com/hookcheck/hookcheck/conformance/reference/internal/rpc"
)

// This file binds the operation table of internal/rpc to SOAP: arguments
// are read from the operation element, replies written as the contents of
// <OpResponse>.

// arguments reads the arguments of one operation element; it is the SOAP
// rpc.Decoder. Absent elements are the model's zero values.
type arguments struct{ req *soapNode }

// ID implements rpc.Decoder.
func (a arguments) ID() (int32, error) { return soapChildInt32(a.req, "WebhookId") }

// Entity implements rpc.Decoder: the Webhook child.
func (a arguments) Entity() (reference.Webhook, bool, error) { return soapWebhookArgument(a.req) }

// Webhook implements rpc.Decoder: the Webhook child.
func (a arguments) Webhook() (reference.Webhook, bool, error) { return soapWebhookArgument(a.req) }

// String implements rpc.Decoder.
func (a arguments) String(name string) (string, error) { return soapChildString(a.req, name), nil }

// Int32 implements rpc.Decoder.
func (a arguments) Int32(name string) (int32, error) { return soapChildInt32(a.req, name) }

// State implements rpc.Decoder.
func (a arguments) State(name string) (reference.State, error) { return soapChildState(a.req, name) }

// Data implements rpc.Decoder: a StringObjectDictionary.
func (a arguments) Data(name string) (map[string]any, error) {
	data, err := decodeSOAPObjectDictionary(a.req.child(name))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return data, nil
}

// soapWebhookArgument reads the Webhook argument of req; present is false
// when it is absent or nil.
func soapWebhookArgument(req *soapNode) (wh reference.Webhook, present bool, err error) {
	n := req.child("Webhook")
	if n == nil || n.isNil() {
		return reference.Webhook{}, false, nil
	}
	wh, err = decodeSOAPWebhook(n)
	if err != nil {
		return reference.Webhook{}, false, fmt.Errorf("Webhook: %w", err)
	}
	return wh, true, nil
}

// replyBody returns the writer of the contents of <OpResponse> for r: nil
// for an empty one, <Response xsi:nil="true"/> for a null reply.
func replyBody(r rpc.Reply) func(*soapWriter) {
	if r.Null {
		return func(w *soapWriter) { w.null("Response") }
	}
	switch r.Kind {
	case rpc.OneWebhook:
		return func(w *soapWriter) { writeSOAPWebhook(w, "Response", r.Webhook) }
	case rpc.Webhooks:
		return func(w *soapWriter) {
			w.open("Response")
			for _, wh := range r.List {
				writeSOAPWebhook(w, "Webhook", wh)
			}
			w.close("Response")
		}
	case rpc.Result:
		return func(w *soapWriter) { writeSOAPWebhookResult(w, "Response", r.Result) }
	case rpc.Text:
		return func(w *soapWriter) { w.leaf("Response", r.Text) }
	}
	return nil
}
