package wire

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/hookcheck/hookcheck/conformance/reference"
)

// This file reads the scalar and collection values of a parsed tree into
// the Go types of the model, with the error messages NetServer gives.

// Int32 reads an int32 from a number or a numeric string (NetServer's
// serializer accepts both); name is used in the error message.
func Int32(v any, name string) (int32, error) {
	var s string
	switch t := v.(type) {
	case json.Number:
		s = string(t)
	case string:
		s = strings.TrimSpace(t)
	case int64:
		s = strconv.FormatInt(t, 10)
	case int32:
		return t, nil
	case int:
		s = strconv.Itoa(t)
	case float64:
		s = strconv.FormatFloat(t, 'f', -1, 64)
	default:
		return 0, reference.Errorf(reference.KindInvalid, ErrTypeSerialization, "%s must be an integer, not %s", name, KindOf(v))
	}
	i, err := strconv.ParseInt(s, 10, 32)
	if err != nil {
		// Accept integral values written with a fraction or exponent (5.0, 1e2).
		f, ferr := strconv.ParseFloat(s, 64)
		if ferr != nil || f != math.Trunc(f) || f < math.MinInt32 || f > math.MaxInt32 {
			return 0, reference.Errorf(reference.KindInvalid, ErrTypeSerialization, "%s must be a 32-bit integer, not %s", name, reference.Quote(s))
		}
		return int32(f), nil
	}
	return int32(i), nil
}

// String reads a string or null; name is used in the error message.
func String(v any, name string) (string, error) {
	switch t := v.(type) {
	case nil:
		return "", nil
	case string:
		return t, nil
	}
	return "", reference.Errorf(reference.KindInvalid, ErrTypeSerialization, "%s must be a string or null, not %s", name, KindOf(v))
}

// Bool reads a boolean (or its string form); name is used in the error
// message.
func Bool(v any, name string) (bool, error) {
	switch t := v.(type) {
	case bool:
		return t, nil
	case nil:
		return false, nil
	case string:
		if b, err := strconv.ParseBool(strings.TrimSpace(t)); err == nil {
			return b, nil
		}
	}
	return false, reference.Errorf(reference.KindInvalid, ErrTypeSerialization, "%s must be a boolean, not %s", name, KindOf(v))
}

// StateValue reads a WebhookState given as a name (any case) or a number
// (spec §9 #1); null means Unknown.
func StateValue(v any, name string) (reference.State, error) {
	var s string
	switch t := v.(type) {
	case nil:
		return reference.StateUnknown, nil
	case string:
		s = t
	case json.Number:
		s = string(t)
	case int64:
		s = strconv.FormatInt(t, 10)
	default:
		return 0, reference.Errorf(reference.KindInvalid, ErrTypeSerialization, "%s must be a state name or number, not %s", name, KindOf(v))
	}
	st, err := reference.ParseState(s)
	if err != nil {
		return 0, &reference.Error{Kind: reference.KindInvalid, Type: ErrTypeSerialization, Message: name + ": " + err.Error(), Err: err}
	}
	return st, nil
}

// Time reads a date-time string; null and "" are the zero time. It
// accepts RFC 3339 with or without offset and fraction (the wire format of
// FormatTime has no offset and means UTC). DateTime.MinValue shifted into
// the year 0 by a client's time zone is the zero time too
// (isShiftedMinValue).
func Time(v any, name string) (time.Time, error) {
	s, err := String(v, name)
	if err != nil || strings.TrimSpace(s) == "" {
		return time.Time{}, err
	}
	t, err := ParseTime(strings.TrimSpace(s))
	if err != nil {
		if isShiftedMinValue(strings.TrimSpace(s)) {
			return time.Time{}, nil
		}
		return time.Time{}, reference.Errorf(reference.KindInvalid, ErrTypeSerialization, "%s: %s is not a date-time", name, reference.Quote(s))
	}
	return t, nil
}

// isShiftedMinValue reports whether s is an RFC 3339 instant in the day
// before 0001-01-01T00:00:00Z. That is how a client east of UTC writes
// back the "0001-01-01T00:00:00" it was sent: the official TypeScript
// client (@superoffice/webapi) parses offset-less dates as local time and
// sends Date objects in UTC, so in Europe/Oslo CreateDefaultWebhook's
// Registered comes back to SaveWebhook as "0000-12-31T23:06:32.000Z".
func isShiftedMinValue(s string) bool {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return false
	}
	minValue := time.Time{}
	return t.Before(minValue) && !t.Before(minValue.Add(-24*time.Hour))
}

// ParseTime parses the date-time layouts clients send: RFC 3339 (with
// offset) and the offset-less form of TimeFormat, taken as UTC. Like .NET's
// DateTime it refuses instants outside the years 1 to 9999 in UTC, which
// FormatTime could not write back.
func ParseTime(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02"} {
		t, err := time.Parse(layout, s)
		if err != nil {
			continue
		}
		t = t.UTC()
		if y := t.Year(); y < 1 || y > 9999 {
			return time.Time{}, fmt.Errorf("date-time %s is outside the years 1 to 9999", reference.Quote(s))
		}
		return t, nil
	}
	return time.Time{}, fmt.Errorf("parse date-time %s", reference.Quote(s))
}

// KindOf names the JSON type of v for error messages.
func KindOf(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case string:
		return "a string"
	case json.Number, int, int32, int64, float64:
		return "a number"
	case []any:
		return "an array"
	case *Object:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}
