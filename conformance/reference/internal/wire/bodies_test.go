package wire_test

import (
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/conformance/reference"
	"github.com/hookcheck/hookcheck/conformance/reference/internal/wire"
)

var _ = Describe("XML and form request bodies", func() {
	want := reference.Webhook{
		WebhookID: 7, Name: "n", Events: []string{"a.b", "c.d"}, TargetURL: "https://x/h", Secret: "s",
		State: reference.StateStopped, Type: "webhook", Headers: map[string]string{"X-A": "1"},
	}

	It("reads the XML the XML writer writes", func() {
		xml := `<?xml version="1.0"?><Webhook xmlns:i="http://www.w3.org/2001/XMLSchema-instance"><WebhookId>7</WebhookId><Name>n</Name>` +
			`<Events><string>a.b</string><string>c.d</string></Events><TargetUrl>https://x/h</TargetUrl><Secret>s</Secret><State>Stopped</State>` +
			`<Type>webhook</Type><Headers><StringKeyValuePair><Key>X-A</Key><Value>1</Value></StringKeyValuePair></Headers>` +
			`<Properties i:nil="true"/><ErrorsEmail i:nil="true"/></Webhook>`
		tree, err := wire.ParseBody("application/xml", []byte(xml), wire.DefaultLimits)
		Expect(err).NotTo(HaveOccurred())
		got, err := wire.ToWebhook(tree)
		Expect(err).NotTo(HaveOccurred())
		Expect(got).To(Equal(want))
	})

	It("reads a one-event array and a property dictionary from XML", func() {
		xml := `<Webhook><Events><string>a.b</string></Events><Properties><StringObjectKeyValuePair><Key>p</Key><Value>v</Value></StringObjectKeyValuePair></Properties></Webhook>`
		tree, err := wire.ParseBody("text/xml", []byte(xml), wire.DefaultLimits)
		Expect(err).NotTo(HaveOccurred())
		got, err := wire.ToWebhook(tree)
		Expect(err).NotTo(HaveOccurred())
		Expect(got.Events).To(Equal([]string{"a.b"}))
		Expect(got.Properties).To(Equal(map[string]any{"p": "v"}))
	})

	It("reads a form: repeated and comma-separated Events, Headers[Name] and Headers.Name", func() {
		form := `WebhookId=7&Name=n&Events=a.b&Events=c.d&TargetUrl=https%3A%2F%2Fx%2Fh&Secret=s&State=Stopped&Type=webhook&Headers%5BX-A%5D=1`
		tree, err := wire.ParseBody("application/x-www-form-urlencoded", []byte(form), wire.DefaultLimits)
		Expect(err).NotTo(HaveOccurred())
		got, err := wire.ToWebhook(tree)
		Expect(err).NotTo(HaveOccurred())
		Expect(got).To(Equal(want))
		tree, err = wire.ParseBody("application/x-www-form-urlencoded", []byte(`Events=a.b,c.d&Headers.X-A=1`), wire.DefaultLimits)
		Expect(err).NotTo(HaveOccurred())
		got, err = wire.ToWebhook(tree)
		Expect(err).NotTo(HaveOccurred())
		Expect(got.Events).To(Equal([]string{"a.b", "c.d"}))
		Expect(got.Headers).To(Equal(map[string]string{"X-A": "1"}))
	})

	It("refuses DTDs, malformed XML and deep nesting", func() {
		for _, doc := range []string{`<!DOCTYPE a><a/>`, `<a><b></a>`, `<a/><b/>`, `text`} {
			_, err := wire.ParseBody("application/xml", []byte(doc), wire.DefaultLimits)
			Expect(err).To(HaveOccurred(), doc)
		}
		_, err := wire.ParseBody("application/xml", []byte(`<a><a><a><a/></a></a></a>`), wire.Limits{MaxDepth: 2, MaxValues: 100, MaxMembers: 100})
		Expect(err).To(HaveOccurred())
	})
})
