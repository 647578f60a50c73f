package soap

import (
	"html"
	"strings"

	"github.com/hookcheck/hookcheck/conformance/reference/internal/rpc"
)

// soapWSDLTypes is the schema part of the WSDL: the operation elements, the
// header elements and the types they use, in the field order of spec §1.1.
// {NS} is replaced by the service namespace.
const soapWSDLTypes = `<wsdl:types>
<xs:schema elementFormDefault="qualified" targetNamespace="{NS}" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:tns="{NS}" xmlns:q1="http://schemas.microsoft.com/2003/10/Serialization/Arrays">
<xs:import namespace="http://schemas.microsoft.com/2003/10/Serialization/Arrays"/>
<xs:element name="ApplicationToken" nillable="true" type="xs:string"/>
<xs:complexType name="SoCredentials"><xs:sequence><xs:element minOccurs="0" name="Ticket" nillable="true" type="xs:string"/></xs:sequence></xs:complexType>
<xs:element name="Credentials" nillable="true" type="tns:SoCredentials"/>
<xs:complexType name="SoTimeZone"><xs:sequence><xs:element minOccurs="0" name="SoTimeZoneId" type="xs:int"/><xs:element minOccurs="0" name="SoTimeZoneLocationCode" nillable="true" type="xs:string"/></xs:sequence></xs:complexType>
<xs:element name="TimeZone" nillable="true" type="tns:SoTimeZone"/>
<xs:complexType name="SoExceptionInfo"><xs:sequence>
<xs:element minOccurs="0" name="Message" nillable="true" type="xs:string"/>
<xs:element minOccurs="0" name="StackTrace" nillable="true" type="xs:string"/>
<xs:element minOccurs="0" name="FriendlyText" nillable="true" type="xs:string"/>
<xs:element minOccurs="0" name="ExceptionType" nillable="true" type="xs:string"/>
<xs:element minOccurs="0" name="Source" nillable="true" type="xs:string"/>
<xs:element minOccurs="0" name="InnerException" nillable="true" type="tns:SoExceptionInfo"/>
<xs:element minOccurs="0" name="Parameters" nillable="true" type="tns:SoExceptionInfoParameters"/>
</xs:sequence></xs:complexType>
<xs:complexType name="SoExceptionInfoParameters"><xs:sequence><xs:element minOccurs="0" maxOccurs="unbounded" name="SoExceptionInfoParametersKeyValuePair"><xs:complexType><xs:sequence>
<xs:element name="Key" nillable="true" type="xs:string"/><xs:element name="Value" nillable="true" type="xs:string"/>
</xs:sequence></xs:complexType></xs:element></xs:sequence></xs:complexType>
<xs:complexType name="SoExtraInfo"><xs:sequence><xs:element minOccurs="0" maxOccurs="unbounded" name="ExtraInfoNameValuePair"><xs:complexType><xs:sequence>
<xs:element name="Key" nillable="true" type="xs:string"/><xs:element name="Value" nillable="true" type="xs:string"/>
</xs:sequence></xs:complexType></xs:element></xs:sequence></xs:complexType>
<xs:element name="ExceptionInfo" nillable="true" type="tns:SoExceptionInfo"/>
<xs:element name="ExtraInfo" nillable="true" type="tns:SoExtraInfo"/>
<xs:element name="Succeeded" type="xs:boolean"/>
<xs:simpleType name="WebhookState"><xs:restriction base="xs:string">
<xs:enumeration value="Unknown"/><xs:enumeration value="Active"/><xs:enumeration value="Stopped"/><xs:enumeration value="TooManyErrors"/>
</xs:restriction></xs:simpleType>
<xs:simpleType name="UserType"><xs:restriction base="xs:string">
<xs:enumeration value="Unknown"/><xs:enumeration value="InternalAssociate"/><xs:enumeration value="ResourceAssociate"/><xs:enumeration value="ExternalAssociate"/><xs:enumeration value="AnonymousAssociate"/><xs:enumeration value="SystemAssociate"/>
</xs:restriction></xs:simpleType>
<xs:complexType name="StringDictionary"><xs:sequence><xs:element minOccurs="0" maxOccurs="unbounded" name="StringKeyValuePair"><xs:complexType><xs:sequence>
<xs:element name="Key" nillable="true" type="xs:string"/><xs:element name="Value" nillable="true" type="xs:string"/>
</xs:sequence></xs:complexType></xs:element></xs:sequence></xs:complexType>
<xs:complexType name="StringObjectDictionary"><xs:sequence><xs:element minOccurs="0" maxOccurs="unbounded" name="StringObjectKeyValuePair"><xs:complexType><xs:sequence>
<xs:element name="Key" nillable="true" type="xs:string"/><xs:element name="Value" nillable="true" type="xs:anyType"/>
</xs:sequence></xs:complexType></xs:element></xs:sequence></xs:complexType>
<xs:complexType name="Carrier"><xs:sequence>
<xs:element minOccurs="0" name="TableRight" nillable="true" type="xs:anyType"/>
<xs:element minOccurs="0" name="FieldProperties" nillable="true" type="xs:anyType"/>
</xs:sequence></xs:complexType>
<xs:complexType name="Associate"><xs:complexContent mixed="false"><xs:extension base="tns:Carrier"><xs:sequence>
<xs:element minOccurs="0" name="AssociateId" type="xs:int"/>
<xs:element minOccurs="0" name="Name" nillable="true" type="xs:string"/>
<xs:element minOccurs="0" name="PersonId" type="xs:int"/>
<xs:element minOccurs="0" name="Rank" type="xs:short"/>
<xs:element minOccurs="0" name="Tooltip" nillable="true" type="xs:string"/>
<xs:element minOccurs="0" name="Type" type="tns:UserType"/>
<xs:element minOccurs="0" name="GroupIdx" type="xs:int"/>
<xs:element minOccurs="0" name="FullName" nillable="true" type="xs:string"/>
<xs:element minOccurs="0" name="FormalName" nillable="true" type="xs:string"/>
<xs:element minOccurs="0" name="Deleted" type="xs:boolean"/>
<xs:element minOccurs="0" name="EjUserId" type="xs:int"/>
<xs:element minOccurs="0" name="UserName" nillable="true" type="xs:string"/>
<xs:element minOccurs="0" name="ExtraFields" nillable="true" type="tns:StringDictionary"/>
<xs:element minOccurs="0" name="CustomFields" nillable="true" type="tns:StringDictionary"/>
</xs:sequence></xs:extension></xs:complexContent></xs:complexType>
<xs:complexType name="Webhook"><xs:sequence>
<xs:element minOccurs="0" name="WebhookId" type="xs:int"/>
<xs:element minOccurs="0" name="Name" nillable="true" type="xs:string"/>
<xs:element minOccurs="0" name="Events" nillable="true" type="q1:ArrayOfstring"/>
<xs:element minOccurs="0" name="TargetUrl" nillable="true" type="xs:string"/>
<xs:element minOccurs="0" name="Secret" nillable="true" type="xs:string"/>
<xs:element minOccurs="0" name="State" type="tns:WebhookState"/>
<xs:element minOccurs="0" name="Type" nillable="true" type="xs:string"/>
<xs:element minOccurs="0" name="Headers" nillable="true" type="tns:StringDictionary"/>
<xs:element minOccurs="0" name="Properties" nillable="true" type="tns:StringObjectDictionary"/>
<xs:element minOccurs="0" name="Registered" type="xs:dateTime"/>
<xs:element minOccurs="0" name="RegisteredAssociate" nillable="true" type="tns:Associate"/>
<xs:element minOccurs="0" name="Updated" type="xs:dateTime"/>
<xs:element minOccurs="0" name="UpdatedAssociate" nillable="true" type="tns:Associate"/>
<xs:element minOccurs="0" name="ErrorsEmail" nillable="true" type="xs:string"/>
</xs:sequence></xs:complexType>
<xs:complexType name="ArrayOfWebhook"><xs:sequence><xs:element minOccurs="0" maxOccurs="unbounded" name="Webhook" nillable="true" type="tns:Webhook"/></xs:sequence></xs:complexType>
<xs:complexType name="WebhookResult"><xs:complexContent mixed="false"><xs:extension base="tns:Carrier"><xs:sequence>
<xs:element minOccurs="0" name="Success" type="xs:boolean"/>
<xs:element minOccurs="0" name="Message" nillable="true" type="xs:string"/>
</xs:sequence></xs:extension></xs:complexContent></xs:complexType>
<xs:element name="CreateDefaultWebhook"><xs:complexType><xs:sequence/></xs:complexType></xs:element>
<xs:element name="CreateDefaultWebhookResponse"><xs:complexType><xs:sequence><xs:element minOccurs="0" name="Response" nillable="true" type="tns:Webhook"/></xs:sequence></xs:complexType></xs:element>
<xs:element name="SaveWebhook"><xs:complexType><xs:sequence><xs:element minOccurs="0" name="Webhook" nillable="true" type="tns:Webhook"/></xs:sequence></xs:complexType></xs:element>
<xs:element name="SaveWebhookResponse"><xs:complexType><xs:sequence><xs:element minOccurs="0" name="Response" nillable="true" type="tns:Webhook"/></xs:sequence></xs:complexType></xs:element>
<xs:element name="DeleteWebhook"><xs:complexType><xs:sequence><xs:element minOccurs="0" name="WebhookId" type="xs:int"/></xs:sequence></xs:complexType></xs:element>
<xs:element name="DeleteWebhookResponse"><xs:complexType><xs:sequence/></xs:complexType></xs:element>
<xs:element name="GetWebhook"><xs:complexType><xs:sequence><xs:element minOccurs="0" name="WebhookId" type="xs:int"/></xs:sequence></xs:complexType></xs:element>
<xs:element name="GetWebhookResponse"><xs:complexType><xs:sequence><xs:element minOccurs="0" name="Response" nillable="true" type="tns:Webhook"/></xs:sequence></xs:complexType></xs:element>
<xs:element name="GetAllWebhooks"><xs:complexType><xs:sequence>
<xs:element minOccurs="0" name="NameFilter" nillable="true" type="xs:string"/>
<xs:element minOccurs="0" name="EventFilter" nillable="true" type="xs:string"/>
<xs:element minOccurs="0" name="StatusFilter" type="tns:WebhookState"/>
</xs:sequence></xs:complexType></xs:element>
<xs:element name="GetAllWebhooksResponse"><xs:complexType><xs:sequence><xs:element minOccurs="0" name="Response" nillable="true" type="tns:ArrayOfWebhook"/></xs:sequence></xs:complexType></xs:element>
<xs:element name="TestWebhook"><xs:complexType><xs:sequence><xs:element minOccurs="0" name="Webhook" nillable="true" type="tns:Webhook"/></xs:sequence></xs:complexType></xs:element>
<xs:element name="TestWebhookResponse"><xs:complexType><xs:sequence><xs:element minOccurs="0" name="Response" nillable="true" type="tns:WebhookResult"/></xs:sequence></xs:complexType></xs:element>
<xs:element name="SignalEvent"><xs:complexType><xs:sequence>
<xs:element minOccurs="0" name="EventName" nillable="true" type="xs:string"/>
<xs:element minOccurs="0" name="PrimaryKey" type="xs:int"/>
<xs:element minOccurs="0" name="Data" nillable="true" type="tns:StringObjectDictionary"/>
</xs:sequence></xs:complexType></xs:element>
<xs:element name="SignalEventResponse"><xs:complexType><xs:sequence/></xs:complexType></xs:element>
<xs:element name="GetLastError"><xs:complexType><xs:sequence><xs:element minOccurs="0" name="WebhookId" type="xs:int"/></xs:sequence></xs:complexType></xs:element>
<xs:element name="GetLastErrorResponse"><xs:complexType><xs:sequence><xs:element minOccurs="0" name="Response" nillable="true" type="xs:string"/></xs:sequence></xs:complexType></xs:element>
</xs:schema>
<xs:schema elementFormDefault="qualified" targetNamespace="http://schemas.microsoft.com/2003/10/Serialization/Arrays" xmlns:xs="http://www.w3.org/2001/XMLSchema">
<xs:complexType name="ArrayOfstring"><xs:sequence><xs:element minOccurs="0" maxOccurs="unbounded" name="string" nillable="true" type="xs:string"/></xs:sequence></xs:complexType>
</xs:schema>
</wsdl:types>
`

// soapWSDL returns a WSDL 1.1 description of the service in namespace ns
// at address: the eight operations with their header parts, and a SOAP 1.1
// and a SOAP 1.2 document/literal binding.
func soapWSDL(ns, address string) []byte {
	var w soapWriter
	w.buf.WriteString(`<?xml version="1.0" encoding="utf-8"?>` + "\n")
	w.open("wsdl:definitions",
		"name", "WcfWebhookService",
		"targetNamespace", ns,
		"xmlns:wsdl", "http://schemas.xmlsoap.org/wsdl/",
		"xmlns:soap", "http://schemas.xmlsoap.org/wsdl/soap/",
		"xmlns:soap12", "http://schemas.xmlsoap.org/wsdl/soap12/",
		"xmlns:xs", xsdNS,
		"xmlns:tns", ns)
	w.buf.WriteString("\n")
	w.buf.WriteString(strings.ReplaceAll(soapWSDLTypes, "{NS}", html.EscapeString(ns)))
	for _, o := range rpc.Operations {
		op := o.Name
		w.open("wsdl:message", "name", op+"Request")
		w.empty("wsdl:part", "name", "parameters", "element", "tns:"+op)
		w.close("wsdl:message")
		w.open("wsdl:message", "name", op+"Request_Headers")
		for _, h := range [...]string{"ApplicationToken", "Credentials", "TimeZone"} {
			w.empty("wsdl:part", "name", h, "element", "tns:"+h)
		}
		w.close("wsdl:message")
		w.open("wsdl:message", "name", op+"Response")
		w.empty("wsdl:part", "name", "parameters", "element", "tns:"+op+"Response")
		w.close("wsdl:message")
		w.open("wsdl:message", "name", op+"Response_Headers")
		for _, h := range [...]string{"ExceptionInfo", "ExtraInfo", "Succeeded", "TimeZone"} {
			w.empty("wsdl:part", "name", h, "element", "tns:"+h)
		}
		w.close("wsdl:message")
		w.buf.WriteString("\n")
	}
	w.open("wsdl:portType", "name", "Webhook")
	for _, o := range rpc.Operations {
		op := o.Name
		w.open("wsdl:operation", "name", op)
		w.empty("wsdl:input", "name", op+"Request", "message", "tns:"+op+"Request")
		w.empty("wsdl:output", "name", op+"Response", "message", "tns:"+op+"Response")
		w.close("wsdl:operation")
	}
	w.close("wsdl:portType")
	w.buf.WriteString("\n")
	bindings := [...]struct{ name, prefix, transport string }{
		{"BasicHttpBinding_Webhook", "soap", "http://schemas.xmlsoap.org/soap/http"},
		{"Soap12Binding_Webhook", "soap12", "http://schemas.xmlsoap.org/soap/http"},
	}
	for _, b := range bindings {
		w.open("wsdl:binding", "name", b.name, "type", "tns:Webhook")
		w.empty(b.prefix+":binding", "transport", b.transport)
		for _, o := range rpc.Operations {
			op := o.Name
			w.open("wsdl:operation", "name", op)
			w.empty(b.prefix+":operation", "soapAction", ns+"/Webhook/"+op, "style", "document")
			w.open("wsdl:input", "name", op+"Request")
			for _, h := range [...]string{"ApplicationToken", "Credentials", "TimeZone"} {
				w.empty(b.prefix+":header", "message", "tns:"+op+"Request_Headers", "part", h, "use", "literal")
			}
			w.empty(b.prefix+":body", "use", "literal")
			w.close("wsdl:input")
			w.open("wsdl:output", "name", op+"Response")
			for _, h := range [...]string{"ExceptionInfo", "ExtraInfo", "Succeeded", "TimeZone"} {
				w.empty(b.prefix+":header", "message", "tns:"+op+"Response_Headers", "part", h, "use", "literal")
			}
			w.empty(b.prefix+":body", "use", "literal")
			w.close("wsdl:output")
			w.close("wsdl:operation")
		}
		w.close("wsdl:binding")
		w.buf.WriteString("\n")
	}
	w.open("wsdl:service", "name", "WcfWebhookService")
	for _, b := range bindings {
		w.open("wsdl:port", "name", b.name, "binding", "tns:"+b.name)
		w.empty(b.prefix+":address", "location", address)
		w.close("wsdl:port")
	}
	w.close("wsdl:service")
	w.close("wsdl:definitions")
	w.buf.WriteString("\n")
	return w.Bytes()
}

// soapDescriptionPage returns the HTML page a browser gets for a GET on the
// endpoint: what the service is, its operations and where the WSDL is.
func soapDescriptionPage(ns, address string) []byte {
	var b strings.Builder
	b.WriteString("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Webhook service</title></head><body>\n")
	b.WriteString("<h1>Webhook service</h1>\n<p>SOAP 1.1 (text/xml + SOAPAction) and SOAP 1.2 (application/soap+xml) endpoint for namespace <code>")
	b.WriteString(html.EscapeString(ns))
	b.WriteString("</code>. POST an envelope to call an operation; the WSDL is at <a href=\"?wsdl\">")
	b.WriteString(html.EscapeString(address))
	b.WriteString("?wsdl</a>.</p>\n<ul>\n")
	for _, o := range rpc.Operations {
		op := o.Name
		b.WriteString("<li><code>")
		b.WriteString(op)
		b.WriteString("</code> &mdash; SOAPAction <code>")
		b.WriteString(html.EscapeString(ns + "/Webhook/" + op))
		b.WriteString("</code></li>\n")
	}
	b.WriteString("</ul>\n</body></html>\n")
	return []byte(b.String())
}
