package reference

import (
	"slices"
	"strings"
)

// The v12.1 extensions of the entity (spec §1.8, ENUM, ADM, WAPI): the
// ErrorEmails list that replaces ErrorsEmail, a Description, how and when
// failures are notified, and read-only mirrors of the webhook_usage row.
// They exist only when Options.V121Fields is set; otherwise Webhook.V121 is
// always nil and the front ends neither read nor write them.

// NotifyVia is the WebhookNotifyVia enum: how failures are notified.
type NotifyVia int16

// The WebhookNotifyVia values (ENUM webhooknotifyvia).
const (
	NotifyViaNone  NotifyVia = 0
	NotifyViaEmail NotifyVia = 1
	NotifyViaInApp NotifyVia = 2
)

// notifyViaNames are the enum names in value order.
var notifyViaNames = []string{"None", "Email", "InApp"}

// String returns the enum name.
func (v NotifyVia) String() string {
	if v >= 0 && int(v) < len(notifyViaNames) {
		return notifyViaNames[v]
	}
	return "Unknown"
}

// ParseNotifyVia reads a WebhookNotifyVia name (case-insensitive).
func ParseNotifyVia(s string) (NotifyVia, bool) {
	for i, n := range notifyViaNames {
		if strings.EqualFold(n, strings.TrimSpace(s)) {
			return NotifyVia(i), true
		}
	}
	return 0, false
}

// NotifyWhen is the WebhookNotifyWhen flags enum: when failures are
// notified.
type NotifyWhen int16

// The WebhookNotifyWhen flags (ENUM webhooknotifywhen).
const (
	NotifyWhenNone         NotifyWhen = 0
	NotifyWhenFirstFailure NotifyWhen = 1
	NotifyWhenDisabling    NotifyWhen = 2
)

// String returns the flags as .NET writes them: "None", "FirstFailure",
// "Disabling" or "FirstFailure, Disabling".
func (w NotifyWhen) String() string {
	var parts []string
	if w&NotifyWhenFirstFailure != 0 {
		parts = append(parts, "FirstFailure")
	}
	if w&NotifyWhenDisabling != 0 {
		parts = append(parts, "Disabling")
	}
	if len(parts) == 0 {
		return "None"
	}
	return strings.Join(parts, ", ")
}

// ParseNotifyWhen reads WebhookNotifyWhen flag names, comma-separated
// (case-insensitive).
func ParseNotifyWhen(s string) (NotifyWhen, bool) {
	var w NotifyWhen
	for part := range strings.SplitSeq(s, ",") {
		switch strings.ToLower(strings.TrimSpace(part)) {
		case "none", "":
		case "firstfailure":
			w |= NotifyWhenFirstFailure
		case "disabling":
			w |= NotifyWhenDisabling
		default:
			return 0, false
		}
	}
	return w, true
}

// V121Fields are the v12.1 members of a webhook (spec §1.8).
type V121Fields struct {
	// ErrorEmails are the addresses failures are e-mailed to.
	ErrorEmails []string
	// Description is free text.
	Description string
	// NotifyVia says how failures are notified (None, Email, InApp).
	NotifyVia NotifyVia
	// NotifyWhen says when (FirstFailure, Disabling, both or None).
	NotifyWhen NotifyWhen
	// TotalCalls, TotalErrors, ConsecutiveErrors and LastError mirror the
	// webhook_usage row; they are read-only: a save ignores them.
	TotalCalls        int64
	TotalErrors       int64
	ConsecutiveErrors int64
	LastError         string
}

// copyV121 returns a deep copy of f.
func copyV121(f *V121Fields) *V121Fields {
	if f == nil {
		return nil
	}
	c := *f
	c.ErrorEmails = slices.Clone(f.ErrorEmails)
	return &c
}

// acceptV121 prepares the v12.1 members of a save: without
// Options.V121Fields the entity has none; with it the read-only mirrors are
// dropped (the server owns them).
func (s *Service) acceptV121(w *Webhook) error {
	if !s.opts.V121Fields {
		w.V121 = nil
		return nil
	}
	if w.V121 == nil {
		w.V121 = &V121Fields{}
	}
	f := w.V121
	f.TotalCalls, f.TotalErrors, f.ConsecutiveErrors, f.LastError = 0, 0, 0, ""
	if f.NotifyVia < NotifyViaNone || f.NotifyVia > NotifyViaInApp {
		return Errorf(KindInvalid, coreErrArgument, "NotifyVia %d is not a WebhookNotifyVia (None 0, Email 1, InApp 2)", f.NotifyVia)
	}
	if f.NotifyWhen&^(NotifyWhenFirstFailure|NotifyWhenDisabling) != 0 {
		return Errorf(KindInvalid, coreErrArgument, "NotifyWhen %d is not a WebhookNotifyWhen (None 0, FirstFailure 1, Disabling 2, or both)", f.NotifyWhen)
	}
	var emails []string
	for _, e := range f.ErrorEmails {
		if e = strings.TrimSpace(e); e != "" {
			emails = append(emails, e)
		}
	}
	f.ErrorEmails = emails
	return nil
}

// present returns w as an answer shows it: with Options.V121Fields, its
// v12.1 members with the usage mirrors of u filled in.
func (s *Service) present(w Webhook, u Usage) Webhook {
	if !s.opts.V121Fields {
		w.V121 = nil
		return w
	}
	f := copyV121(w.V121)
	if f == nil {
		f = &V121Fields{}
	}
	f.TotalCalls, f.TotalErrors, f.ConsecutiveErrors, f.LastError = u.TotalCalls, u.TotalErrors, u.ConsecutiveErrors, u.LastError
	w.V121 = f
	return w
}

// v121Notice returns the e-mail the v12.1 settings of w ask for after a
// failed attempt (nil when none): NotifyVia Email to ErrorEmails, on the
// first failure (ConsecutiveErrors became 1) with NotifyWhen FirstFailure,
// or when the hook is disabled with NotifyWhen Disabling.
func (s *Service) v121Notice(w Webhook, disabled bool, n ErrorNotice) *ErrorNotice {
	f := w.V121
	if !s.opts.V121Fields || f == nil || f.NotifyVia != NotifyViaEmail || len(f.ErrorEmails) == 0 {
		return nil
	}
	switch {
	case disabled && f.NotifyWhen&NotifyWhenDisabling != 0:
	case !disabled && n.ConsecutiveErrors == 1 && f.NotifyWhen&NotifyWhenFirstFailure != 0:
	default:
		return nil
	}
	n.To = strings.Join(f.ErrorEmails, ", ")
	return &n
}
