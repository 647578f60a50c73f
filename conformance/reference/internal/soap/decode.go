package soap

import (
	"encoding/xml"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/hookcheck/hookcheck/conformance/reference"
)

// This file reads the WSDL types of codec.go from request elements.

// decodeSOAPWebhook reads a Webhook element. Absent and nil fields are the
// model's null; server-owned fields (dates, associates) are read too, and
// the core decides whether to keep them (spec §9 #27).
func decodeSOAPWebhook(n *soapNode) (reference.Webhook, error) {
	var wh reference.Webhook
	var err error
	if wh.WebhookID, err = soapChildInt32(n, "WebhookId"); err != nil {
		return reference.Webhook{}, err
	}
	wh.Name = soapChildString(n, "Name")
	if wh.Events, err = decodeSOAPStrings(n.child("Events")); err != nil {
		return reference.Webhook{}, fmt.Errorf("Events: %w", err)
	}
	wh.TargetURL = soapChildString(n, "TargetUrl")
	wh.Secret = soapChildString(n, "Secret")
	if wh.State, err = soapChildState(n, "State"); err != nil {
		return reference.Webhook{}, err
	}
	wh.Type = soapChildString(n, "Type")
	if wh.Headers, err = decodeSOAPStringDictionary(n.child("Headers")); err != nil {
		return reference.Webhook{}, fmt.Errorf("Headers: %w", err)
	}
	if wh.Properties, err = decodeSOAPObjectDictionary(n.child("Properties")); err != nil {
		return reference.Webhook{}, fmt.Errorf("Properties: %w", err)
	}
	if wh.Registered, err = soapChildTime(n, "Registered"); err != nil {
		return reference.Webhook{}, err
	}
	if wh.RegisteredAssociate, err = decodeSOAPAssociate(n.child("RegisteredAssociate")); err != nil {
		return reference.Webhook{}, fmt.Errorf("RegisteredAssociate: %w", err)
	}
	if wh.Updated, err = soapChildTime(n, "Updated"); err != nil {
		return reference.Webhook{}, err
	}
	if wh.UpdatedAssociate, err = decodeSOAPAssociate(n.child("UpdatedAssociate")); err != nil {
		return reference.Webhook{}, fmt.Errorf("UpdatedAssociate: %w", err)
	}
	wh.ErrorsEmail = soapChildString(n, "ErrorsEmail")
	if err := decodeSOAPV121(n, &wh); err != nil {
		return reference.Webhook{}, err
	}
	return wh, nil
}

// decodeSOAPV121 reads the v12.1 members (spec §1.8) when n has any; the
// read-only mirrors are accepted and ignored.
func decodeSOAPV121(n *soapNode, wh *reference.Webhook) error {
	present := false
	for _, name := range []string{"ErrorEmails", "Description", "NotifyVia", "NotifyWhen", "TotalCalls", "TotalErrors", "ConsecutiveErrors", "LastError"} {
		if n.child(name) != nil {
			present = true
		}
	}
	if !present {
		return nil
	}
	f := &reference.V121Fields{Description: soapChildString(n, "Description")}
	var err error
	if f.ErrorEmails, err = decodeSOAPStrings(n.child("ErrorEmails")); err != nil {
		return fmt.Errorf("ErrorEmails: %w", err)
	}
	if c := n.child("NotifyVia"); c != nil && !c.isNil() {
		v, ok := reference.ParseNotifyVia(c.Text)
		if !ok {
			return fmt.Errorf("NotifyVia %s is not None, Email or InApp", reference.Quote(c.Text))
		}
		f.NotifyVia = v
	}
	if c := n.child("NotifyWhen"); c != nil && !c.isNil() {
		v, ok := reference.ParseNotifyWhen(strings.Join(strings.Fields(strings.ReplaceAll(c.Text, ",", " ")), ","))
		if !ok {
			return fmt.Errorf("NotifyWhen %s is not None, FirstFailure or Disabling", reference.Quote(c.Text))
		}
		f.NotifyWhen = v
	}
	wh.V121 = f
	return nil
}

// decodeSOAPAssociate reads the Associate fields the model keeps.
func decodeSOAPAssociate(n *soapNode) (*reference.Associate, error) {
	if n == nil || n.isNil() {
		return nil, nil
	}
	var a reference.Associate
	var err error
	if a.AssociateID, err = soapChildInt32(n, "AssociateId"); err != nil {
		return nil, err
	}
	if a.PersonID, err = soapChildInt32(n, "PersonId"); err != nil {
		return nil, err
	}
	a.Name = soapChildString(n, "Name")
	a.FullName = soapChildString(n, "FullName")
	a.UserName = soapChildString(n, "UserName")
	a.Type = strings.TrimSpace(soapChildString(n, "Type"))
	return &a, nil
}

// decodeSOAPStrings reads an ArrayOfstring; a nil or absent array is nil,
// nil items are skipped.
func decodeSOAPStrings(n *soapNode) ([]string, error) {
	if n == nil || n.isNil() {
		return nil, nil
	}
	items := make([]string, 0, len(n.Children))
	for _, c := range n.Children {
		if c.Name.Local != "string" {
			return nil, fmt.Errorf("unexpected element %s in an ArrayOfstring", c.Name.Local)
		}
		if !c.isNil() {
			items = append(items, c.Text)
		}
	}
	return items, nil
}

// decodeSOAPStringDictionary reads a StringDictionary (Headers).
func decodeSOAPStringDictionary(n *soapNode) (map[string]string, error) {
	if n == nil || n.isNil() {
		return nil, nil
	}
	m := make(map[string]string, len(n.Children))
	for _, pair := range n.Children {
		key, err := soapPairKey(pair)
		if err != nil {
			return nil, err
		}
		m[key] = soapChildString(pair, "Value")
	}
	return m, nil
}

// decodeSOAPObjectDictionary reads a StringObjectDictionary (Properties,
// SignalEvent Data); each Value becomes a Go string, int, bool, float64,
// []any or map[string]any after its xsi:type.
func decodeSOAPObjectDictionary(n *soapNode) (map[string]any, error) {
	if n == nil || n.isNil() {
		return nil, nil
	}
	m := make(map[string]any, len(n.Children))
	for _, pair := range n.Children {
		key, err := soapPairKey(pair)
		if err != nil {
			return nil, err
		}
		var v any
		if vn := pair.child("Value"); vn != nil {
			if v, err = decodeSOAPValue(vn, ""); err != nil {
				return nil, fmt.Errorf("value of %q: %w", key, err)
			}
		}
		m[key] = v
	}
	return m, nil
}

// soapPairKey returns the Key of a dictionary pair element.
func soapPairKey(pair *soapNode) (string, error) {
	k := pair.child("Key")
	if k == nil || k.isNil() {
		return "", fmt.Errorf("%s has no Key", pair.Name.Local)
	}
	return k.Text, nil
}

// decodeSOAPValue reads an xs:anyType value. The type comes from xsi:type,
// else from fallback (an array item's element name, such as "int"), else it
// is a string.
func decodeSOAPValue(n *soapNode, fallback string) (any, error) {
	if n.isNil() {
		return nil, nil
	}
	typ := xml.Name{Space: xsdNS, Local: fallback}
	if t, ok := n.attr(xsiNS, "type"); ok {
		var known bool
		typ, known = n.resolveQName(t)
		if !known {
			// An undeclared prefix: judge by the local part alone.
			typ.Space = xsdNS
		}
	}
	if typ.Local == "" {
		if len(n.Children) > 0 {
			return nil, fmt.Errorf("element %s has child elements but no xsi:type", n.Name.Local)
		}
		return n.Text, nil
	}
	switch {
	case strings.HasPrefix(typ.Local, "ArrayOf"):
		items := make([]any, 0, len(n.Children))
		for _, c := range n.Children {
			v, err := decodeSOAPValue(c, c.Name.Local)
			if err != nil {
				return nil, err
			}
			items = append(items, v)
		}
		return items, nil
	case typ.Local == "StringObjectDictionary":
		return decodeSOAPObjectDictionary(n)
	case typ.Local == "StringDictionary":
		m, err := decodeSOAPStringDictionary(n)
		if err != nil {
			return nil, err
		}
		out := make(map[string]any, len(m))
		for k, v := range m {
			out[k] = v
		}
		return out, nil
	}
	if len(n.Children) > 0 {
		return nil, fmt.Errorf("a value of type %s cannot have child elements", typ.Local)
	}
	return parseSOAPScalar(typ, n.Text)
}

// parseSOAPScalar converts the text of a simple-typed value.
func parseSOAPScalar(typ xml.Name, text string) (any, error) {
	if typ.Space != xsdNS && typ.Space != serializationNS {
		return nil, fmt.Errorf("unsupported value type {%s}%s", typ.Space, typ.Local)
	}
	trimmed := strings.TrimSpace(text)
	switch typ.Local {
	case "string", "anyType", "anyURI", "normalizedString", "token", "QName",
		"dateTime", "date", "time", "duration", "guid", "base64Binary":
		return text, nil
	case "int", "short", "long", "byte", "integer", "unsignedByte", "unsignedShort",
		"unsignedInt", "unsignedLong", "nonNegativeInteger", "positiveInteger", "char":
		i, err := strconv.ParseInt(trimmed, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("%s is not a valid xs:%s", reference.Quote(text), typ.Local)
		}
		return int(i), nil
	case "boolean":
		switch trimmed {
		case "true", "1":
			return true, nil
		case "false", "0":
			return false, nil
		}
		return nil, fmt.Errorf("%s is not a valid xs:boolean", reference.Quote(text))
	case "double", "float", "decimal":
		f, err := strconv.ParseFloat(trimmed, 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, fmt.Errorf("%s is not a finite xs:%s", reference.Quote(text), typ.Local)
		}
		return f, nil
	}
	return nil, fmt.Errorf("unsupported value type xs:%s", typ.Local)
}

// soapChildString returns the text of n's child local, "" when it is absent
// or nil.
func soapChildString(n *soapNode, local string) string {
	c := n.child(local)
	if c == nil || c.isNil() {
		return ""
	}
	return c.Text
}

// soapChildInt32 returns n's child local as an xs:int, 0 when absent or nil.
func soapChildInt32(n *soapNode, local string) (int32, error) {
	c := n.child(local)
	if c == nil || c.isNil() {
		return 0, nil
	}
	i, err := strconv.ParseInt(strings.TrimSpace(c.Text), 10, 32)
	if err != nil {
		return 0, fmt.Errorf("%s: %s is not a valid xs:int", local, reference.Quote(c.Text))
	}
	return int32(i), nil
}

// soapChildState returns n's child local as a WebhookState, by name or
// number (spec §9 #1); absent or nil is Unknown.
func soapChildState(n *soapNode, local string) (reference.State, error) {
	c := n.child(local)
	if c == nil || c.isNil() {
		return reference.StateUnknown, nil
	}
	s, err := reference.ParseState(c.Text)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", local, err)
	}
	return s, nil
}

// soapChildTime returns n's child local as an xs:dateTime, the zero time
// when absent or nil. A value without an offset is UTC.
func soapChildTime(n *soapNode, local string) (time.Time, error) {
	c := n.child(local)
	if c == nil || c.isNil() {
		return time.Time{}, nil
	}
	v := strings.TrimSpace(c.Text)
	for _, layout := range []string{time.RFC3339Nano, reference.TimeFormat} {
		if t, err := time.Parse(layout, v); err == nil {
			if t.Equal(time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)) {
				return time.Time{}, nil
			}
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("%s: %s is not a valid xs:dateTime", local, reference.Quote(c.Text))
}
