package reference_test

import (
	"bytes"
	"encoding/xml"
	"io"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/conformance/reference"
)

// feXMLNode is a generic XML element for assertions.
type feXMLNode struct {
	XMLName  xml.Name
	Attrs    []xml.Attr  `xml:",any,attr"`
	Text     string      `xml:",chardata"`
	Children []feXMLNode `xml:",any"`
}

// feParseXML parses an XML document strictly.
func feParseXML(data []byte) (*feXMLNode, error) {
	var n feXMLNode
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = true
	if err := dec.Decode(&n); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, err
	}
	return &n, nil
}

// names returns the local names of n's children.
func (n *feXMLNode) names() []string {
	out := make([]string, len(n.Children))
	for i, c := range n.Children {
		out[i] = c.XMLName.Local
	}
	return out
}

// child returns the first child named local.
func (n *feXMLNode) child(local string) *feXMLNode {
	for i := range n.Children {
		if n.Children[i].XMLName.Local == local {
			return &n.Children[i]
		}
	}
	return nil
}

// isNil reports whether n carries xsi:nil="true".
func (n *feXMLNode) isNil() bool {
	for _, a := range n.Attrs {
		if a.Name.Local == "nil" && a.Name.Space == "http://www.w3.org/2001/XMLSchema-instance" && a.Value == "true" {
			return true
		}
	}
	return false
}

var _ = Describe("XML codec (xmlcodec.go)", func() {
	It("writes a <Webhook> in the §1.1 field order with xsi:nil for null", func() {
		out := reference.EncodeWebhookXMLForTest(reference.Webhook{WebhookID: 3, Events: []string{"a.b"}, State: reference.StateActive})
		root, err := feParseXML(out)
		Expect(err).NotTo(HaveOccurred(), string(out))
		Expect(root.XMLName.Local).To(Equal("Webhook"))
		Expect(root.names()).To(Equal(feWebhookFields))
		Expect(root.child("WebhookId").Text).To(Equal("3"))
		Expect(root.child("Name").isNil()).To(BeTrue())
		Expect(root.child("Headers").isNil()).To(BeTrue())
		Expect(root.child("State").Text).To(Equal("Active"))
		Expect(root.child("Events").names()).To(Equal([]string{"string"}))
		Expect(root.child("Events").Children[0].Text).To(Equal("a.b"))
		Expect(root.child("Registered").Text).To(Equal("0001-01-01T00:00:00"))
	})

	It("writes dictionaries as key/value pairs and escapes text", func() {
		w := feFullWebhook()
		w.Name = `<a href="x">&amp;</a>`
		out := reference.EncodeWebhookXMLForTest(w)
		root, err := feParseXML(out)
		Expect(err).NotTo(HaveOccurred(), string(out))
		Expect(root.child("Name").Text).To(Equal(w.Name))
		h := root.child("Headers")
		Expect(h.names()).To(Equal([]string{"StringKeyValuePair", "StringKeyValuePair"}))
		Expect(h.Children[0].child("Key").Text).To(Equal("X-A"))
		Expect(h.Children[0].child("Value").Text).To(Equal("1"))
		p := root.child("Properties")
		Expect(p.Children).To(HaveLen(6))
		Expect(p.Children[0].XMLName.Local).To(Equal("StringObjectKeyValuePair"))
		Expect(root.child("RegisteredAssociate").child("AssociateId").Text).To(Equal("5"))
		Expect(root.child("UpdatedAssociate").child("Name").isNil()).To(BeTrue())
	})

	It("stays well-formed with characters XML cannot carry", func() {
		out := reference.EncodeWebhookXMLForTest(reference.Webhook{Name: "a\x00b\x1bc\xff", Headers: map[string]string{"\x01": "\x02"}})
		root, err := feParseXML(out)
		Expect(err).NotTo(HaveOccurred(), string(out))
		Expect(root.child("Name").Text).To(Equal("a\ufffdb\ufffdc\ufffd"))
	})

	It("writes lists as <ArrayOfWebhook> of <Webhook>", func() {
		out := reference.EncodeWebhookListXMLForTest([]reference.Webhook{{WebhookID: 1}, {WebhookID: 2}})
		root, err := feParseXML(out)
		Expect(err).NotTo(HaveOccurred())
		Expect(root.XMLName.Local).To(Equal("ArrayOfWebhook"))
		Expect(root.names()).To(Equal([]string{"Webhook", "Webhook"}))
		Expect(root.Children[1].child("WebhookId").Text).To(Equal("2"))
		empty, err := feParseXML(reference.EncodeWebhookListXMLForTest([]reference.Webhook{}))
		Expect(err).NotTo(HaveOccurred())
		Expect(empty.Children).To(BeEmpty())
		Expect(strings.TrimSpace(empty.Text)).To(BeEmpty())
	})

	DescribeTable("negotiates XML only when the client prefers it",
		func(accept string, wantXML bool) {
			Expect(reference.WantsXMLForTest(accept)).To(Equal(wantXML))
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
		out, err := reference.SelectWebhookJSONForTest(w, "$select=name,EVENTS")
		Expect(err).NotTo(HaveOccurred())
		doc := string(out)
		Expect(feKeys(feParse(doc))).To(Equal(feWebhookFields))
		Expect(feParse(doc).Get("Name").String()).To(Equal("Contact hook"))
		Expect(feParse(doc).Get("Events.#").Int()).To(Equal(int64(2)))
		for _, f := range feWebhookFields {
			if f != "Name" && f != "Events" {
				Expect(feParse(doc).Get(f).Type).To(Equal(feNull), f)
			}
		}
	})

	It("matches the parameter name case-insensitively and ignores unknown names", func() {
		out, err := reference.SelectWebhookJSONForTest(w, "$Select=webhookId,%20bogus,,registeredAssociate.name")
		Expect(err).NotTo(HaveOccurred())
		Expect(feParse(string(out)).Get("WebhookId").Int()).To(Equal(int64(42)))
		Expect(feParse(string(out)).Get("RegisteredAssociate.AssociateId").Int()).To(Equal(int64(5)))
		Expect(feParse(string(out)).Get("Name").Type).To(Equal(feNull))
	})

	It("selects everything when $select is absent or empty", func() {
		for _, q := range []string{"", "$select=", "$select=%20,", "other=1"} {
			out, err := reference.SelectWebhookJSONForTest(w, q)
			Expect(err).NotTo(HaveOccurred())
			Expect(out).To(Equal(reference.EncodeWebhookJSONForTest(w)), q)
		}
	})
})
