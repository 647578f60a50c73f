package wire_test

import (
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/conformance/reference"
	"github.com/hookcheck/hookcheck/conformance/reference/internal/reftest"
	"github.com/hookcheck/hookcheck/conformance/reference/internal/wire"
)

var _ = Describe("XML codec (xml.go)", func() {
	It("writes a <Webhook> in the §1.1 field order with xsi:nil for null", func() {
		out := wire.EncodeWebhookXMLForTest(reference.Webhook{WebhookID: 3, Events: []string{"a.b"}, State: reference.StateActive})
		root, err := reftest.ParseXML(out)
		Expect(err).NotTo(HaveOccurred(), string(out))
		Expect(root.XMLName.Local).To(Equal("Webhook"))
		Expect(root.Names()).To(Equal(reftest.WebhookFields))
		Expect(root.Child("WebhookId").Text).To(Equal("3"))
		Expect(root.Child("Name").IsNil()).To(BeTrue())
		Expect(root.Child("Headers").IsNil()).To(BeTrue())
		Expect(root.Child("State").Text).To(Equal("Active"))
		Expect(root.Child("Events").Names()).To(Equal([]string{"string"}))
		Expect(root.Child("Events").Children[0].Text).To(Equal("a.b"))
		Expect(root.Child("Registered").Text).To(Equal("0001-01-01T00:00:00"))
	})

	It("writes dictionaries as key/value pairs and escapes text", func() {
		w := feFullWebhook()
		w.Name = `<a href="x">&amp;</a>`
		out := wire.EncodeWebhookXMLForTest(w)
		root, err := reftest.ParseXML(out)
		Expect(err).NotTo(HaveOccurred(), string(out))
		Expect(root.Child("Name").Text).To(Equal(w.Name))
		h := root.Child("Headers")
		Expect(h.Names()).To(Equal([]string{"StringKeyValuePair", "StringKeyValuePair"}))
		Expect(h.Children[0].Child("Key").Text).To(Equal("X-A"))
		Expect(h.Children[0].Child("Value").Text).To(Equal("1"))
		p := root.Child("Properties")
		Expect(p.Children).To(HaveLen(6))
		Expect(p.Children[0].XMLName.Local).To(Equal("StringObjectKeyValuePair"))
		Expect(root.Child("RegisteredAssociate").Child("AssociateId").Text).To(Equal("5"))
		Expect(root.Child("UpdatedAssociate").Child("Name").IsNil()).To(BeTrue())
	})

	It("stays well-formed with characters XML cannot carry", func() {
		out := wire.EncodeWebhookXMLForTest(reference.Webhook{Name: "a\x00b\x1bc\xff", Headers: map[string]string{"\x01": "\x02"}})
		root, err := reftest.ParseXML(out)
		Expect(err).NotTo(HaveOccurred(), string(out))
		Expect(root.Child("Name").Text).To(Equal("a\ufffdb\ufffdc\ufffd"))
	})

	It("writes lists as <ArrayOfWebhook> of <Webhook>", func() {
		out := wire.EncodeWebhookListXMLForTest([]reference.Webhook{{WebhookID: 1}, {WebhookID: 2}})
		root, err := reftest.ParseXML(out)
		Expect(err).NotTo(HaveOccurred())
		Expect(root.XMLName.Local).To(Equal("ArrayOfWebhook"))
		Expect(root.Names()).To(Equal([]string{"Webhook", "Webhook"}))
		Expect(root.Children[1].Child("WebhookId").Text).To(Equal("2"))
		empty, err := reftest.ParseXML(wire.EncodeWebhookListXMLForTest([]reference.Webhook{}))
		Expect(err).NotTo(HaveOccurred())
		Expect(empty.Children).To(BeEmpty())
		Expect(strings.TrimSpace(empty.Text)).To(BeEmpty())
	})

	DescribeTable("negotiates XML only when the client prefers it",
		func(accept string, wantXML bool) {
			Expect(wire.WantsXMLForTest(accept)).To(Equal(wantXML))
		},
		Entry("no header", "", false),
		Entry("json", "application/json", false),
		Entry("anything", "*/*", false),
		Entry("application/xml", "application/xml", true),
		Entry("text/xml", "text/xml", true),
		Entry("xml with charset", "application/xml; charset=utf-8", true),
		Entry("xml preferred by q", "application/json;q=0.5, application/xml", true),
		Entry("json preferred by q", "application/json, application/xml;q=0.9", false),
		Entry("tie goes to json", "application/xml, application/json", false),
		Entry("xml refused", "application/xml;q=0", false),
		Entry("browser-like", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", true),
		Entry("garbage", ";;;,,", false),
	)
})

var _ = Describe("$select (selectfields.go)", func() {
	w := feFullWebhook()

	It("keeps the listed properties, case-insensitively, and nulls the rest", func() {
		out, err := wire.SelectWebhookJSONForTest(w, "$select=name,EVENTS")
		Expect(err).NotTo(HaveOccurred())
		doc := string(out)
		Expect(reftest.Keys(feParse(doc))).To(Equal(reftest.WebhookFields))
		Expect(feParse(doc).Get("Name").String()).To(Equal("Contact hook"))
		Expect(feParse(doc).Get("Events.#").Int()).To(Equal(int64(2)))
		for _, f := range reftest.WebhookFields {
			if f != "Name" && f != "Events" {
				Expect(feParse(doc).Get(f).Type).To(Equal(reftest.Null), f)
			}
		}
	})

	It("matches the parameter name case-insensitively and ignores unknown names", func() {
		out, err := wire.SelectWebhookJSONForTest(w, "$Select=webhookId,%20bogus,,registeredAssociate.name")
		Expect(err).NotTo(HaveOccurred())
		Expect(feParse(string(out)).Get("WebhookId").Int()).To(Equal(int64(42)))
		Expect(feParse(string(out)).Get("RegisteredAssociate.AssociateId").Int()).To(Equal(int64(5)))
		Expect(feParse(string(out)).Get("Name").Type).To(Equal(reftest.Null))
	})

	It("selects everything when $select is absent or empty", func() {
		for _, q := range []string{"", "$select=", "$select=%20,", "other=1"} {
			out, err := wire.SelectWebhookJSONForTest(w, q)
			Expect(err).NotTo(HaveOccurred())
			Expect(out).To(Equal(wire.EncodeWebhookJSONForTest(w)), q)
		}
	})
})
