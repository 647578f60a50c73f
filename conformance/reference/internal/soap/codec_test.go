package soap_test

import (
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/conformance/reference"
	"github.com/hookcheck/hookcheck/conformance/reference/internal/reftest"
	"github.com/hookcheck/hookcheck/conformance/reference/internal/soap"
)

// soapTestFullWebhook is a webhook with every field set.
func soapTestFullWebhook() reference.Webhook {
	return reference.Webhook{
		WebhookID:  42,
		Name:       `Tony's <hook> & "co"`,
		Events:     []string{"contact.created", "sale.changed"},
		TargetURL:  "https://example.com/hook?a=1&b=2",
		Secret:     "s3cret",
		State:      reference.StateTooManyErrors,
		Type:       "webhook",
		Headers:    map[string]string{"X-A": "1", "X-Empty": ""},
		Properties: map[string]any{"s": "text", "i": 7, "b": true, "f": 2.5, "n": nil},
		Registered: time.Date(2025, 5, 14, 10, 48, 7, 891203900, time.UTC),
		RegisteredAssociate: &reference.Associate{
			AssociateID: 5, Name: "TONY", PersonID: 6, FullName: "Tony Hansen", UserName: "tony", Type: "InternalAssociate",
		},
		Updated:          time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC),
		UpdatedAssociate: &reference.Associate{AssociateID: 9, Type: "SystemAssociate"},
		ErrorsEmail:      "ops@example.com",
	}
}

var _ = Describe("SOAP codec", func() {
	Describe("Webhook round trip", func() {
		It("keeps every field through encode and decode", func() {
			wh := soapTestFullWebhook()
			back, present, err := soap.DecodeSOAPWebhookArgument(soap.EncodeSOAPSaveRequest(reftest.SOAPNS88, wh))
			Expect(err).NotTo(HaveOccurred())
			Expect(present).To(BeTrue())
			Expect(back).To(Equal(wh))
		})

		It("keeps null apart from empty for Events, Headers and Properties", func() {
			wh := reference.Webhook{Events: []string{}, Headers: map[string]string{}}
			back, _, err := soap.DecodeSOAPWebhookArgument(soap.EncodeSOAPSaveRequest(reftest.SOAPNS88, wh))
			Expect(err).NotTo(HaveOccurred())
			Expect(back.Events).NotTo(BeNil())
			Expect(back.Events).To(BeEmpty())
			Expect(back.Headers).NotTo(BeNil())
			Expect(back.Properties).To(BeNil())
		})

		It("replaces characters XML cannot carry and keeps line breaks", func() {
			wh := reference.Webhook{Name: "a\x01b\r\nc"}
			back, _, err := soap.DecodeSOAPWebhookArgument(soap.EncodeSOAPSaveRequest(reftest.SOAPNS88, wh))
			Expect(err).NotTo(HaveOccurred())
			Expect(back.Name).To(Equal("a\uFFFDb\r\nc"))
		})
	})

	Describe("Webhook response", func() {
		var (
			wh   reference.Webhook
			resp *reftest.SOAPNode
		)
		BeforeEach(func() {
			wh = soapTestFullWebhook()
			root, err := reftest.ParseSOAP(soap.EncodeSOAPWebhookResponse(11, reftest.SOAPNS88, wh))
			Expect(err).NotTo(HaveOccurred())
			resp = root.Path("Body", "GetWebhookResponse", "Response")
			Expect(resp).NotTo(BeNil())
		})

		It("writes the fields in WSDL order, qualified in the service namespace", func() {
			Expect(resp.Names()).To(Equal(reftest.WebhookFields))
			for _, c := range resp.Children {
				Expect(c.Name.Space).To(Equal(reftest.SOAPNS88), c.Name.Local)
			}
		})

		It("writes the state name, FormatTime dates and Arrays-namespace events", func() {
			Expect(resp.Child("State").Text).To(Equal("TooManyErrors"))
			Expect(resp.Child("Registered").Text).To(Equal(reference.FormatTime(wh.Registered)))
			Expect(resp.Child("Registered").Text).To(Equal("2025-05-14T10:48:07.8912039"))
			Expect(resp.Child("Updated").Text).To(Equal(reference.FormatTime(wh.Updated)))
			events := resp.Child("Events")
			Expect(events.Names()).To(Equal([]string{"string", "string"}))
			Expect(events.Children[0].Name.Space).To(Equal(reftest.SOAPArrays))
			Expect(events.Children[1].Text).To(Equal("sale.changed"))
		})

		It("writes Headers as sorted StringKeyValuePairs and Properties with xsi:type", func() {
			pairs := resp.Child("Headers").Children
			Expect(pairs).To(HaveLen(2))
			Expect(pairs[0].Name.Local).To(Equal("StringKeyValuePair"))
			Expect(pairs[0].Names()).To(Equal([]string{"Key", "Value"}))
			Expect(pairs[0].Child("Key").Text).To(Equal("X-A"))
			Expect(pairs[1].Child("Value").Nil()).To(BeFalse())

			types := map[string]string{}
			for _, p := range resp.Child("Properties").Children {
				Expect(p.Name.Local).To(Equal("StringObjectKeyValuePair"))
				v := p.Child("Value")
				if v.Nil() {
					types[p.Child("Key").Text] = "nil"
					continue
				}
				types[p.Child("Key").Text] = v.AttrValue(reftest.XSI, "type") + "=" + v.Text
			}
			Expect(types).To(Equal(map[string]string{
				"b": "xs:boolean=true", "f": "xs:double=2.5", "i": "xs:int=7", "n": "nil", "s": "xs:string=text",
			}))
		})

		It("writes associates with the Carrier fields first and defaults for the rest", func() {
			a := resp.Child("RegisteredAssociate")
			Expect(a.Names()).To(Equal([]string{
				"TableRight", "FieldProperties", "AssociateId", "Name", "PersonId", "Rank", "Tooltip", "Type",
				"GroupIdx", "FullName", "FormalName", "Deleted", "EjUserId", "UserName", "ExtraFields", "CustomFields",
			}))
			Expect(a.Child("AssociateId").Text).To(Equal("5"))
			Expect(a.Child("Type").Text).To(Equal("InternalAssociate"))
			Expect(a.Child("Tooltip").Nil()).To(BeTrue())
			Expect(resp.Child("UpdatedAssociate").Child("Name").Nil()).To(BeTrue())
		})

		It("writes null fields as xsi:nil", func() {
			root, err := reftest.ParseSOAP(soap.EncodeSOAPWebhookResponse(12, reftest.SOAPNS88, reference.Webhook{}))
			Expect(err).NotTo(HaveOccurred())
			Expect(root.Name.Space).To(Equal(reftest.SOAPEnv12))
			empty := root.Path("Body", "GetWebhookResponse", "Response")
			for _, f := range []string{"Name", "Events", "TargetUrl", "Secret", "Type", "Headers", "Properties",
				"RegisteredAssociate", "UpdatedAssociate", "ErrorsEmail"} {
				Expect(empty.Child(f).Nil()).To(BeTrue(), f)
			}
			Expect(empty.Child("WebhookId").Text).To(Equal("0"))
			Expect(empty.Child("State").Text).To(Equal("Unknown"))
			Expect(empty.Child("Registered").Text).To(Equal("0001-01-01T00:00:00"))
		})

		It("says Succeeded=true with a nil ExceptionInfo", func() {
			root, err := reftest.ParseSOAP(soap.EncodeSOAPWebhookResponse(11, reftest.SOAPNS88, wh))
			Expect(err).NotTo(HaveOccurred())
			Expect(root.Path("Header", "Succeeded").Text).To(Equal("true"))
			Expect(root.Path("Header", "ExceptionInfo").Nil()).To(BeTrue())
		})
	})

	Describe("error response (spec §9 #21)", func() {
		It("fills ExceptionInfo, says Succeeded=false and leaves the response element empty", func() {
			e := reference.Errorf(reference.KindNotFound, "SoNotFoundException", "Webhook id %d not found", 9)
			root, err := reftest.ParseSOAP(soap.EncodeSOAPErrorResponse(12, reftest.SOAPNS87, "DeleteWebhook", e))
			Expect(err).NotTo(HaveOccurred())
			Expect(root.Name.Space).To(Equal(reftest.SOAPEnv12))
			Expect(root.Path("Header", "Succeeded").Text).To(Equal("false"))
			exc := root.Path("Header", "ExceptionInfo")
			Expect(exc.Name.Space).To(Equal(reftest.SOAPNS87))
			Expect(exc.Names()).To(Equal([]string{"Message", "StackTrace", "FriendlyText", "ExceptionType", "Source", "InnerException", "Parameters"}))
			Expect(exc.Child("Message").Text).To(Equal("Webhook id 9 not found"))
			Expect(exc.Child("ExceptionType").Text).To(Equal("SoNotFoundException"))
			Expect(exc.Child("StackTrace").Text).To(BeEmpty())
			Expect(exc.Child("InnerException").Nil()).To(BeTrue())
			op := root.Path("Body", "DeleteWebhookResponse")
			Expect(op).NotTo(BeNil())
			Expect(op.Children).To(BeEmpty())
		})
	})

	Describe("faults", func() {
		It("writes a SOAP 1.1 Client fault", func() {
			root, err := reftest.ParseSOAP(soap.EncodeSOAPFault(11, true, "bad <]]> & worse"))
			Expect(err).NotTo(HaveOccurred())
			Expect(root.Name.Space).To(Equal(reftest.SOAPEnv11))
			f := root.Path("Body", "Fault")
			Expect(f.Child("faultcode").Text).To(Equal("s:Client"))
			Expect(f.Child("faultstring").Text).To(Equal("bad <]]> & worse"))
		})

		It("writes a SOAP 1.2 Sender or Receiver fault", func() {
			root, err := reftest.ParseSOAP(soap.EncodeSOAPFault(12, true, "nope"))
			Expect(err).NotTo(HaveOccurred())
			Expect(root.Path("Body", "Fault", "Code", "Value").Text).To(Equal("s:Sender"))
			Expect(root.Path("Body", "Fault", "Reason", "Text").Text).To(Equal("nope"))
			root, err = reftest.ParseSOAP(soap.EncodeSOAPFault(12, false, "oops"))
			Expect(err).NotTo(HaveOccurred())
			Expect(root.Path("Body", "Fault", "Code", "Value").Text).To(Equal("s:Receiver"))
		})
	})

	Describe("request decoding", func() {
		It("reads the documentation's SaveWebhook sample shape", func() {
			env := `<?xml version="1.0" encoding="UTF-8"?>
<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://www.w3.org/2003/05/soap-envelope"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema"
 xmlns:NetServerServices882="http://schemas.microsoft.com/2003/10/Serialization/Arrays"
 xmlns:Webhook="` + reftest.SOAPNS88 + `">
 <SOAP-ENV:Body>
  <Webhook:SaveWebhook>
   <Webhook:Webhook xsi:type="Webhook:Webhook">
    <Webhook:WebhookId xsi:type="xsd:int">0</Webhook:WebhookId>
    <Webhook:Name xsi:type="xsd:string">My hook</Webhook:Name>
    <Webhook:Events xsi:type="NetServerServices882:ArrayOfstring">
     <NetServerServices882:string xsi:type="xsd:string">contact.created</NetServerServices882:string>
    </Webhook:Events>
    <Webhook:TargetUrl xsi:type="xsd:string">https://example.com/h</Webhook:TargetUrl>
    <Webhook:State xsi:type="Webhook:WebhookState">Active</Webhook:State>
    <Webhook:Type xsi:type="xsd:string">webhook</Webhook:Type>
    <Webhook:Headers xsi:type="Webhook:StringDictionary">
     <Webhook:StringKeyValuePair><Webhook:Key xsi:type="xsd:string">X-A</Webhook:Key><Webhook:Value xsi:type="xsd:string">b</Webhook:Value></Webhook:StringKeyValuePair>
    </Webhook:Headers>
    <Webhook:Properties xsi:type="Webhook:StringObjectDictionary">
     <Webhook:StringObjectKeyValuePair><Webhook:Key xsi:type="xsd:string">p</Webhook:Key><Webhook:Value xsi:type="xsd:anyType">v</Webhook:Value></Webhook:StringObjectKeyValuePair>
    </Webhook:Properties>
    <Webhook:Registered xsi:type="xsd:dateTime">2023-09-19T01:24:38Z</Webhook:Registered>
    <Webhook:ErrorsEmail xsi:type="xsd:string"></Webhook:ErrorsEmail>
   </Webhook:Webhook>
  </Webhook:SaveWebhook>
 </SOAP-ENV:Body>
</SOAP-ENV:Envelope>`
			wh, present, err := soap.DecodeSOAPWebhookArgument([]byte(env))
			Expect(err).NotTo(HaveOccurred())
			Expect(present).To(BeTrue())
			Expect(wh.Name).To(Equal("My hook"))
			Expect(wh.Events).To(Equal([]string{"contact.created"}))
			Expect(wh.TargetURL).To(Equal("https://example.com/h"))
			Expect(wh.State).To(Equal(reference.StateActive))
			Expect(wh.Type).To(Equal("webhook"))
			Expect(wh.Headers).To(Equal(map[string]string{"X-A": "b"}))
			Expect(wh.Properties).To(Equal(map[string]any{"p": "v"}))
			Expect(wh.Registered).To(Equal(time.Date(2023, 9, 19, 1, 24, 38, 0, time.UTC)))
			Expect(wh.ErrorsEmail).To(BeEmpty())
		})

		It("reports an absent or nil Webhook as not present", func() {
			for _, body := range []string{`<w:SaveWebhook/>`, `<w:SaveWebhook><w:Webhook xsi:nil="true"/></w:SaveWebhook>`} {
				_, present, err := soap.DecodeSOAPWebhookArgument([]byte(reftest.SOAPEnvelope(11, reftest.SOAPNS88, "", body)))
				Expect(err).NotTo(HaveOccurred())
				Expect(present).To(BeFalse())
			}
		})

		It("accepts a state number as well as a name", func() {
			env := reftest.SOAPEnvelope(11, reftest.SOAPNS88, "", `<w:SaveWebhook><w:Webhook><w:State>2</w:State></w:Webhook></w:SaveWebhook>`)
			wh, _, err := soap.DecodeSOAPWebhookArgument([]byte(env))
			Expect(err).NotTo(HaveOccurred())
			Expect(wh.State).To(Equal(reference.StateStopped))
		})

		It("maps typed Data values to Go string, int, bool, float64, nil, []any and map", func() {
			pair := func(key, value string) string {
				return `<w:StringObjectKeyValuePair><w:Key>` + key + `</w:Key>` + value + `</w:StringObjectKeyValuePair>`
			}
			body := `<w:SignalEvent><w:EventName>x.y</w:EventName><w:Data>` +
				pair("s", `<w:Value xsi:type="xsd:string"> padded </w:Value>`) +
				pair("i", `<w:Value xsi:type="xsd:int"> -12 </w:Value>`) +
				pair("l", `<w:Value xsi:type="xsd:long">9007199254740993</w:Value>`) +
				pair("t", `<w:Value xsi:type="xsd:boolean">true</w:Value>`) +
				pair("one", `<w:Value xsi:type="xsd:boolean">1</w:Value>`) +
				pair("d", `<w:Value xsi:type="xsd:double">1.5E3</w:Value>`) +
				pair("dec", `<w:Value xmlns:q="http://www.w3.org/2001/XMLSchema" xsi:type="q:decimal">0.25</w:Value>`) +
				pair("nil", `<w:Value xsi:nil="true"/>`) +
				pair("untyped", `<w:Value>plain</w:Value>`) +
				pair("missing", ``) +
				pair("any", `<w:Value xsi:type="xsd:anyType"></w:Value>`) +
				pair("undeclared", `<w:Value xsi:type="zz:int">3</w:Value>`) +
				pair("arr", `<w:Value xsi:type="arr:ArrayOfstring"><arr:string>a</arr:string><arr:string>b</arr:string></w:Value>`) +
				pair("ints", `<w:Value xsi:type="arr:ArrayOfint"><arr:int>1</arr:int><arr:int>2</arr:int></w:Value>`) +
				pair("map", `<w:Value xsi:type="w:StringObjectDictionary">`+pair("k", `<w:Value xsi:type="xsd:int">1</w:Value>`)+`</w:Value>`) +
				`</w:Data></w:SignalEvent>`
			data, err := soap.DecodeSOAPData([]byte(reftest.SOAPEnvelope(12, reftest.SOAPNS88, "", body)))
			Expect(err).NotTo(HaveOccurred())
			Expect(data).To(Equal(map[string]any{
				"s": " padded ", "i": -12, "l": 9007199254740993, "t": true, "one": true,
				"d": 1500.0, "dec": 0.25, "nil": nil, "untyped": "plain", "missing": nil, "any": "",
				"undeclared": 3, "arr": []any{"a", "b"}, "ints": []any{1, 2}, "map": map[string]any{"k": 1},
			}))
		})

		DescribeTable("refuses unreadable arguments",
			func(body, wantInError string) {
				err := soap.ReadSOAPOperationForTest([]byte(reftest.SOAPEnvelope(11, reftest.SOAPNS88, "", body)))
				Expect(err).To(HaveOccurred())
				Expect(err.Error()).To(ContainSubstring(wantInError))
			},
			Entry("a non-numeric id", `<w:GetWebhook><w:WebhookId>abc</w:WebhookId></w:GetWebhook>`, "WebhookId"),
			Entry("an id beyond xs:int", `<w:DeleteWebhook><w:WebhookId>2147483648</w:WebhookId></w:DeleteWebhook>`, "xs:int"),
			Entry("an unknown state", `<w:GetAllWebhooks><w:StatusFilter>Sleeping</w:StatusFilter></w:GetAllWebhooks>`, "StatusFilter"),
			Entry("a bad boolean", `<w:SignalEvent><w:Data><w:StringObjectKeyValuePair><w:Key>k</w:Key><w:Value xsi:type="xsd:boolean">yes</w:Value></w:StringObjectKeyValuePair></w:Data></w:SignalEvent>`, "xs:boolean"),
			Entry("a non-finite double", `<w:SignalEvent><w:Data><w:StringObjectKeyValuePair><w:Key>k</w:Key><w:Value xsi:type="xsd:double">NaN</w:Value></w:StringObjectKeyValuePair></w:Data></w:SignalEvent>`, "finite"),
			Entry("an unsupported type", `<w:SignalEvent><w:Data><w:StringObjectKeyValuePair><w:Key>k</w:Key><w:Value xsi:type="w:Contact">x</w:Value></w:StringObjectKeyValuePair></w:Data></w:SignalEvent>`, "unsupported"),
			Entry("a pair without Key", `<w:SignalEvent><w:Data><w:StringObjectKeyValuePair><w:Value>x</w:Value></w:StringObjectKeyValuePair></w:Data></w:SignalEvent>`, "no Key"),
			Entry("a bad date", `<w:SaveWebhook><w:Webhook><w:Updated>yesterday</w:Updated></w:Webhook></w:SaveWebhook>`, "xs:dateTime"),
			Entry("a foreign element in Events", `<w:TestWebhook><w:Webhook><w:Events><w:int>1</w:int></w:Events></w:Webhook></w:TestWebhook>`, "ArrayOfstring"),
		)

		It("reads every operation's arguments from a well-formed request", func() {
			for _, body := range []string{
				`<w:CreateDefaultWebhook/>`,
				`<w:SaveWebhook><w:Webhook><w:Name>n</w:Name></w:Webhook></w:SaveWebhook>`,
				`<w:DeleteWebhook><w:WebhookId>1</w:WebhookId></w:DeleteWebhook>`,
				`<w:GetWebhook><w:WebhookId> 2 </w:WebhookId></w:GetWebhook>`,
				`<w:GetAllWebhooks><w:NameFilter xsi:nil="true"/><w:EventFilter>a.b</w:EventFilter><w:StatusFilter>Active</w:StatusFilter></w:GetAllWebhooks>`,
				`<w:TestWebhook><w:Webhook/></w:TestWebhook>`,
				`<w:SignalEvent><w:EventName>a.b</w:EventName><w:PrimaryKey>0</w:PrimaryKey><w:Data xsi:nil="true"/></w:SignalEvent>`,
				`<w:GetLastError><w:WebhookId>3</w:WebhookId></w:GetLastError>`,
			} {
				Expect(soap.ReadSOAPOperationForTest([]byte(reftest.SOAPEnvelope(11, reftest.SOAPNS88, "", body)))).To(Succeed(), body)
			}
		})
	})

	Describe("WSDL", func() {
		It("is well-formed and describes the eight operations with their SOAP actions", func() {
			root, err := reftest.ParseSOAP(soap.SOAPWSDL(reftest.SOAPNS87, "http://host/Remote/Services87/Webhook.svc"))
			Expect(err).NotTo(HaveOccurred())
			Expect(root.AttrValue("", "targetNamespace")).To(Equal(reftest.SOAPNS87))
			ops := []string{}
			for _, c := range root.Children {
				if c.Name.Local == "portType" {
					for _, op := range c.Children {
						ops = append(ops, op.AttrValue("", "name"))
					}
				}
			}
			Expect(ops).To(Equal([]string{"CreateDefaultWebhook", "SaveWebhook", "DeleteWebhook", "GetWebhook",
				"GetAllWebhooks", "TestWebhook", "SignalEvent", "GetLastError"}))
			actions := 0
			for _, c := range root.Children {
				if c.Name.Local != "binding" {
					continue
				}
				for _, op := range c.Children {
					if op.Name.Local != "operation" {
						continue
					}
					name := op.AttrValue("", "name")
					Expect(op.Child("operation").AttrValue("", "soapAction")).To(Equal(reftest.SOAPNS87 + "/Webhook/" + name))
					actions++
				}
			}
			Expect(actions).To(Equal(16))
		})
	})
})
