package specs

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/hookcheck/hookcheck/conformance/driver"
)

// The hand-written bodies of the raw-wire specs: what the drivers would
// send, spelled out so a spec can change one part of it.

// restWebhookBody is the JSON object the REST driver sends for wh, for
// specs that adjust it before a raw request.
func restWebhookBody(wh driver.Webhook) map[string]any {
	m := map[string]any{
		"WebhookId": wh.ID, "Name": wh.Name, "Events": wh.Events, "TargetUrl": wh.TargetURL,
		"State": wh.State, "Type": wh.Type,
	}
	if wh.Secret != "" {
		m["Secret"] = wh.Secret
	}
	if wh.ErrorsEmail != "" {
		m["ErrorsEmail"] = wh.ErrorsEmail
	}
	if wh.Headers != nil {
		m["Headers"] = wh.Headers
	}
	if wh.Properties != nil {
		m["Properties"] = wh.Properties
	}
	return m
}

// soapWebhookXML is the Webhook element of a SaveWebhook request for wh,
// without a WebhookId element.
func soapWebhookXML(wh driver.Webhook) string {
	var b strings.Builder
	b.WriteString("<wh:Webhook>")
	fmt.Fprintf(&b, "<wh:Name>%s</wh:Name><wh:Events>", xmlEscape(wh.Name))
	for _, e := range wh.Events {
		fmt.Fprintf(&b, "<arr:string>%s</arr:string>", xmlEscape(e))
	}
	fmt.Fprintf(&b, "</wh:Events><wh:TargetUrl>%s</wh:TargetUrl><wh:Secret>%s</wh:Secret><wh:State>%s</wh:State><wh:Type>%s</wh:Type>",
		xmlEscape(wh.TargetURL), xmlEscape(wh.Secret), wh.State, wh.Type)
	b.WriteString("</wh:Webhook>")
	return b.String()
}

// xmlEscape escapes s for XML text.
func xmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

// soapIDPattern finds the WebhookId of a SOAP answer.
var soapIDPattern = regexp.MustCompile(`<(?:\w+:)?WebhookId>(\d+)</(?:\w+:)?WebhookId>`)
