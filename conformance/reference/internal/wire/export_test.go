package wire

import (
	"net/url"

	"github.com/hookcheck/hookcheck/conformance/reference"
)

// This file gives the external tests (package wire_test) short helpers
// over the codecs, PATCH and $select.

// DecodeWebhookJSONForTest parses and decodes one Webhook from a JSON body
// within the default limits.
func DecodeWebhookJSONForTest(data []byte) (reference.Webhook, error) {
	tree, err := Parse(data, DefaultLimits)
	if err != nil {
		return reference.Webhook{}, err
	}
	return ToWebhook(tree)
}

// EncodeWebhookJSONForTest returns the JSON of w exactly as the Agents
// front end sends it (no _Links).
func EncodeWebhookJSONForTest(w reference.Webhook) []byte {
	return AppendJSON(nil, webhookToWire(&w))
}

// EncodeWebhookXMLForTest encodes w as an XML <Webhook> document.
func EncodeWebhookXMLForTest(w reference.Webhook) []byte {
	return AppendXMLDocument(nil, "Webhook", "", webhookToWire(&w))
}

// EncodeWebhookListXMLForTest encodes ws as an XML <ArrayOfWebhook>.
func EncodeWebhookListXMLForTest(ws []reference.Webhook) []byte {
	arr := make([]any, len(ws))
	for i := range ws {
		arr[i] = webhookToWire(&ws[i])
	}
	return AppendXMLDocument(nil, "ArrayOfWebhook", "Webhook", arr)
}

// SelectWebhookJSONForTest encodes w with the $select of rawQuery applied.
func SelectWebhookJSONForTest(w reference.Webhook, rawQuery string) ([]byte, error) {
	q, err := url.ParseQuery(rawQuery)
	if err != nil {
		return nil, err
	}
	o := webhookToWire(&w)
	ParseSelect(q).Apply(o)
	return AppendJSON(nil, o), nil
}

// ParseJSONForTest parses data with the default limits and re-encodes it
// compactly; it reports the same errors the front ends do.
func ParseJSONForTest(data []byte) ([]byte, error) {
	v, err := Parse(data, DefaultLimits)
	if err != nil {
		return nil, err
	}
	return AppendJSON(nil, v), nil
}

// ApplyPatchForTest applies a PATCH body (JSON Patch or Merge Patch) to a
// copy of w and returns the result.
func ApplyPatchForTest(w reference.Webhook, body []byte) (reference.Webhook, error) {
	first, _, err := applyPatchCopies(w, body, 1)
	return first, err
}

// ApplyPatchTwiceForTest parses body once and applies it to two copies of
// w, as a retrying Service.Modify would.
func ApplyPatchTwiceForTest(w reference.Webhook, body []byte) (first, second reference.Webhook, err error) {
	return applyPatchCopies(w, body, 2)
}

// applyPatchCopies parses body once and applies it to n (1 or 2) copies
// of w; it stops at the first error.
func applyPatchCopies(w reference.Webhook, body []byte, n int) (first, second reference.Webhook, err error) {
	tree, err := Parse(body, DefaultLimits)
	if err != nil {
		return first, second, err
	}
	doc, err := ParsePatch(tree)
	if err != nil {
		return first, second, err
	}
	first, second = w, w
	if err := doc.Apply(&first, nil); err != nil || n < 2 {
		return first, second, err
	}
	err = doc.Apply(&second, nil)
	return first, second, err
}

// WantsXMLForTest reports whether an Accept header selects XML.
func WantsXMLForTest(accept string) bool { return Negotiate(accept).XML }
