// Package reftest holds the helpers the tests of the reference's packages
// share: field orders of the spec, error kinds, an XML DOM and a SOAP
// client independent of the code under test. Only tests import it.
package reftest

import (
	"encoding/base64"
	"errors"

	"github.com/tidwall/gjson"

	"github.com/hookcheck/hookcheck/conformance/reference"
)

// WebhookFields is the field order of spec §1.1.
var WebhookFields = []string{
	"WebhookId", "Name", "Events", "TargetUrl", "Secret", "State", "Type", "Headers",
	"Properties", "Registered", "RegisteredAssociate", "Updated", "UpdatedAssociate", "ErrorsEmail",
}

// AssociateFields is the Associate field order of spec §1.5 plus the
// Carrier fields.
var AssociateFields = []string{
	"AssociateId", "Name", "PersonId", "Rank", "Tooltip", "Type", "GroupIdx", "FullName",
	"FormalName", "Deleted", "EjUserId", "UserName", "ExtraFields", "CustomFields",
	"TableRight", "FieldProperties",
}

// Keys returns the member names of a JSON object, in order.
func Keys(obj gjson.Result) []string {
	var keys []string
	obj.ForEach(func(k, _ gjson.Result) bool {
		keys = append(keys, k.String())
		return true
	})
	return keys
}

// Kind returns the Kind of a core error, or 0.
func Kind(err error) reference.Kind {
	var e *reference.Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return 0
}

// Basic returns a Basic Authorization value.
func Basic(user, pass string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+pass))
}

// Null is gjson's type of a JSON null.
const Null = gjson.Null
