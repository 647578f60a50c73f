package specs

import (
	. "github.com/onsi/ginkgo/v2"

	. "github.com/hookcheck/hookcheck/conformance/framework"
)

// Spec area "crud": defaults, create, read, list and its filters, update,
// PATCH in both formats, delete, unknown ids, $select and the wire
// spellings, validation errors and server-owned fields (spec §1, §2). Each
// operation group registers its specs from its own file (crud_*.go);
// the specs that hold for every API style carry no style branch, and a
// style's own wire checks are specs of that style tied to the same clause.
var _ = Describe("crud", func() {
	if !Area() {
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
