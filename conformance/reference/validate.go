package reference

import (
	"encoding/json"
	"net/url"
	"strings"
	"unicode/utf8"
)

// Validator checks and normalises a webhook before it is verified and
// stored. previous is the stored version on an update and nil on a create.
type Validator interface {
	Validate(w *Webhook, previous *Webhook) error
}

// StandardValidator applies spec §9 #25 and the storage limits of §1.1:
//   - Events must hold at least one name; names are trimmed, may not be
//     empty and may not contain a comma (they are stored comma-joined);
//   - TargetUrl is trimmed and required; for a webhook-type hook it must be
//     an absolute http(s) URL (whether http is acceptable is the URL
//     check's business);
//   - Type is "webhook" or "crmscript", case-insensitive, stored in lower
//     case; empty means "webhook";
//   - State Unknown means Active on a create and "unchanged" on an update;
//     other values must be 1..3;
//   - Headers must be valid HTTP header names and values, Properties must
//     be JSON-encodable;
//   - Name 400, TargetUrl 4000, joined Events 4000, Secret 400, Type 100
//     and ErrorsEmail 239 characters at most.
type StandardValidator struct{}

// Validate implements Validator.
func (StandardValidator) Validate(w *Webhook, previous *Webhook) error {
	invalid := func(format string, args ...any) error {
		return Errorf(KindInvalid, coreErrArgument, format, args...)
	}
	events := make([]string, 0, len(w.Events))
	for _, e := range w.Events {
		e = strings.TrimSpace(e)
		if e == "" {
			return invalid("Events may not contain an empty event name")
		}
		if strings.Contains(e, ",") {
			return invalid("event name %s may not contain a comma", Quote(e))
		}
		events = append(events, e)
	}
	if len(events) == 0 {
		return invalid("Events is required: name at least one event")
	}
	w.Events = events
	w.TargetURL = strings.TrimSpace(w.TargetURL)
	if w.TargetURL == "" {
		return invalid("TargetUrl is required")
	}
	switch t := strings.ToLower(strings.TrimSpace(w.Type)); t {
	case "":
		w.Type = "webhook"
	case "webhook", "crmscript":
		w.Type = t
	default:
		return invalid("Type %s is not \"webhook\" or \"crmscript\"", Quote(w.Type))
	}
	if w.Type == "webhook" {
		u, err := url.Parse(w.TargetURL)
		if err != nil || !u.IsAbs() || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
			return invalid("TargetUrl %s is not an absolute https URL", Quote(w.TargetURL))
		}
	}
	switch {
	case w.State == StateUnknown && previous == nil:
		w.State = StateActive
	case w.State == StateUnknown:
		w.State = previous.State
	case w.State < StateActive || w.State > StateTooManyErrors:
		return invalid("State %d is not a WebhookState", w.State)
	}
	for name, value := range w.Headers {
		if !coreValidHeaderName(name) {
			return invalid("Headers: %s is not a valid HTTP header name", Quote(name))
		}
		if strings.ContainsAny(value, "\r\n\x00") {
			return invalid("Headers: the value of %s contains a line break or NUL", Quote(name))
		}
	}
	if len(w.Properties) > 0 {
		if _, err := json.Marshal(w.Properties); err != nil {
			return invalid("Properties cannot be encoded as JSON: %v", err)
		}
	}
	for _, l := range []struct {
		field, value string
		max          int
	}{
		{"Name", w.Name, 400},
		{"TargetUrl", w.TargetURL, 4000},
		{"Events", strings.Join(w.Events, ","), 4000},
		{"Secret", w.Secret, 400},
		{"Type", w.Type, 100},
		{"ErrorsEmail", w.ErrorsEmail, 239},
	} {
		if n := utf8.RuneCountInString(l.value); n > l.max {
			return invalid("%s is %d characters long; the limit is %d", l.field, n, l.max)
		}
	}
	return nil
}

// coreValidHeaderName reports whether name is an RFC 9110 token.
func coreValidHeaderName(name string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0:
		default:
			return false
		}
	}
	return true
}
