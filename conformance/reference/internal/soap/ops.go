package soap

import (
	"context"
	"fmt"

	"github.com/hookcheck/hookcheck/conformance/reference"
	"github.com/hookcheck/hookcheck/conformance/reference/internal/wire"
)

// soapOperationNames lists the operations of the Webhook service (spec
// §2.5) in WSDL order.
var soapOperationNames = [...]string{
	"CreateDefaultWebhook",
	"SaveWebhook",
	"DeleteWebhook",
	"GetWebhook",
	"GetAllWebhooks",
	"TestWebhook",
	"SignalEvent",
	"GetLastError",
}

// soapOperation reads the request element of one operation. It fails only
// when the request cannot be read (answered with a Fault); otherwise it
// returns the call that runs the operation on the core.
type soapOperation func(req *soapNode) (soapCall, error)

// soapCall runs an operation for caller c. It returns the writer of the
// contents of the <OpResponse> element (nil for an empty one) or the core's
// error (answered with ExceptionInfo).
type soapCall func(ctx context.Context, s *reference.Service, c reference.Caller) (func(*soapWriter), error)

// soapOperations maps each operation name to its reader.
var soapOperations = map[string]soapOperation{
	"CreateDefaultWebhook": soapCreateDefaultWebhook,
	"SaveWebhook":          soapSaveWebhook,
	"DeleteWebhook":        soapDeleteWebhook,
	"GetWebhook":           soapGetWebhook,
	"GetAllWebhooks":       soapGetAllWebhooks,
	"TestWebhook":          soapTestWebhook,
	"SignalEvent":          soapSignalEvent,
	"GetLastError":         soapGetLastError,
}

// soapNilResponse writes <Response xsi:nil="true"/>.
func soapNilResponse(w *soapWriter) { w.null("Response") }

// soapCreateDefaultWebhook reads CreateDefaultWebhook (no arguments).
func soapCreateDefaultWebhook(*soapNode) (soapCall, error) {
	return func(ctx context.Context, s *reference.Service, c reference.Caller) (func(*soapWriter), error) {
		wh := s.Default()
		return func(w *soapWriter) { writeSOAPWebhook(w, "Response", wh) }, nil
	}, nil
}

// soapSaveWebhook reads SaveWebhook(Webhook).
func soapSaveWebhook(req *soapNode) (soapCall, error) {
	wh, present, err := soapWebhookArgument(req)
	if err != nil {
		return nil, err
	}
	return func(ctx context.Context, s *reference.Service, c reference.Caller) (func(*soapWriter), error) {
		if !present {
			return nil, reference.Errorf(reference.KindInvalid, wire.ErrTypeArgument, "SaveWebhook: the Webhook to save is missing")
		}
		saved, err := s.Save(ctx, c, wh)
		if err != nil {
			return nil, err
		}
		return func(w *soapWriter) { writeSOAPWebhook(w, "Response", saved) }, nil
	}, nil
}

// soapDeleteWebhook reads DeleteWebhook(WebhookId).
func soapDeleteWebhook(req *soapNode) (soapCall, error) {
	id, err := soapChildInt32(req, "WebhookId")
	if err != nil {
		return nil, err
	}
	return func(ctx context.Context, s *reference.Service, c reference.Caller) (func(*soapWriter), error) {
		return nil, s.Delete(ctx, c, id)
	}, nil
}

// soapGetWebhook reads GetWebhook(WebhookId). A missing webhook is a nil
// Response, not an error (spec §9 #18).
func soapGetWebhook(req *soapNode) (soapCall, error) {
	id, err := soapChildInt32(req, "WebhookId")
	if err != nil {
		return nil, err
	}
	return func(ctx context.Context, s *reference.Service, c reference.Caller) (func(*soapWriter), error) {
		wh, err := s.Get(ctx, c, id)
		if err != nil {
			if reference.AsError(err).Kind == reference.KindNotFound {
				return soapNilResponse, nil
			}
			return nil, err
		}
		return func(w *soapWriter) { writeSOAPWebhook(w, "Response", wh) }, nil
	}, nil
}

// soapGetAllWebhooks reads GetAllWebhooks(NameFilter, EventFilter,
// StatusFilter).
func soapGetAllWebhooks(req *soapNode) (soapCall, error) {
	status, err := soapChildState(req, "StatusFilter")
	if err != nil {
		return nil, err
	}
	f := reference.Filter{
		Name:  soapChildString(req, "NameFilter"),
		Event: soapChildString(req, "EventFilter"),
		State: status,
	}
	return func(ctx context.Context, s *reference.Service, c reference.Caller) (func(*soapWriter), error) {
		list, err := s.List(ctx, c, f)
		if err != nil {
			return nil, err
		}
		return func(w *soapWriter) {
			w.open("Response")
			for _, wh := range list {
				writeSOAPWebhook(w, "Webhook", wh)
			}
			w.close("Response")
		}, nil
	}, nil
}

// soapTestWebhook reads TestWebhook(Webhook).
func soapTestWebhook(req *soapNode) (soapCall, error) {
	wh, present, err := soapWebhookArgument(req)
	if err != nil {
		return nil, err
	}
	return func(ctx context.Context, s *reference.Service, c reference.Caller) (func(*soapWriter), error) {
		if !present {
			return nil, reference.Errorf(reference.KindInvalid, wire.ErrTypeArgument, "TestWebhook: the Webhook to test is missing")
		}
		res, err := s.Test(ctx, c, wh)
		if err != nil {
			return nil, err
		}
		return func(w *soapWriter) { writeSOAPWebhookResult(w, "Response", res) }, nil
	}, nil
}

// soapSignalEvent reads SignalEvent(EventName, PrimaryKey, Data).
func soapSignalEvent(req *soapNode) (soapCall, error) {
	pk, err := soapChildInt32(req, "PrimaryKey")
	if err != nil {
		return nil, err
	}
	data, err := decodeSOAPObjectDictionary(req.child("Data"))
	if err != nil {
		return nil, fmt.Errorf("Data: %w", err)
	}
	event := soapChildString(req, "EventName")
	return func(ctx context.Context, s *reference.Service, c reference.Caller) (func(*soapWriter), error) {
		return nil, s.Signal(ctx, c, event, pk, data)
	}, nil
}

// soapGetLastError reads GetLastError(WebhookId). The answer is the
// last_error text ("" when there is none) or a nil Response for an unknown
// webhook (spec §9 #18).
func soapGetLastError(req *soapNode) (soapCall, error) {
	id, err := soapChildInt32(req, "WebhookId")
	if err != nil {
		return nil, err
	}
	return func(ctx context.Context, s *reference.Service, c reference.Caller) (func(*soapWriter), error) {
		text, err := s.LastError(ctx, c, id)
		if err != nil {
			if reference.AsError(err).Kind == reference.KindNotFound {
				return soapNilResponse, nil
			}
			return nil, err
		}
		return func(w *soapWriter) { w.leaf("Response", text) }, nil
	}, nil
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
