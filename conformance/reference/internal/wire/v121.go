package wire

import (
	"strings"

	"github.com/hookcheck/hookcheck/conformance/reference"
)

// This file maps the v12.1 members of a webhook (spec §1.8) to and from
// the tree. They are written only when the entity has them (the service
// runs with Options.V121Fields), after ErrorsEmail; NotifyVia and
// NotifyWhen are spelled by their enum names, like State.

// addV121 appends the v12.1 members of w to o.
func addV121(o *Object, w *reference.Webhook) {
	f := w.V121
	if f == nil {
		return
	}
	if f.ErrorEmails == nil {
		o.Add("ErrorEmails", []any{})
	} else {
		o.Add("ErrorEmails", FromPlain(f.ErrorEmails))
	}
	o.Add("Description", nullString(f.Description))
	o.Add("NotifyVia", f.NotifyVia.String())
	o.Add("NotifyWhen", f.NotifyWhen.String())
	o.Add("TotalCalls", f.TotalCalls)
	o.Add("TotalErrors", f.TotalErrors)
	o.Add("ConsecutiveErrors", f.ConsecutiveErrors)
	o.Add("LastError", nullString(f.LastError))
}

// v121Member reads one v12.1 member (lower-cased key) into w, reporting
// whether key is one.
func v121Member(w *reference.Webhook, key string, val any) (bool, error) {
	var err error
	f := func() *reference.V121Fields {
		if w.V121 == nil {
			w.V121 = &reference.V121Fields{}
		}
		return w.V121
	}
	switch key {
	case "erroremails":
		f().ErrorEmails, err = Strings(val, "ErrorEmails")
	case "description":
		f().Description, err = String(val, "Description")
	case "notifyvia":
		f().NotifyVia, err = NotifyViaValue(val)
	case "notifywhen":
		f().NotifyWhen, err = NotifyWhenValue(val)
	case "totalcalls", "totalerrors", "consecutiveerrors", "lasterror":
		f() // read-only mirrors: accepted and ignored (the server owns them)
	default:
		return false, nil
	}
	return true, err
}

// NotifyViaValue reads a WebhookNotifyVia name or number.
func NotifyViaValue(v any) (reference.NotifyVia, error) {
	if s, ok := v.(string); ok {
		if nv, ok := reference.ParseNotifyVia(s); ok {
			return nv, nil
		}
	}
	if v == nil {
		return reference.NotifyViaNone, nil
	}
	n, err := Int32(v, "NotifyVia")
	if err != nil || n < 0 || n > 2 {
		return 0, reference.Errorf(reference.KindInvalid, ErrTypeSerialization, "NotifyVia must be None, Email or InApp (0, 1, 2), not %s", reference.Quote(strings.TrimSpace(xmlScalarText(v))))
	}
	return reference.NotifyVia(n), nil
}

// NotifyWhenValue reads WebhookNotifyWhen flag names (comma- or
// space-separated) or a number.
func NotifyWhenValue(v any) (reference.NotifyWhen, error) {
	if s, ok := v.(string); ok {
		if nw, ok := reference.ParseNotifyWhen(strings.Join(strings.Fields(strings.ReplaceAll(s, ",", " ")), ",")); ok {
			return nw, nil
		}
	}
	if v == nil {
		return reference.NotifyWhenNone, nil
	}
	n, err := Int32(v, "NotifyWhen")
	if err != nil || n < 0 || n > 3 {
		return 0, reference.Errorf(reference.KindInvalid, ErrTypeSerialization, "NotifyWhen must be None, FirstFailure, Disabling or both (0–3), not %s", reference.Quote(strings.TrimSpace(xmlScalarText(v))))
	}
	return reference.NotifyWhen(n), nil
}
