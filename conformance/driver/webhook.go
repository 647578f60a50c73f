package driver

import (
	"slices"
	"strings"
	"time"
)

// Webhook is the normalised view of the webhook entity (spec §1.1) that
// every driver decodes into and encodes from. Null (or nil, or absent)
// strings, lists and maps on the wire decode to zero values; Nulls says
// which fields those were, so a spec can still tell null from "".
type Webhook struct {
	ID          int32
	Name        string
	Events      []string
	TargetURL   string
	Secret      string
	State       string
	Type        string
	Headers     map[string]string
	Properties  map[string]any
	ErrorsEmail string
	// Registered, Updated and the associates are server-owned (§9 #27);
	// they are sent only when set, so a spec can try to forge them.
	Registered          time.Time
	RegisteredAssociate *Associate
	Updated             time.Time
	UpdatedAssociate    *Associate
	// Links holds the REST `_Links` of single-item answers.
	Links map[string]string
	// Nulls lists the wire names of the fields that were null or absent in
	// the answer this view was decoded from.
	Nulls []string
	// Raw is the wire form the view was decoded from (JSON or XML).
	Raw string
}

// Associate is the part of the Associate sub-object (spec §1.5) the suite
// looks at.
type Associate struct {
	AssociateID int32
	Name        string
}

// Wire names of the webhook fields, in WSDL order (spec §1.1).
const (
	FieldWebhookID           = "WebhookId"
	FieldName                = "Name"
	FieldEvents              = "Events"
	FieldTargetURL           = "TargetUrl"
	FieldSecret              = "Secret"
	FieldState               = "State"
	FieldType                = "Type"
	FieldHeaders             = "Headers"
	FieldProperties          = "Properties"
	FieldRegistered          = "Registered"
	FieldRegisteredAssociate = "RegisteredAssociate"
	FieldUpdated             = "Updated"
	FieldUpdatedAssociate    = "UpdatedAssociate"
	FieldErrorsEmail         = "ErrorsEmail"
)

// Fields lists the wire names of the webhook fields in WSDL order.
var Fields = []string{
	FieldWebhookID, FieldName, FieldEvents, FieldTargetURL, FieldSecret, FieldState, FieldType,
	FieldHeaders, FieldProperties, FieldRegistered, FieldRegisteredAssociate, FieldUpdated,
	FieldUpdatedAssociate, FieldErrorsEmail,
}

// IsNull reports whether the named field (wire name, any letter case) was
// null or absent in the decoded answer.
func (w *Webhook) IsNull(field string) bool {
	return slices.ContainsFunc(w.Nulls, func(n string) bool { return strings.EqualFold(n, field) })
}

// State names of the WebhookState enum (spec §1.3), indexed by value.
var StateNames = []string{"Unknown", "Active", "Stopped", "TooManyErrors"}

// The WebhookState names.
const (
	StateUnknown       = "Unknown"
	StateActive        = "Active"
	StateStopped       = "Stopped"
	StateTooManyErrors = "TooManyErrors"
)

// Patch is the body of a REST PATCH (spec §2.3): JSON Patch operations, or
// a Merge Patch object when Merge is set.
type Patch struct {
	Ops   []PatchOp
	Merge map[string]any
}

// PatchOp is one RFC 6902 operation.
type PatchOp struct {
	Op    string `json:"op"`
	Path  string `json:"path"`
	From  string `json:"from,omitempty"`
	Value any    `json:"value,omitempty"`
}
