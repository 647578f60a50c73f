package wire_test

import (
	"bytes"
	"encoding/json"
	"testing"
	"unicode/utf8"

	"github.com/hookcheck/hookcheck/conformance/reference"
	"github.com/hookcheck/hookcheck/conformance/reference/internal/reftest"
	"github.com/hookcheck/hookcheck/conformance/reference/internal/wire"
)

// Fuzz targets of the REST/Agents codecs. They assert that no input
// panics, that every accepted input gives valid output, and that the work
// is bounded: the output never grows beyond a small multiple of the input.

// feFuzzPatchSeeds are realistic PATCH bodies.
var feFuzzPatchSeeds = []string{
	`[{"op":"replace","path":"/Name","value":"renamed"}]`,
	`[{"op":"add","path":"/Events/-","value":"sale.created"},{"op":"remove","path":"/Events/0"}]`,
	`[{"op":"test","path":"/State","value":"Active"},{"op":"replace","path":"state","value":2}]`,
	`[{"op":"add","path":"/Headers/X-Foo","value":"1"},{"op":"remove","path":"/Properties/p"}]`,
	`[{"op":"add","path":"/Properties/o","value":{"a":[1,2,{"b":null}]}},{"op":"add","path":"/Properties/o/a/-","value":3}]`,
	`[{"op":"move","from":"/Name","path":"/Secret"}]`,
	`[{"op":"test","path":"/Name","value":"nope"}]`,
	`{"Name":"merged","Secret":null,"Headers":{"X-Foo":null,"X-New":"n"}}`,
	`{"properties":{"nested":{"a":null,"c":3}},"events":["a.b"],"state":"stopped"}`,
	`{}`, `[]`, `null`, `"x"`, `[{"op":"add","path":"/Events/99","value":"x"}]`,
	`[{"op":"add","path":"/Properties/a~1b","value":1e308},{"op":"replace","path":"/WebhookId","value":-1}]`,
}

// FuzzJSONPatch applies arbitrary PATCH bodies to a realistic webhook.
func FuzzJSONPatch(f *testing.F) {
	for _, s := range feFuzzPatchSeeds {
		f.Add([]byte(s))
	}
	base := reference.Webhook{
		WebhookID:  9,
		Name:       "hook",
		Events:     []string{"contact.created", "contact.deleted"},
		TargetURL:  "https://example.com/a",
		State:      reference.StateActive,
		Type:       "webhook",
		Headers:    map[string]string{"X-Foo": "1"},
		Properties: map[string]any{"p": "v", "nested": map[string]any{"a": int64(1)}},
	}
	baseLen := len(wire.EncodeWebhookJSONForTest(base))
	f.Fuzz(func(t *testing.T, body []byte) {
		if len(body) > 1<<20 {
			t.Skip("bodies above the 1 MiB request limit never reach the patcher")
		}
		got, err := wire.ApplyPatchForTest(base, body)
		if err != nil {
			// A blank body is refused before parsing (400 in the handler).
			if k := reftest.Kind(err); k != reference.KindInvalid && k != reference.KindConflict && len(bytes.TrimSpace(body)) > 0 {
				t.Fatalf("error of kind %d (want Invalid or Conflict): %v", k, err)
			}
			return
		}
		if got.WebhookID != base.WebhookID {
			t.Fatalf("the patch changed the id to %d", got.WebhookID)
		}
		out := wire.EncodeWebhookJSONForTest(got)
		if !json.Valid(out) || !utf8.Valid(out) {
			t.Fatalf("invalid output %q", out)
		}
		if limit := baseLen + 2*len(body) + 1024; len(out) > limit {
			t.Fatalf("output of %d bytes from a %d-byte patch (limit %d)", len(out), len(body), limit)
		}
	})
}

// feFuzzWebhookSeeds are realistic Webhook bodies, PascalCase and camelCase.
var feFuzzWebhookSeeds = []string{
	`{"WebhookId":0,"Name":null,"Events":["contact.created","contact.deleted"],"TargetUrl":null,"Secret":null,"State":"Active","Type":"webhook","Headers":null,"Properties":null,"Registered":"0001-01-01T00:00:00","RegisteredAssociate":null,"Updated":"0001-01-01T00:00:00","UpdatedAssociate":null,"ErrorsEmail":null}`,
	`{"WebhookId":782,"Name":"Treutel-Christiansen","Events":["aliquam","possimus"],"TargetUrl":"http://www.example.com/","Secret":"eos","State":"Active","Type":"labore","Headers":{"Headers1":"sed","Headers2":"rerum"},"Properties":{"fieldName":{}},"Registered":"2000-09-03T03:24:48.5966823+02:00","RegisteredAssociate":null,"Updated":"2002-09-09T03:24:48.5966823+02:00","UpdatedAssociate":null,"ErrorsEmail":"arthur@schumm.uk"}`,
	`{"webhookId":1,"name":"n","events":["a.b"],"targetUrl":"https://t","state":2,"type":"crmscript","headers":{"h":"v"},"properties":{"n":1.5,"b":true,"l":[1,"x",null]}}`,
	`{"RegisteredAssociate":{"AssociateId":429,"Name":"Farrell","PersonId":642,"Rank":482,"Tooltip":"earum","Type":"AnonymousAssociate","GroupIdx":907,"FullName":"Weston Pagac","FormalName":"O","Deleted":false,"EjUserId":11,"UserName":"Paucek LLC"}}`,
	`{"State":"toomanyerrors","WebhookId":"12","Events":[]}`,
	`[]`, `{}`, `null`, `{"Name":"\u2028\u0000\ud83d\ude00"}`, `{"Properties":{"x":12345678901234567890}}`,
}

// FuzzWebhookJSON decodes arbitrary Webhook bodies and checks that what is
// accepted re-encodes to valid JSON that decodes to the same entity.
func FuzzWebhookJSON(f *testing.F) {
	for _, s := range feFuzzWebhookSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		if len(body) > 1<<20 {
			t.Skip("bodies above the 1 MiB request limit are refused before decoding")
		}
		w, err := wire.DecodeWebhookJSONForTest(body)
		if err != nil {
			if k := reftest.Kind(err); k != reference.KindInvalid && len(bytes.TrimSpace(body)) > 0 {
				t.Fatalf("error of kind %d (want Invalid): %v", k, err)
			}
			return
		}
		first := wire.EncodeWebhookJSONForTest(w)
		if !json.Valid(first) || !utf8.Valid(first) {
			t.Fatalf("invalid output %q", first)
		}
		if limit := 2*len(body) + 4096; len(first) > limit {
			t.Fatalf("output of %d bytes from a %d-byte body (limit %d)", len(first), len(body), limit)
		}
		again, err := wire.DecodeWebhookJSONForTest(first)
		if err != nil {
			t.Fatalf("re-decoding our own output %q: %v", first, err)
		}
		if second := wire.EncodeWebhookJSONForTest(again); !bytes.Equal(first, second) {
			t.Fatalf("encoding is not stable:\n%s\n%s", first, second)
		}
	})
}

// FuzzParseBodies checks that the XML and form body readers never panic
// and that what they accept decodes to a Webhook or a clean error.
func FuzzParseBodies(f *testing.F) {
	for _, s := range []string{
		`<Webhook><WebhookId>0</WebhookId><Name>n</Name><Events><string>a.b</string></Events><Headers><StringKeyValuePair><Key>X</Key><Value>1</Value></StringKeyValuePair></Headers></Webhook>`,
		`<Webhook i:nil="true" xmlns:i="http://www.w3.org/2001/XMLSchema-instance"/>`,
		`<Webhook><Properties><StringObjectKeyValuePair><Key>k</Key><Value><a>1</a></Value></StringObjectKeyValuePair></Properties></Webhook>`,
		`Name=n&Events=a.b,c.d&Events=e.f&Headers[X-A]=1&Properties.p=2&WebhookId=0`,
		`a=1&a=2&%zz`, ``, `<`, `<a><b/><b/></a>`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, mt := range []string{"application/xml", "application/x-www-form-urlencoded"} {
			tree, err := wire.ParseBody(mt, data, wire.DefaultLimits)
			if err != nil {
				continue
			}
			_, _ = wire.ToWebhook(tree)
		}
	})
}
