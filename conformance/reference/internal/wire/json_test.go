package wire_test

import (
	"encoding/json"
	"strings"
	"time"
	"unicode/utf8"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/tidwall/gjson"

	"github.com/hookcheck/hookcheck/conformance/reference"
	"github.com/hookcheck/hookcheck/conformance/reference/internal/reftest"
	"github.com/hookcheck/hookcheck/conformance/reference/internal/wire"
)

// feFullWebhook is a webhook with every field set.
func feFullWebhook() reference.Webhook {
	return reference.Webhook{
		WebhookID:   42,
		Name:        "Contact hook",
		Events:      []string{"contact.created", "sale.changed"},
		TargetURL:   "https://example.com/hook",
		Secret:      "s3cret",
		State:       reference.StateStopped,
		Type:        "webhook",
		Headers:     map[string]string{"X-B": "2", "X-A": "1"},
		Properties:  map[string]any{"n": int64(7), "f": 1.5, "s": "x", "b": true, "nil": nil, "o": map[string]any{"k": []any{"v", int64(1)}}},
		Registered:  time.Date(2024, 5, 14, 10, 48, 7, 891203900, time.UTC),
		Updated:     time.Date(2024, 5, 15, 8, 0, 0, 0, time.FixedZone("CEST", 2*3600)),
		ErrorsEmail: "ops@example.com",
		RegisteredAssociate: &reference.Associate{AssociateID: 5, Name: "ADM0", PersonID: 12,
			FullName: "Ada Admin", UserName: "ada", Type: "InternalAssociate"},
		UpdatedAssociate: &reference.Associate{AssociateID: 6},
	}
}

var _ = Describe("JSON codec (tree.go, json.go, values.go, webhook.go)", func() {
	Describe("encoding", func() {
		It("writes the §1.2 defaults with nulls in the §1.1 field order", func() {
			w := reference.Webhook{Events: []string{"contact.created", "contact.deleted"}, State: reference.StateActive, Type: "webhook"}
			Expect(string(wire.EncodeWebhookJSONForTest(w))).To(Equal(
				`{"WebhookId":0,"Name":null,"Events":["contact.created","contact.deleted"],"TargetUrl":null,` +
					`"Secret":null,"State":"Active","Type":"webhook","Headers":null,"Properties":null,` +
					`"Registered":"0001-01-01T00:00:00","RegisteredAssociate":null,` +
					`"Updated":"0001-01-01T00:00:00","UpdatedAssociate":null,"ErrorsEmail":null}`))
		})

		It("writes every field of a full webhook, dates through FormatTime", func() {
			w := feFullWebhook()
			out := wire.EncodeWebhookJSONForTest(w)
			Expect(json.Valid(out)).To(BeTrue())
			doc := gjson.ParseBytes(out)
			Expect(reftest.Keys(doc)).To(Equal(reftest.WebhookFields))
			Expect(doc.Get("WebhookId").Int()).To(Equal(int64(42)))
			Expect(doc.Get("State").String()).To(Equal("Stopped"))
			Expect(doc.Get("Events").Raw).To(Equal(`["contact.created","sale.changed"]`))
			Expect(doc.Get("Headers").Raw).To(Equal(`{"X-A":"1","X-B":"2"}`))
			Expect(doc.Get("Properties").Raw).To(Equal(`{"b":true,"f":1.5,"n":7,"nil":null,"o":{"k":["v",1]},"s":"x"}`))
			Expect(doc.Get("Registered").String()).To(Equal(reference.FormatTime(w.Registered)))
			Expect(doc.Get("Registered").String()).To(Equal("2024-05-14T10:48:07.8912039"))
			Expect(doc.Get("Updated").String()).To(Equal("2024-05-15T06:00:00"))
			Expect(doc.Get("ErrorsEmail").String()).To(Equal("ops@example.com"))
			ra := doc.Get("RegisteredAssociate")
			Expect(reftest.Keys(ra)).To(Equal(reftest.AssociateFields))
			Expect(ra.Get("AssociateId").Int()).To(Equal(int64(5)))
			Expect(ra.Get("Type").String()).To(Equal("InternalAssociate"))
			Expect(ra.Get("Deleted").Raw).To(Equal("false"))
			Expect(doc.Get("UpdatedAssociate.Type").String()).To(Equal("Unknown"))
			Expect(doc.Get("UpdatedAssociate.Name").Type).To(Equal(gjson.Null))
		})

		It("keeps the output valid JSON and UTF-8 whatever the strings hold", func() {
			w := reference.Webhook{Name: "a\x00b\"c\\d\u2028e\xffé<&>", Headers: map[string]string{"k\n": "\xfe"}}
			out := wire.EncodeWebhookJSONForTest(w)
			Expect(json.Valid(out)).To(BeTrue())
			Expect(utf8.Valid(out)).To(BeTrue())
			Expect(gjson.GetBytes(out, "Name").String()).To(Equal("a\x00b\"c\\d\u2028e\ufffdé<&>"))
		})
	})

	Describe("decoding", func() {
		It("accepts PascalCase, camelCase and any other casing", func() {
			for _, body := range []string{
				`{"WebhookId":3,"Name":"n","Events":["a.b"],"TargetUrl":"https://t","Secret":"s","State":"Stopped","Type":"webhook","Headers":{"H":"v"},"Properties":{"p":1},"ErrorsEmail":"e@x"}`,
				`{"webhookId":3,"name":"n","events":["a.b"],"targetUrl":"https://t","secret":"s","state":"stopped","type":"webhook","headers":{"H":"v"},"properties":{"p":1},"errorsEmail":"e@x"}`,
				`{"WEBHOOKID":3,"NAME":"n","EVENTS":["a.b"],"TARGETURL":"https://t","SECRET":"s","STATE":2,"TYPE":"webhook","HEADERS":{"H":"v"},"PROPERTIES":{"p":1},"ERRORSEMAIL":"e@x"}`,
			} {
				w, err := wire.DecodeWebhookJSONForTest([]byte(body))
				Expect(err).NotTo(HaveOccurred(), body)
				Expect(w.WebhookID).To(Equal(int32(3)))
				Expect(w.Name).To(Equal("n"))
				Expect(w.Events).To(Equal([]string{"a.b"}))
				Expect(w.TargetURL).To(Equal("https://t"))
				Expect(w.Secret).To(Equal("s"))
				Expect(w.State).To(Equal(reference.StateStopped))
				Expect(w.Type).To(Equal("webhook"))
				Expect(w.Headers).To(Equal(map[string]string{"H": "v"}))
				Expect(w.Properties).To(Equal(map[string]any{"p": int64(1)}))
				Expect(w.ErrorsEmail).To(Equal("e@x"))
			}
		})

		DescribeTable("reads State as a name (any case) or a number",
			func(raw string, want reference.State) {
				w, err := wire.DecodeWebhookJSONForTest([]byte(`{"State":` + raw + `}`))
				Expect(err).NotTo(HaveOccurred())
				Expect(w.State).To(Equal(want))
			},
			Entry("Active", `"Active"`, reference.StateActive),
			Entry("lower case", `"toomanyerrors"`, reference.StateTooManyErrors),
			Entry("number", `2`, reference.StateStopped),
			Entry("numeric string", `"3"`, reference.StateTooManyErrors),
			Entry("Unknown", `"Unknown"`, reference.StateUnknown),
			Entry("null", `null`, reference.StateUnknown),
		)

		It("ignores unknown properties and lets the last duplicate win", func() {
			w, err := wire.DecodeWebhookJSONForTest([]byte(`{"Name":"first","Bogus":{"deep":[1,2]},"_Links":{"Self":"x"},"name":"second","TableRight":null}`))
			Expect(err).NotTo(HaveOccurred())
			Expect(w.Name).To(Equal("second"))
		})

		It("reads dates, associates, null collections and numeric-string ids", func() {
			w, err := wire.DecodeWebhookJSONForTest([]byte(`{"WebhookId":"17","Events":null,"Headers":null,"Properties":null,
				"Registered":"2023-12-11T14:34:02.9327773+01:00","Updated":"2024-01-02T03:04:05",
				"RegisteredAssociate":{"AssociateId":5,"Name":"ADM0","PersonId":9,"FullName":"A B","UserName":"ab","Type":"InternalAssociate","Rank":3},
				"UpdatedAssociate":null}`))
			Expect(err).NotTo(HaveOccurred())
			Expect(w.WebhookID).To(Equal(int32(17)))
			Expect(w.Events).To(BeNil())
			Expect(w.Headers).To(BeNil())
			Expect(w.Properties).To(BeNil())
			Expect(w.Registered).To(BeTemporally("==", time.Date(2023, 12, 11, 13, 34, 2, 932777300, time.UTC)))
			Expect(w.Updated).To(BeTemporally("==", time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)))
			Expect(w.RegisteredAssociate).To(Equal(&reference.Associate{AssociateID: 5, Name: "ADM0", PersonID: 9, FullName: "A B", UserName: "ab", Type: "InternalAssociate"}))
			Expect(w.UpdatedAssociate).To(BeNil())
		})

		DescribeTable("reads DateTime.MinValue written back from a zone east of UTC as the zero time",
			func(date string) {
				// The official TypeScript client reads "0001-01-01T00:00:00"
				// as local time and sends it back in UTC (year 0 east of UTC).
				w, err := wire.DecodeWebhookJSONForTest([]byte(`{"Registered":"` + date + `","Updated":"` + date + `"}`))
				Expect(err).NotTo(HaveOccurred())
				Expect(w.Registered.IsZero()).To(BeTrue())
				Expect(w.Updated.IsZero()).To(BeTrue())
			},
			Entry("Europe/Oslo (LMT +00:53:28)", "0000-12-31T23:06:32.000Z"),
			Entry("UTC+14", "0000-12-31T10:00:00Z"),
			Entry("with its offset", "0001-01-01T00:00:00+01:00"),
			Entry("MinValue itself", "0001-01-01T00:00:00.000Z"),
		)

		It("still refuses year-0 dates more than a day before DateTime.MinValue", func() {
			_, err := wire.DecodeWebhookJSONForTest([]byte(`{"Registered":"0000-12-30T23:59:59Z"}`))
			Expect(reftest.Kind(err)).To(Equal(reference.KindInvalid))
			Expect(err.Error()).To(ContainSubstring("Registered"))
		})

		It("round-trips what it encodes", func() {
			w := feFullWebhook()
			back, err := wire.DecodeWebhookJSONForTest(wire.EncodeWebhookJSONForTest(w))
			Expect(err).NotTo(HaveOccurred())
			Expect(back.WebhookID).To(Equal(w.WebhookID))
			Expect(back.Events).To(Equal(w.Events))
			Expect(back.Headers).To(Equal(w.Headers))
			Expect(back.Properties).To(Equal(w.Properties))
			Expect(back.State).To(Equal(w.State))
			Expect(back.Registered).To(BeTemporally("==", w.Registered))
			Expect(back.Updated).To(BeTemporally("==", w.Updated))
			Expect(back.RegisteredAssociate).To(Equal(w.RegisteredAssociate))
		})

		DescribeTable("refuses wrongly typed values with KindInvalid",
			func(body, fragment string) {
				_, err := wire.DecodeWebhookJSONForTest([]byte(body))
				Expect(err).To(HaveOccurred())
				Expect(reftest.Kind(err)).To(Equal(reference.KindInvalid))
				Expect(err.Error()).To(ContainSubstring(fragment))
			},
			Entry("fractional id", `{"WebhookId":1.5}`, "WebhookId"),
			Entry("id beyond int32", `{"WebhookId":4294967296}`, "WebhookId"),
			Entry("id as object", `{"WebhookId":{}}`, "WebhookId"),
			Entry("name as number", `{"Name":5}`, "Name"),
			Entry("events as string", `{"Events":"a.b"}`, "Events"),
			Entry("event as number", `{"Events":["a.b",3]}`, "Events[1]"),
			Entry("headers as array", `{"Headers":["x"]}`, "Headers"),
			Entry("header as object", `{"Headers":{"x":{}}}`, "Headers"),
			Entry("properties as string", `{"Properties":"x"}`, "Properties"),
			Entry("state out of range", `{"State":7}`, "State"),
			Entry("state unknown name", `{"State":"Running"}`, "State"),
			Entry("date garbage", `{"Registered":"yesterday"}`, "Registered"),
			Entry("associate as string", `{"RegisteredAssociate":"x"}`, "RegisteredAssociate"),
			Entry("array body", `[]`, "object"),
			Entry("string body", `"x"`, "object"),
			Entry("number too big for properties", `{"Properties":{"x":1e999}}`, "out of range"),
		)
	})

	Describe("the bounded parser", func() {
		DescribeTable("refuses hostile documents with KindInvalid, never a crash",
			func(body []byte, fragment string) {
				_, err := wire.ParseJSONForTest(body)
				Expect(err).To(HaveOccurred())
				Expect(reftest.Kind(err)).To(Equal(reference.KindInvalid))
				Expect(err.Error()).To(ContainSubstring(fragment))
			},
			Entry("deep arrays", []byte(strings.Repeat("[", 100_000)), "nested deeper"),
			Entry("deep objects", []byte(strings.Repeat(`{"a":`, 1000)+"1"+strings.Repeat("}", 1000)), "nested deeper"),
			Entry("invalid UTF-8", []byte("{\"Name\":\"\xff\xfe\"}"), "UTF-8"),
			Entry("huge array", []byte("["+strings.Repeat("1,", 20_000)+"1]"), "more than"),
			Entry("huge object", []byte("{"+feManyMembers(20_000)+"}"), "more than"),
			Entry("too many values", []byte("["+strings.Repeat("["+strings.Repeat("1,", 29)+"1],", 4_999)+"1]"), "values"),
			Entry("trailing data", []byte(`{"a":1} {"b":2}`), "after the top-level value"),
			Entry("truncated", []byte(`{"a":[1,2`), "malformed JSON"),
			Entry("garbage", []byte(`{a:1}`), "malformed JSON"),
			Entry("NaN", []byte(`{"a":NaN}`), "malformed JSON"),
		)

		It("accepts a large but reasonable document", func() {
			out, err := wire.ParseJSONForTest([]byte(`{"Events":[` + strings.Repeat(`"a.b",`, 9_999) + `"a.b"]}`))
			Expect(err).NotTo(HaveOccurred())
			Expect(gjson.GetBytes(out, "Events.#").Int()).To(Equal(int64(10_000)))
		})

		It("reports an empty body distinctly", func() {
			_, err := wire.ParseJSONForTest([]byte("  \n"))
			Expect(err).To(MatchError(ContainSubstring("empty")))
		})
	})
})

// feManyMembers returns n comma-separated object members.
func feManyMembers(n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`"k`)
		b.WriteString(strings.Repeat("x", i%7))
		b.WriteString(`":1`)
	}
	return b.String()
}

// feParse parses a JSON text for assertions.
func feParse(s string) gjson.Result { return gjson.Parse(s) }
