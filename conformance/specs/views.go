package specs

import (
	"time"

	"github.com/hookcheck/hookcheck/conformance/driver"
)

// The views of a webhook that specs compare: what two front ends, or an
// answer and a later read, must agree on.

// entityView is the part of a webhook every front end must agree on.
type entityView struct {
	ID          int32
	Name        string
	Events      []string
	TargetURL   string
	State       string
	Type        string
	Headers     map[string]string
	Properties  map[string]any
	ErrorsEmail string
	Registered  time.Time
	Registrar   int32
}

// viewOf reduces a webhook to its entityView; times to the second.
func viewOf(wh *driver.Webhook) entityView {
	v := entityView{ID: wh.ID, Name: wh.Name, Events: wh.Events, TargetURL: wh.TargetURL, State: wh.State, Type: wh.Type,
		Headers: wh.Headers, Properties: wh.Properties, ErrorsEmail: wh.ErrorsEmail, Registered: wh.Registered.UTC().Truncate(time.Second)}
	if len(v.Headers) == 0 {
		v.Headers = nil
	}
	if len(v.Properties) == 0 {
		v.Properties = nil
	}
	if wh.RegisteredAssociate != nil {
		v.Registrar = wh.RegisteredAssociate.AssociateID
	}
	return v
}

// storedView is every field of a webhook a later read must repeat: the
// entityView plus Secret, Updated and UpdatedAssociate.
type storedView struct {
	entityView
	Secret   string
	Updated  time.Time
	Updater  int32
	HasAssoc [2]bool
}

// storedOf reduces a webhook to its storedView; times to the second.
func storedOf(wh *driver.Webhook) storedView {
	v := storedView{entityView: viewOf(wh), Secret: wh.Secret, Updated: wh.Updated.UTC().Truncate(time.Second)}
	if wh.UpdatedAssociate != nil {
		v.Updater = wh.UpdatedAssociate.AssociateID
	}
	v.HasAssoc = [2]bool{wh.RegisteredAssociate != nil, wh.UpdatedAssociate != nil}
	return v
}
