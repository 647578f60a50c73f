package conformance

import (
	. "github.com/onsi/ginkgo/v2"

	"github.com/hookcheck/hookcheck/conformance/driver"
)

// Spec area "crud": defaults, create, read, list and its filters, update,
// PATCH in both formats, delete, unknown ids, $select and the wire
// spellings, validation errors and server-owned fields (spec §1, §2). Each
// operation group registers its specs from its own file (crud_*.go);
// the specs that hold for every API style carry no style branch, and a
// style's own wire checks are specs of that style tied to the same clause.
var _ = Describe("crud", func() {
	if !enterArea() {
		return
	}
	crudDefaultSpecs()
	crudCreateSpecs()
	crudReadSpecs()
	crudListSpecs()
	crudUpdateSpecs()
	crudPatchSpecs()
	crudDeleteSpecs()
	crudUnknownIDSpecs()
	crudValidationSpecs()
	crudWireSpecs()
})

// rpcStyles are the styles that call operations by name (Agents and
// SOAP), as opposed to REST's resources.
var rpcStyles = []driver.Style{driver.Agents, driver.SOAP}

// forStyles registers specs once per style in styles, each inside a
// Context named after the style.
func forStyles(styles []driver.Style, specs func(st driver.Style)) {
	for _, st := range styles {
		Context(string(st), func() { specs(st) })
	}
}

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
