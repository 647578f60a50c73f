package wire

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/hookcheck/hookcheck/conformance/reference"
)

// This file maps the model (Webhook, Associate, WebhookResult) to and from
// the tree, in the exact field order of spec §1.1/§1.2/§1.5/§1.6.

// webhookToWire builds the JSON/XML record of w in the field order of spec
// §1.1/§1.2 in the StandardWireFormat; empty strings, nil slices and nil
// maps are null.
func webhookToWire(w *reference.Webhook) *Object {
	return FromWebhook(w, reference.StandardWireFormat{})
}

// FromWebhook is webhookToWire with State and the dates spelled by f.
func FromWebhook(w *reference.Webhook, f reference.WireFormat) *Object {
	o := NewRecord(15)
	o.Add("WebhookId", int64(w.WebhookID))
	o.Add("Name", nullString(w.Name))
	if w.Events == nil {
		o.Add("Events", nil)
	} else {
		o.Add("Events", FromPlain(w.Events))
	}
	o.Add("TargetUrl", nullString(w.TargetURL))
	o.Add("Secret", nullString(w.Secret))
	o.Add("State", f.State(w.State))
	o.Add("Type", nullString(w.Type))
	if w.Headers == nil {
		o.Add("Headers", nil)
	} else {
		o.Add("Headers", FromPlain(w.Headers))
	}
	if w.Properties == nil {
		o.Add("Properties", nil)
	} else {
		o.Add("Properties", FromPlain(w.Properties))
	}
	o.Add("Registered", f.Time(w.Registered))
	o.Add("RegisteredAssociate", associateToWire(w.RegisteredAssociate))
	o.Add("Updated", f.Time(w.Updated))
	o.Add("UpdatedAssociate", associateToWire(w.UpdatedAssociate))
	o.Add("ErrorsEmail", nullString(w.ErrorsEmail))
	addV121(o, w)
	return o
}

// nullString returns nil for "" and s otherwise.
func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// associateToWire builds the Associate record (spec §1.5); nil is null.
// Fields the core does not keep get their defaults.
func associateToWire(a *reference.Associate) any {
	if a == nil {
		return nil
	}
	typ := a.Type
	if typ == "" {
		typ = "Unknown"
	}
	o := NewRecord(16)
	o.Add("AssociateId", int64(a.AssociateID))
	o.Add("Name", nullString(a.Name))
	o.Add("PersonId", int64(a.PersonID))
	o.Add("Rank", int64(0))
	o.Add("Tooltip", nil)
	o.Add("Type", typ)
	o.Add("GroupIdx", int64(0))
	o.Add("FullName", nullString(a.FullName))
	o.Add("FormalName", nil)
	o.Add("Deleted", false)
	o.Add("EjUserId", int64(0))
	o.Add("UserName", nullString(a.UserName))
	o.Add("ExtraFields", nil)
	o.Add("CustomFields", nil)
	o.Add("TableRight", nil)
	o.Add("FieldProperties", nil)
	return o
}

// FromResult builds the WebhookResult record (spec §1.6).
func FromResult(r reference.WebhookResult) *Object {
	o := NewRecord(4)
	o.Add("Success", r.Success)
	o.Add("Message", nullString(r.Message))
	o.Add("TableRight", nil)
	o.Add("FieldProperties", nil)
	return o
}

// ToWebhook decodes a Webhook from a parsed request body. Property
// names match case-insensitively (PascalCase and camelCase clients), State
// may be a name or a number, unknown properties are ignored and, for
// duplicated properties, the last one wins. A value of the wrong type is a
// KindInvalid error.
func ToWebhook(v any) (reference.Webhook, error) {
	var w reference.Webhook
	obj, ok := v.(*Object)
	if !ok {
		return w, reference.Errorf(reference.KindInvalid, ErrTypeSerialization, "a Webhook must be a JSON object, not %s", KindOf(v))
	}
	for i, key := range obj.Keys {
		val := obj.Values[i]
		var err error
		switch strings.ToLower(key) {
		case "webhookid":
			if val == nil {
				w.WebhookID = 0
			} else {
				w.WebhookID, err = Int32(val, "WebhookId")
			}
		case "name":
			w.Name, err = String(val, "Name")
		case "events":
			w.Events, err = Strings(val, "Events")
		case "targeturl":
			w.TargetURL, err = String(val, "TargetUrl")
		case "secret":
			w.Secret, err = String(val, "Secret")
		case "state":
			w.State, err = StateValue(val, "State")
		case "type":
			w.Type, err = String(val, "Type")
		case "headers":
			w.Headers, err = StringMap(val, "Headers")
		case "properties":
			w.Properties, err = AnyMap(val, "Properties")
		case "registered":
			w.Registered, err = Time(val, "Registered")
		case "registeredassociate":
			w.RegisteredAssociate, err = associateFromWire(val, "RegisteredAssociate")
		case "updated":
			w.Updated, err = Time(val, "Updated")
		case "updatedassociate":
			w.UpdatedAssociate, err = associateFromWire(val, "UpdatedAssociate")
		case "errorsemail":
			w.ErrorsEmail, err = String(val, "ErrorsEmail")
		default:
			_, err = v121Member(&w, strings.ToLower(key), val)
		}
		if err != nil {
			return reference.Webhook{}, err
		}
	}
	return w, nil
}

// Strings reads an array of strings or null.
func Strings(v any, name string) ([]string, error) {
	switch t := v.(type) {
	case nil:
		return nil, nil
	case []any:
		out := make([]string, len(t))
		for i, e := range t {
			s, ok := e.(string)
			if !ok {
				return nil, reference.Errorf(reference.KindInvalid, ErrTypeSerialization, "%s[%d] must be a string, not %s", name, i, KindOf(e))
			}
			out[i] = s
		}
		return out, nil
	}
	return nil, reference.Errorf(reference.KindInvalid, ErrTypeSerialization, "%s must be an array of strings or null, not %s", name, KindOf(v))
}

// StringMap reads an object of string values or null. Numbers and
// booleans are taken as their text, as NetServer's serializer does.
func StringMap(v any, name string) (map[string]string, error) {
	switch t := v.(type) {
	case nil:
		return nil, nil
	case *Object:
		m := make(map[string]string, len(t.Keys))
		for i, k := range t.Keys {
			switch e := t.Values[i].(type) {
			case string:
				m[k] = e
			case json.Number:
				m[k] = string(e)
			case bool:
				m[k] = strconv.FormatBool(e)
			case nil:
				m[k] = ""
			default:
				return nil, reference.Errorf(reference.KindInvalid, ErrTypeSerialization, "%s[%q] must be a string, not %s", name, k, KindOf(e))
			}
		}
		return m, nil
	}
	return nil, reference.Errorf(reference.KindInvalid, ErrTypeSerialization, "%s must be an object or null, not %s", name, KindOf(v))
}

// AnyMap reads an object of any values or null into plain Go values.
func AnyMap(v any, name string) (map[string]any, error) {
	switch t := v.(type) {
	case nil:
		return nil, nil
	case *Object:
		p, err := ToPlain(t)
		if err != nil {
			return nil, err
		}
		m, _ := p.(map[string]any)
		return m, nil
	}
	return nil, reference.Errorf(reference.KindInvalid, ErrTypeSerialization, "%s must be an object or null, not %s", name, KindOf(v))
}

// associateFromWire reads an Associate object or null.
func associateFromWire(v any, name string) (*reference.Associate, error) {
	if v == nil {
		return nil, nil
	}
	obj, ok := v.(*Object)
	if !ok {
		return nil, reference.Errorf(reference.KindInvalid, ErrTypeSerialization, "%s must be an object or null, not %s", name, KindOf(v))
	}
	a := &reference.Associate{}
	for i, key := range obj.Keys {
		val := obj.Values[i]
		var err error
		switch strings.ToLower(key) {
		case "associateid":
			if val != nil {
				a.AssociateID, err = Int32(val, name+".AssociateId")
			}
		case "name":
			a.Name, err = String(val, name+".Name")
		case "personid":
			if val != nil {
				a.PersonID, err = Int32(val, name+".PersonId")
			}
		case "fullname":
			a.FullName, err = String(val, name+".FullName")
		case "username":
			a.UserName, err = String(val, name+".UserName")
		case "type":
			a.Type, err = String(val, name+".Type")
		}
		if err != nil {
			return nil, err
		}
	}
	return a, nil
}
