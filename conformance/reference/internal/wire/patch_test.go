package wire_test

import (
	"fmt"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/conformance/reference"
	"github.com/hookcheck/hookcheck/conformance/reference/internal/httpapi"
	"github.com/hookcheck/hookcheck/conformance/reference/internal/reftest"
	"github.com/hookcheck/hookcheck/conformance/reference/internal/wire"
)

// fePatchBase is the webhook the PATCH unit tests start from.
func fePatchBase() reference.Webhook {
	return reference.Webhook{
		WebhookID:  9,
		Name:       "hook",
		Events:     []string{"contact.created", "contact.deleted"},
		TargetURL:  "https://example.com/a",
		State:      reference.StateActive,
		Type:       "webhook",
		Headers:    map[string]string{"X-Foo": "1"},
		Properties: map[string]any{"p": "v", "nested": map[string]any{"a": int64(1), "b": int64(2)}},
		Registered: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC),
		Updated:    time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC),
	}
}

// fePatch applies body to fePatchBase.
func fePatch(body string) (reference.Webhook, error) {
	return wire.ApplyPatchForTest(fePatchBase(), []byte(body))
}

var _ = Describe("PATCH (patch.go)", func() {
	Describe("JSON Patch", func() {
		It("replaces, adds and removes with case-insensitive paths and an optional leading slash", func() {
			w, err := fePatch(`[
				{"op":"replace","path":"/name","value":"renamed"},
				{"op":"replace","path":"TargetUrl","value":"https://example.com/b"},
				{"op":"add","path":"/SECRET","value":"k"},
				{"op":"remove","path":"/Headers"},
				{"op":"replace","path":"state","value":"stopped"},
				{"op":"add","path":"/errorsemail","value":"e@x"}]`)
			Expect(err).NotTo(HaveOccurred())
			Expect(w.Name).To(Equal("renamed"))
			Expect(w.TargetURL).To(Equal("https://example.com/b"))
			Expect(w.Secret).To(Equal("k"))
			Expect(w.Headers).To(BeNil())
			Expect(w.State).To(Equal(reference.StateStopped))
			Expect(w.ErrorsEmail).To(Equal("e@x"))
		})

		It("edits Events by index and appends with -", func() {
			w, err := fePatch(`[
				{"op":"add","path":"/Events/-","value":"sale.created"},
				{"op":"add","path":"/Events/0","value":"person.created"},
				{"op":"replace","path":"/events/1","value":"contact.changed"},
				{"op":"remove","path":"/Events/3"}]`)
			Expect(err).NotTo(HaveOccurred())
			Expect(w.Events).To(Equal([]string{"person.created", "contact.changed", "contact.deleted"}))
		})

		It("edits Headers and Properties members", func() {
			w, err := fePatch(`[
				{"op":"add","path":"/Headers/X-Bar","value":"2"},
				{"op":"replace","path":"/headers/x-foo","value":"one"},
				{"op":"add","path":"/Properties/n","value":5},
				{"op":"remove","path":"/Properties/p"},
				{"op":"replace","path":"/Properties/nested/a","value":{"deep":true}},
				{"op":"test","path":"/Properties/nested/b","value":2.0}]`)
			Expect(err).NotTo(HaveOccurred())
			Expect(w.Headers).To(Equal(map[string]string{"X-Foo": "one", "X-Bar": "2"}))
			Expect(w.Properties).To(Equal(map[string]any{"n": int64(5), "nested": map[string]any{"a": map[string]any{"deep": true}, "b": int64(2)}}))
		})

		It("creates Headers, Properties and Events when they are null", func() {
			base := reference.Webhook{WebhookID: 1}
			w, err := wire.ApplyPatchForTest(base, []byte(`[
				{"op":"add","path":"/Headers/X-Foo","value":"1"},
				{"op":"add","path":"/Properties/k","value":[1,"2"]},
				{"op":"add","path":"/Events/-","value":"a.b"}]`))
			Expect(err).NotTo(HaveOccurred())
			Expect(w.Headers).To(Equal(map[string]string{"X-Foo": "1"}))
			Expect(w.Properties).To(Equal(map[string]any{"k": []any{int64(1), "2"}}))
			Expect(w.Events).To(Equal([]string{"a.b"}))
		})

		It("passes test operations that match, comparing State as a state", func() {
			_, err := fePatch(`[
				{"op":"test","path":"/Name","value":"hook"},
				{"op":"test","path":"/State","value":"ACTIVE"},
				{"op":"test","path":"/State","value":1},
				{"op":"test","path":"/Secret","value":null},
				{"op":"test","path":"/Events","value":["contact.created","contact.deleted"]},
				{"op":"test","path":"/Headers","value":{"X-Foo":"1"}},
				{"op":"test","path":"/WebhookId","value":9}]`)
			Expect(err).NotTo(HaveOccurred())
		})

		DescribeTable("fails a test with KindConflict and changes nothing",
			func(op string) {
				base := fePatchBase()
				_, err := wire.ApplyPatchForTest(base, []byte(`[{"op":"replace","path":"/Name","value":"changed"},`+op+`]`))
				Expect(err).To(HaveOccurred())
				Expect(reftest.Kind(err)).To(Equal(reference.KindConflict))
				Expect(httpapi.ErrorStatus(err)).To(Equal(409))
				Expect(base.Name).To(Equal("hook"))
			},
			Entry("different string", `{"op":"test","path":"/Name","value":"HOOK"}`),
			Entry("different state", `{"op":"test","path":"/State","value":"Stopped"}`),
			Entry("missing member", `{"op":"test","path":"/Headers/X-Missing","value":"1"}`),
			Entry("index out of range", `{"op":"test","path":"/Events/5","value":"x"}`),
			Entry("type mismatch", `{"op":"test","path":"/WebhookId","value":"9"}`),
		)

		DescribeTable("refuses bad operations with KindInvalid (400)",
			func(body, fragment string) {
				_, err := fePatch(body)
				Expect(err).To(HaveOccurred())
				Expect(reftest.Kind(err)).To(Equal(reference.KindInvalid))
				Expect(httpapi.ErrorStatus(err)).To(Equal(400))
				Expect(err.Error()).To(ContainSubstring(fragment))
			},
			Entry("move", `[{"op":"move","from":"/Name","path":"/Secret"}]`, "not supported"),
			Entry("copy", `[{"op":"copy","from":"/Name","path":"/Secret"}]`, "not supported"),
			Entry("unknown op", `[{"op":"frobnicate","path":"/Name"}]`, "unknown operation"),
			Entry("no op", `[{"path":"/Name","value":"x"}]`, `"op"`),
			Entry("no path", `[{"op":"add","value":"x"}]`, `"path"`),
			Entry("no value", `[{"op":"replace","path":"/Name"}]`, `"value"`),
			Entry("root path", `[{"op":"replace","path":"/","value":{}}]`, "whole entity"),
			Entry("unknown property", `[{"op":"replace","path":"/Bogus","value":1}]`, "Bogus"),
			Entry("replace missing header", `[{"op":"replace","path":"/Headers/X-None","value":"1"}]`, "missing"),
			Entry("remove missing header", `[{"op":"remove","path":"/Headers/X-None"}]`, "missing"),
			Entry("bad index", `[{"op":"add","path":"/Events/x","value":"a"}]`, "not an array index"),
			Entry("index past end", `[{"op":"add","path":"/Events/3","value":"a"}]`, "out of range"),
			Entry("into a scalar", `[{"op":"add","path":"/Name/x","value":"a"}]`, "not found"),
			Entry("wrong value type", `[{"op":"replace","path":"/Events","value":"a.b"}]`, "Events"),
			Entry("operation not an object", `["add"]`, "must be an object"),
			Entry("body a string", `"x"`, "JSON Patch array or a Merge Patch object"),
			Entry("too many operations", "["+strings.Repeat(`{"op":"test","path":"/Name","value":"hook"},`, wire.MaxPatchOps)+`{"op":"test","path":"/Name","value":"hook"}]`, "at most"),
			Entry("path too deep", `[{"op":"add","path":"`+strings.Repeat("/a", 40)+`","value":1}]`, "deeper"),
		)

		It("never changes the id or the server-owned fields", func() {
			w, err := fePatch(`[{"op":"replace","path":"/WebhookId","value":77},{"op":"replace","path":"/Registered","value":"2030-01-01T00:00:00"},{"op":"replace","path":"/RegisteredAssociate","value":{"AssociateId":99}}]`)
			Expect(err).NotTo(HaveOccurred())
			base := fePatchBase()
			Expect(w.WebhookID).To(Equal(base.WebhookID))
			Expect(w.Registered).To(Equal(base.Registered))
			Expect(w.RegisteredAssociate).To(BeNil())
		})

		It("handles escaped pointer tokens", func() {
			w, err := fePatch(`[{"op":"add","path":"/Properties/a~1b~0c","value":1}]`)
			Expect(err).NotTo(HaveOccurred())
			Expect(w.Properties).To(HaveKeyWithValue("a/b~c", int64(1)))
		})

		It("applies the maximum number of operations quickly", func() {
			var b strings.Builder
			b.WriteString("[")
			for i := range wire.MaxPatchOps {
				if i > 0 {
					b.WriteString(",")
				}
				fmt.Fprintf(&b, `{"op":"add","path":"/Events/-","value":"e%d.x"}`, i)
			}
			b.WriteString("]")
			start := time.Now()
			w, err := fePatch(b.String())
			Expect(err).NotTo(HaveOccurred())
			Expect(w.Events).To(HaveLen(2 + wire.MaxPatchOps))
			Expect(time.Since(start)).To(BeNumerically("<", 5*time.Second))
		})
	})

	Describe("Merge Patch", func() {
		It("replaces members, removes with null and merges dictionaries", func() {
			w, err := fePatch(`{"name":"merged","Secret":null,"events":["a.b"],"headers":{"X-Foo":null,"X-New":"n"},
				"Properties":{"nested":{"a":null,"c":3},"q":{"x":null,"y":1}},"state":"TooManyErrors","Unknown":1}`)
			Expect(err).NotTo(HaveOccurred())
			Expect(w.Name).To(Equal("merged"))
			Expect(w.Secret).To(BeEmpty())
			Expect(w.Events).To(Equal([]string{"a.b"}))
			Expect(w.Headers).To(Equal(map[string]string{"X-New": "n"}))
			Expect(w.Properties).To(Equal(map[string]any{"p": "v", "nested": map[string]any{"b": int64(2), "c": int64(3)}, "q": map[string]any{"y": int64(1)}}))
			Expect(w.State).To(Equal(reference.StateTooManyErrors))
		})

		It("creates a null dictionary and removes a whole one", func() {
			base := reference.Webhook{WebhookID: 1, Headers: map[string]string{"a": "b"}}
			w, err := wire.ApplyPatchForTest(base, []byte(`{"Properties":{"k":"v","gone":null},"Headers":null}`))
			Expect(err).NotTo(HaveOccurred())
			Expect(w.Properties).To(Equal(map[string]any{"k": "v"}))
			Expect(w.Headers).To(BeNil())
		})

		It("treats {} as no change", func() {
			w, err := fePatch(`{}`)
			Expect(err).NotTo(HaveOccurred())
			Expect(w).To(Equal(fePatchBase()))
		})

		It("refuses a wrongly typed value", func() {
			_, err := fePatch(`{"Headers":{"X":{"deep":1}}}`)
			Expect(reftest.Kind(err)).To(Equal(reference.KindInvalid))
		})

		It("gives the same result when applied twice (Modify may retry)", func() {
			body := []byte(`[{"op":"add","path":"/Properties/o","value":{"a":1}},{"op":"add","path":"/Properties/o/b","value":2}]`)
			first, second, err := wire.ApplyPatchTwiceForTest(fePatchBase(), body)
			Expect(err).NotTo(HaveOccurred())
			Expect(second).To(Equal(first))
			Expect(first.Properties["o"]).To(Equal(map[string]any{"a": int64(1), "b": int64(2)}))
		})
	})
})
