package rpc

import "github.com/hookcheck/hookcheck/conformance/reference"

// Decoder reads the arguments of one call in one codec's way (a JSON body
// and query for Agents, the operation element for SOAP). Each method fails
// only when the request cannot be read; how absent arguments are answered
// is the codec's business.
type Decoder interface {
	// ID reads the WebhookId argument.
	ID() (int32, error)
	// Entity reads SaveWebhook's Webhook (the whole body on Agents);
	// present is false when it is absent or nil.
	Entity() (wh reference.Webhook, present bool, err error)
	// Webhook reads TestWebhook's Webhook argument; present is false when
	// it is absent or nil.
	Webhook() (wh reference.Webhook, present bool, err error)
	// String reads an optional string argument ("" when absent or null).
	String(name string) (string, error)
	// Int32 reads an optional integer argument (0 when absent or null).
	Int32(name string) (int32, error)
	// State reads an optional WebhookState argument (Unknown when absent).
	State(name string) (reference.State, error)
	// Data reads an optional object argument into plain Go values.
	Data(name string) (map[string]any, error)
}

// readID reads the WebhookId of DeleteWebhook, GetWebhook and
// GetLastError.
func readID(d Decoder) (Args, error) {
	id, err := d.ID()
	return Args{WebhookID: id}, err
}

// readEntity reads the Webhook argument with get (Decoder.Entity or
// Decoder.Webhook).
func readEntity(get func(Decoder) (reference.Webhook, bool, error)) func(Decoder) (Args, error) {
	return func(d Decoder) (Args, error) {
		wh, present, err := get(d)
		return Args{Webhook: wh, HasWebhook: present}, err
	}
}

// readFilter reads GetAllWebhooks(NameFilter, EventFilter, StatusFilter).
func readFilter(d Decoder) (Args, error) {
	var (
		a   Args
		err error
	)
	if a.Filter.Name, err = d.String("NameFilter"); err != nil {
		return Args{}, err
	}
	if a.Filter.Event, err = d.String("EventFilter"); err != nil {
		return Args{}, err
	}
	if a.Filter.State, err = d.State("StatusFilter"); err != nil {
		return Args{}, err
	}
	return a, nil
}

// readSignal reads SignalEvent(EventName, PrimaryKey, Data).
func readSignal(d Decoder) (Args, error) {
	var (
		a   Args
		err error
	)
	if a.EventName, err = d.String("EventName"); err != nil {
		return Args{}, err
	}
	if a.PrimaryKey, err = d.Int32("PrimaryKey"); err != nil {
		return Args{}, err
	}
	if a.Data, err = d.Data("Data"); err != nil {
		return Args{}, err
	}
	return a, nil
}
