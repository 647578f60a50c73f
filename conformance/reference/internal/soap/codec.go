package soap

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/hookcheck/hookcheck/conformance/reference"
	"github.com/hookcheck/hookcheck/conformance/reference/internal/wire"
)

// This file maps the core model (model.go) to and from the SOAP wire:
// the WSDL sequence of Webhook (spec §1.1), Associate (§1.5), WebhookResult
// (§1.6), StringDictionary, StringObjectDictionary and ArrayOfstring.
// Element names are matched by local name on input, so a client that gets a
// child namespace wrong is still understood; output is always qualified.

// writeSOAPWebhook writes wh as element name, fields in WSDL order.
func writeSOAPWebhook(w *soapWriter, name string, wh reference.Webhook) {
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
	if f := wh.V121; f != nil {
		// The v12.1 members (spec §1.8), only when the service has them.
		writeSOAPStrings(w, "ErrorEmails", append([]string{}, f.ErrorEmails...))
		w.str("Description", f.Description)
		w.leaf("NotifyVia", f.NotifyVia.String())
		w.leaf("NotifyWhen", strings.ReplaceAll(f.NotifyWhen.String(), ", ", " "))
		w.leaf("TotalCalls", strconv.FormatInt(f.TotalCalls, 10))
		w.leaf("TotalErrors", strconv.FormatInt(f.TotalErrors, 10))
		w.leaf("ConsecutiveErrors", strconv.FormatInt(f.ConsecutiveErrors, 10))
		w.str("LastError", f.LastError)
	}
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
	for _, k := range wire.SortedKeys(m) {
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
	for _, k := range wire.SortedKeys(m) {
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
		w.leaf(name, reference.FormatTime(v), "xsi:type", "xs:dateTime")
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
		for _, k := range wire.SortedKeys(v) {
			w.open("StringKeyValuePair")
			w.leaf("Key", k)
			w.leaf("Value", v[k])
			w.close("StringKeyValuePair")
		}
		w.close(name)
	case map[string]any:
		w.open(name, "xsi:type", "tns:StringObjectDictionary")
		for _, k := range wire.SortedKeys(v) {
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
func writeSOAPAssociate(w *soapWriter, name string, a *reference.Associate) {
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
func writeSOAPWebhookResult(w *soapWriter, name string, r reference.WebhookResult) {
	w.open(name)
	w.null("TableRight")
	w.null("FieldProperties")
	w.leaf("Success", strconv.FormatBool(r.Success))
	w.str("Message", r.Message)
	w.close(name)
}
