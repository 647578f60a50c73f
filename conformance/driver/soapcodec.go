package driver

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
)

// soapWriter builds the XML of a SOAP request body. Every element is
// written with the "wh" prefix, bound to the service namespace on the
// envelope.
type soapWriter struct {
	b strings.Builder
}

// elem writes <wh:name>text</wh:name>.
func (w *soapWriter) elem(name, text string) {
	fmt.Fprintf(&w.b, "<wh:%s>%s</wh:%s>", name, xmlText(text), name)
}

// open writes the start tag <wh:name>.
func (w *soapWriter) open(name string) { fmt.Fprintf(&w.b, "<wh:%s>", name) }

// close writes the end tag </wh:name>.
func (w *soapWriter) close(name string) { fmt.Fprintf(&w.b, "</wh:%s>", name) }

// webhook writes a Webhook element in WSDL order (spec §1.1); empty
// optional fields are left out.
func (w *soapWriter) webhook(name string, wh Webhook) {
	w.open(name)
	w.elem(FieldWebhookID, strconv.Itoa(int(wh.ID)))
	if wh.Name != "" {
		w.elem(FieldName, wh.Name)
	}
	if wh.Events != nil {
		w.open(FieldEvents)
		for _, e := range wh.Events {
			fmt.Fprintf(&w.b, "<arr:string>%s</arr:string>", xmlText(e))
		}
		w.close(FieldEvents)
	}
	if wh.TargetURL != "" {
		w.elem(FieldTargetURL, wh.TargetURL)
	}
	if wh.Secret != "" {
		w.elem(FieldSecret, wh.Secret)
	}
	if wh.State != "" {
		w.elem(FieldState, wh.State)
	}
	if wh.Type != "" {
		w.elem(FieldType, wh.Type)
	}
	if wh.Headers != nil {
		w.open(FieldHeaders)
		for _, k := range sortedKeys(wh.Headers) {
			w.open("StringKeyValuePair")
			w.elem("Key", k)
			w.elem("Value", wh.Headers[k])
			w.close("StringKeyValuePair")
		}
		w.close(FieldHeaders)
	}
	if wh.Properties != nil {
		w.objectDictionary(FieldProperties, wh.Properties)
	}
	if !wh.Registered.IsZero() {
		w.elem(FieldRegistered, wh.Registered.UTC().Format(time.RFC3339Nano))
	}
	if wh.RegisteredAssociate != nil {
		w.associate(FieldRegisteredAssociate, wh.RegisteredAssociate)
	}
	if !wh.Updated.IsZero() {
		w.elem(FieldUpdated, wh.Updated.UTC().Format(time.RFC3339Nano))
	}
	if wh.UpdatedAssociate != nil {
		w.associate(FieldUpdatedAssociate, wh.UpdatedAssociate)
	}
	if wh.ErrorsEmail != "" {
		w.elem(FieldErrorsEmail, wh.ErrorsEmail)
	}
	w.close(name)
}

// associate writes an Associate element.
func (w *soapWriter) associate(name string, a *Associate) {
	w.open(name)
	w.elem("AssociateId", strconv.Itoa(int(a.AssociateID)))
	if a.Name != "" {
		w.elem("Name", a.Name)
	}
	w.close(name)
}

// objectDictionary writes a StringObjectDictionary (Properties, Data)
// with xsi:type on each value.
func (w *soapWriter) objectDictionary(name string, m map[string]any) {
	w.open(name)
	for _, k := range sortedKeys(m) {
		w.open("StringObjectKeyValuePair")
		w.elem("Key", k)
		typ, text := xsiValue(m[k])
		if typ == "" {
			w.b.WriteString(`<wh:Value xsi:nil="true"/>`)
		} else {
			fmt.Fprintf(&w.b, `<wh:Value xsi:type="%s">%s</wh:Value>`, typ, xmlText(text))
		}
		w.close("StringObjectKeyValuePair")
	}
	w.close(name)
}

// xsiValue returns the xsi:type and text of a dictionary value; nil gives
// an empty type.
func xsiValue(v any) (typ, text string) {
	switch t := v.(type) {
	case nil:
		return "", ""
	case string:
		return "xsd:string", t
	case bool:
		return "xsd:boolean", strconv.FormatBool(t)
	case int:
		return "xsd:int", strconv.Itoa(t)
	case int32:
		return "xsd:int", strconv.Itoa(int(t))
	case int64:
		return "xsd:long", strconv.FormatInt(t, 10)
	case float64:
		if t == math.Trunc(t) && t >= math.MinInt32 && t <= math.MaxInt32 {
			return "xsd:int", strconv.Itoa(int(t))
		}
		return "xsd:double", strconv.FormatFloat(t, 'g', -1, 64)
	}
	return "xsd:string", fmt.Sprint(v)
}

// sortedKeys returns the keys of m in order, so requests are repeatable.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// webhookFromXML decodes a Webhook element; nil or xsi:nil gives nil.
func webhookFromXML(n *xnode) (*Webhook, error) {
	if n.isNil() {
		return nil, nil
	}
	wh := &Webhook{}
	for _, f := range Fields {
		if n.child(f).isNil() {
			wh.Nulls = append(wh.Nulls, f)
		}
	}
	if s := n.child(FieldWebhookID).value(); s != "" {
		id, err := strconv.ParseInt(s, 10, 32)
		if err != nil {
			return nil, fmt.Errorf("WebhookId %q: not an int32", s)
		}
		wh.ID = int32(id)
	}
	wh.Name = n.child(FieldName).text
	wh.TargetURL = n.child(FieldTargetURL).text
	wh.Secret = n.child(FieldSecret).text
	wh.Type = n.child(FieldType).text
	wh.ErrorsEmail = n.child(FieldErrorsEmail).text
	if st := n.child(FieldState).value(); st != "" {
		wh.State = stateName(st)
	}
	if ev := n.child(FieldEvents); !ev.isNil() {
		wh.Events = []string{}
		for _, c := range ev.children {
			wh.Events = append(wh.Events, c.text)
		}
	}
	if hd := n.child(FieldHeaders); !hd.isNil() {
		wh.Headers = map[string]string{}
		for _, kv := range hd.children {
			wh.Headers[kv.child("Key").text] = kv.child("Value").text
		}
	}
	if pr := n.child(FieldProperties); !pr.isNil() {
		props, err := objectDictionaryFromXML(pr)
		if err != nil {
			return nil, fmt.Errorf("Properties: %w", err)
		}
		wh.Properties = props
	}
	var err error
	if wh.Registered, err = xmlTime(n.child(FieldRegistered)); err != nil {
		return nil, fmt.Errorf("Registered: %w", err)
	}
	if wh.Updated, err = xmlTime(n.child(FieldUpdated)); err != nil {
		return nil, fmt.Errorf("Updated: %w", err)
	}
	wh.RegisteredAssociate = associateFromXML(n.child(FieldRegisteredAssociate))
	wh.UpdatedAssociate = associateFromXML(n.child(FieldUpdatedAssociate))
	return wh, nil
}

// xmlTime reads an xs:dateTime element; a missing or nil one is the zero time.
func xmlTime(n *xnode) (time.Time, error) {
	if n.isNil() || n.value() == "" {
		return time.Time{}, nil
	}
	return ParseTime(n.value())
}

// associateFromXML decodes an Associate element; nil gives nil.
func associateFromXML(n *xnode) *Associate {
	if n.isNil() {
		return nil
	}
	a := &Associate{Name: n.child("Name").text}
	if id, err := strconv.ParseInt(n.child("AssociateId").value(), 10, 32); err == nil {
		a.AssociateID = int32(id)
	}
	return a
}

// objectDictionaryFromXML decodes a StringObjectDictionary; typed values
// become the Go types JSON decoding gives (float64, bool, string).
func objectDictionaryFromXML(n *xnode) (map[string]any, error) {
	m := map[string]any{}
	for _, kv := range n.children {
		key := kv.child("Key").text
		v := kv.child("Value")
		if v.isNil() {
			m[key] = nil
			continue
		}
		typ := v.attrValue("type")
		if _, local, ok := strings.Cut(typ, ":"); ok {
			typ = local
		}
		switch strings.ToLower(typ) {
		case "int", "long", "short", "byte", "unsignedint", "unsignedlong", "unsignedshort", "double", "float", "decimal":
			f, err := strconv.ParseFloat(v.value(), 64)
			if err != nil {
				return nil, fmt.Errorf("value of %q: %q is not a %s", key, v.value(), typ)
			}
			m[key] = f
		case "boolean":
			m[key] = v.value() == "true" || v.value() == "1"
		default:
			m[key] = v.text
		}
	}
	return m, nil
}
