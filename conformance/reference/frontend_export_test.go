package reference

import (
	"log/slog"
	"net/http"
	"net/url"
)

// This file exposes internals of the REST/Agents front ends to the
// external tests in package reference_test, so codecs, PATCH and $select
// can be tested without the core.

// DecodeWebhookJSONForTest parses and decodes a Webhook JSON body.
func DecodeWebhookJSONForTest(data []byte) (Webhook, error) { return decodeWebhookJSON(data) }

// EncodeWebhookJSONForTest encodes w as the Agents front end does.
func EncodeWebhookJSONForTest(w Webhook) []byte { return encodeWebhookJSON(&w) }

// EncodeWebhookXMLForTest encodes w as an XML <Webhook> document.
func EncodeWebhookXMLForTest(w Webhook) []byte {
	return appendWireXMLDocument(nil, "Webhook", "", webhookToWire(&w))
}

// EncodeWebhookListXMLForTest encodes ws as an XML <ArrayOfWebhook>.
func EncodeWebhookListXMLForTest(ws []Webhook) []byte {
	arr := make([]any, len(ws))
	for i := range ws {
		arr[i] = webhookToWire(&ws[i])
	}
	return appendWireXMLDocument(nil, "ArrayOfWebhook", "Webhook", arr)
}

// SelectWebhookJSONForTest encodes w with the $select of rawQuery applied.
func SelectWebhookJSONForTest(w Webhook, rawQuery string) ([]byte, error) {
	q, err := url.ParseQuery(rawQuery)
	if err != nil {
		return nil, err
	}
	o := webhookToWire(&w)
	parseSelect(q).apply(o)
	return appendWireJSON(nil, o), nil
}

// ParseJSONForTest parses data with the default limits and re-encodes it
// compactly; it reports the same errors the front ends do.
func ParseJSONForTest(data []byte) ([]byte, error) {
	v, err := parseWire(data, defaultWireLimits)
	if err != nil {
		return nil, err
	}
	return appendWireJSON(nil, v), nil
}

// ApplyPatchForTest applies a PATCH body (JSON Patch or Merge Patch) to a
// copy of w and returns the result.
func ApplyPatchForTest(w Webhook, body []byte) (Webhook, error) {
	tree, err := parseWire(body, defaultWireLimits)
	if err != nil {
		return Webhook{}, err
	}
	doc, err := parsePatch(tree)
	if err != nil {
		return Webhook{}, err
	}
	cp := w
	if err := doc.apply(&cp); err != nil {
		return Webhook{}, err
	}
	return cp, nil
}

// ApplyPatchTwiceForTest parses body once and applies it to two copies of
// w, as a retrying Service.Modify would.
func ApplyPatchTwiceForTest(w Webhook, body []byte) (first, second Webhook, err error) {
	tree, err := parseWire(body, defaultWireLimits)
	if err != nil {
		return first, second, err
	}
	doc, err := parsePatch(tree)
	if err != nil {
		return first, second, err
	}
	first, second = w, w
	if err := doc.apply(&first); err != nil {
		return first, second, err
	}
	err = doc.apply(&second)
	return first, second, err
}

// MaxPatchOpsForTest is the bound on JSON Patch operations.
const MaxPatchOpsForTest = maxPatchOps

// WantsXMLForTest reports whether an Accept header selects XML.
func WantsXMLForTest(accept string) bool { return negotiateFormat(accept).XML }

// CanonicalPathForTest canonicalises a request path as NewHandler does.
func CanonicalPathForTest(p string) string { return canonicalPath(p) }

// RecoverHandlerForTest wraps next in the panic recovery of NewHandler.
func RecoverHandlerForTest(next http.Handler) http.Handler {
	return recoverHandler(next, slog.New(slog.DiscardHandler))
}

// APIErrorStatusForTest is the HTTP status the front ends use for err.
func APIErrorStatusForTest(err error) int { return toAPIError(err).Status }
