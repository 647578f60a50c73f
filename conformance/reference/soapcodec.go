package reference

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// This file maps the core model (model.go) to and from the SOAP wire:
// the WSDL sequence of Webhook (spec §1.1), Associate (§1.5), WebhookResult
// (§1.6), StringDictionary, StringObjectDictionary and ArrayOfstring.
// Element names are matched by local name on input, so a client that gets a
// child namespace wrong is still understood; output is always qualified.

// writeSOAPWebhook writes wh as element name, fields in WSDL order.
func writeSOAPWebhook(w *soapWriter, name string, wh Webhook) {
	w.open(name)
	w.leaf("WebhookId", strconv.FormatInt(int64(wh.WebhookID), 10))
	w.str("Name", wh.Name)
	writeSOAPStrings(w, "Events", wh.Events)
	w.str("TargetUrl", wh.TargetURL)
	w.str("Secret", wh.Secret)
	f := w.wireFormat()
	w.leaf("State", f.State(wh.State))
	w.str("Type", wh.Type)
	writeSOAPStringDictionary(w, "Headers", wh.Headers)
	writeSOAPObjectDictionary(w, "Properties", wh.Properties)
	w.leaf("Registered", f.Time(wh.Registered))
	writeSOAPAssociate(w, "RegisteredAssociate", wh.RegisteredAssociate)
	w.leaf("Updated", f.Time(wh.Updated))
	writeSOAPAssociate(w, "UpdatedAssociate", wh.UpdatedAssociate)
	w.str("ErrorsEmail", wh.ErrorsEmail)
	w.close(name)
}

// writeSOAPStrings writes an ArrayOfstring; nil is xsi:nil.
func writeSOAPStrings(w *soapWriter, name string, items []string) {
	if items == nil {
		w.null(name)
		return
	}
	w.open(name)
	for _, s := range items {
		w.leaf("a:string", s)
	}
	w.close(name)
}

// writeSOAPStringDictionary writes a StringDictionary, keys sorted; nil is
// xsi:nil.
func writeSOAPStringDictionary(w *soapWriter, name string, m map[string]string) {
	if m == nil {
		w.null(name)
		return
	}
	w.open(name)
	for _, k := range sortedKeys(m) {
		w.open("StringKeyValuePair")
		w.leaf("Key", k)
		w.leaf("Value", m[k])
		w.close("StringKeyValuePair")
	}
	w.close(name)
}

// writeSOAPObjectDictionary writes a StringObjectDictionary, keys sorted,
// each Value typed with xsi:type; nil is xsi:nil.
func writeSOAPObjectDictionary(w *soapWriter, name string, m map[string]any) {
	if m == nil {
		w.null(name)
		return
	}
	w.open(name)
	for _, k := range sortedKeys(m) {
		w.open("StringObjectKeyValuePair")
		w.leaf("Key", k)
		writeSOAPValue(w, "Value", m[k])
		w.close("StringObjectKeyValuePair")
	}
	w.close(name)
}

// writeSOAPValue writes one xs:anyType value with the xsi:type that lets a
// client read it back as the same Go type (string, int, bool, float64, …).
func writeSOAPValue(w *soapWriter, name string, v any) {
	switch v := v.(type) {
	case nil:
		w.null(name)
	case string:
		w.leaf(name, v, "xsi:type", "xs:string")
	case bool:
		w.leaf(name, strconv.FormatBool(v), "xsi:type", "xs:boolean")
	case int:
		writeSOAPInt(w, name, int64(v))
	case int8:
		writeSOAPInt(w, name, int64(v))
	case int16:
		writeSOAPInt(w, name, int64(v))
	case int32:
		writeSOAPInt(w, name, int64(v))
	case int64:
		writeSOAPInt(w, name, v)
	case uint8:
		writeSOAPInt(w, name, int64(v))
	case uint16:
		writeSOAPInt(w, name, int64(v))
	case uint32:
		writeSOAPInt(w, name, int64(v))
	case uint:
		writeSOAPUint(w, name, uint64(v))
	case uint64:
		writeSOAPUint(w, name, v)
	case float32:
		w.leaf(name, formatSOAPDouble(float64(v)), "xsi:type", "xs:double")
	case float64:
		w.leaf(name, formatSOAPDouble(v), "xsi:type", "xs:double")
	case json.Number:
		if i, err := v.Int64(); err == nil {
			writeSOAPInt(w, name, i)
		} else {
			w.leaf(name, v.String(), "xsi:type", "xs:double")
		}
	case time.Time:
		w.leaf(name, FormatTime(v), "xsi:type", "xs:dateTime")
	case []string:
		w.open(name, "xsi:type", "a:ArrayOfstring")
		for _, s := range v {
			w.leaf("a:string", s)
		}
		w.close(name)
	case []any:
		w.open(name, "xsi:type", "a:ArrayOfanyType")
		for _, item := range v {
			writeSOAPValue(w, "a:anyType", item)
		}
		w.close(name)
	case map[string]string:
		w.open(name, "xsi:type", "tns:StringDictionary")
		for _, k := range sortedKeys(v) {
			w.open("StringKeyValuePair")
			w.leaf("Key", k)
			w.leaf("Value", v[k])
			w.close("StringKeyValuePair")
		}
		w.close(name)
	case map[string]any:
		w.open(name, "xsi:type", "tns:StringObjectDictionary")
		for _, k := range sortedKeys(v) {
			w.open("StringObjectKeyValuePair")
			w.leaf("Key", k)
			writeSOAPValue(w, "Value", v[k])
			w.close("StringObjectKeyValuePair")
		}
		w.close(name)
	default:
		w.leaf(name, fmt.Sprint(v), "xsi:type", "xs:string")
	}
}

// writeSOAPInt writes an integer as xs:int when it fits, else xs:long.
func writeSOAPInt(w *soapWriter, name string, i int64) {
	typ := "xs:int"
	if i < math.MinInt32 || i > math.MaxInt32 {
		typ = "xs:long"
	}
	w.leaf(name, strconv.FormatInt(i, 10), "xsi:type", typ)
}

// writeSOAPUint writes an unsigned integer, as xs:unsignedLong when it does
// not fit xs:long.
func writeSOAPUint(w *soapWriter, name string, u uint64) {
	if u <= math.MaxInt64 {
		writeSOAPInt(w, name, int64(u))
		return
	}
	w.leaf(name, strconv.FormatUint(u, 10), "xsi:type", "xs:unsignedLong")
}

// formatSOAPDouble renders f in the xs:double lexical space.
func formatSOAPDouble(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "INF"
	case math.IsInf(f, -1):
		return "-INF"
	}
	return strconv.FormatFloat(f, 'G', -1, 64)
}

// writeSOAPAssociate writes an Associate (spec §1.5): the Carrier fields
// first, then the Associate sequence; a nil associate is xsi:nil.
func writeSOAPAssociate(w *soapWriter, name string, a *Associate) {
	if a == nil {
		w.null(name)
		return
	}
	userType := a.Type
	if userType == "" {
		userType = "Unknown"
	}
	w.open(name)
	w.null("TableRight")
	w.null("FieldProperties")
	w.leaf("AssociateId", strconv.FormatInt(int64(a.AssociateID), 10))
	w.str("Name", a.Name)
	w.leaf("PersonId", strconv.FormatInt(int64(a.PersonID), 10))
	w.leaf("Rank", "0")
	w.null("Tooltip")
	w.leaf("Type", userType)
	w.leaf("GroupIdx", "0")
	w.str("FullName", a.FullName)
	w.null("FormalName")
	w.leaf("Deleted", "false")
	w.leaf("EjUserId", "0")
	w.str("UserName", a.UserName)
	w.null("ExtraFields")
	w.null("CustomFields")
	w.close(name)
}

// writeSOAPWebhookResult writes a WebhookResult (spec §1.6); an empty
// Message is nil, as in the REST answer.
func writeSOAPWebhookResult(w *soapWriter, name string, r WebhookResult) {
	w.open(name)
	w.null("TableRight")
	w.null("FieldProperties")
	w.leaf("Success", strconv.FormatBool(r.Success))
	w.str("Message", r.Message)
	w.close(name)
}

// sortedKeys returns the keys of m in order, so output is deterministic.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// decodeSOAPWebhook reads a Webhook element. Absent and nil fields are the
// model's null; server-owned fields (dates, associates) are read too, and
// the core decides whether to keep them (spec §9 #27).
func decodeSOAPWebhook(n *soapNode) (Webhook, error) {
	var wh Webhook
	var err error
	if wh.WebhookID, err = soapChildInt32(n, "WebhookId"); err != nil {
		return Webhook{}, err
	}
	wh.Name = soapChildString(n, "Name")
	if wh.Events, err = decodeSOAPStrings(n.child("Events")); err != nil {
		return Webhook{}, fmt.Errorf("Events: %w", err)
	}
	wh.TargetURL = soapChildString(n, "TargetUrl")
	wh.Secret = soapChildString(n, "Secret")
	if wh.State, err = soapChildState(n, "State"); err != nil {
		return Webhook{}, err
	}
	wh.Type = soapChildString(n, "Type")
	if wh.Headers, err = decodeSOAPStringDictionary(n.child("Headers")); err != nil {
		return Webhook{}, fmt.Errorf("Headers: %w", err)
	}
	if wh.Properties, err = decodeSOAPObjectDictionary(n.child("Properties")); err != nil {
		return Webhook{}, fmt.Errorf("Properties: %w", err)
	}
	if wh.Registered, err = soapChildTime(n, "Registered"); err != nil {
		return Webhook{}, err
	}
	if wh.RegisteredAssociate, err = decodeSOAPAssociate(n.child("RegisteredAssociate")); err != nil {
		return Webhook{}, fmt.Errorf("RegisteredAssociate: %w", err)
	}
	if wh.Updated, err = soapChildTime(n, "Updated"); err != nil {
		return Webhook{}, err
	}
	if wh.UpdatedAssociate, err = decodeSOAPAssociate(n.child("UpdatedAssociate")); err != nil {
		return Webhook{}, fmt.Errorf("UpdatedAssociate: %w", err)
	}
	wh.ErrorsEmail = soapChildString(n, "ErrorsEmail")
	return wh, nil
}

// decodeSOAPAssociate reads the Associate fields the model keeps.
func decodeSOAPAssociate(n *soapNode) (*Associate, error) {
	if n == nil || n.isNil() {
		return nil, nil
	}
	var a Associate
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
			return nil, fmt.Errorf("%q is not a valid xs:%s", text, typ.Local)
		}
		return int(i), nil
	case "boolean":
		switch trimmed {
		case "true", "1":
			return true, nil
		case "false", "0":
			return false, nil
		}
		return nil, fmt.Errorf("%q is not a valid xs:boolean", text)
	case "double", "float", "decimal":
		f, err := strconv.ParseFloat(trimmed, 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, fmt.Errorf("%q is not a finite xs:%s", text, typ.Local)
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
		return 0, fmt.Errorf("%s: %q is not a valid xs:int", local, c.Text)
	}
	return int32(i), nil
}

// soapChildState returns n's child local as a WebhookState, by name or
// number (spec §9 #1); absent or nil is Unknown.
func soapChildState(n *soapNode, local string) (State, error) {
	c := n.child(local)
	if c == nil || c.isNil() {
		return StateUnknown, nil
	}
	s, err := ParseState(c.Text)
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
	for _, layout := range []string{time.RFC3339Nano, TimeFormat} {
		if t, err := time.Parse(layout, v); err == nil {
			if t.Equal(time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)) {
				return time.Time{}, nil
			}
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("%s: %q is not a valid xs:dateTime", local, c.Text)
}
