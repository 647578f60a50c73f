package mutants

import (
	"github.com/hookcheck/hookcheck/conformance/reference"
	"github.com/hookcheck/hookcheck/conformance/reference/server"
)

// accessMutants are faults of Online app isolation (spec §8).
func accessMutants() []Mutant {
	return []Mutant{
		{
			Name:        "online-isolation-off",
			Component:   "Access",
			Description: "Online, still demands an app token but lets every app see, change and delete the webhooks other apps registered",
			Clauses:     clauses("WH-SEC-005"),
			RunFlags:    []string{"--online"},
			Apply: func(o *reference.Options, _ *[]server.HandlerOption) error {
				o.Access = sharedAccess{online: o.Online}
				return nil
			},
		},
	}
}

// sharedAccess admits callers like the configured policy but shows every
// caller every webhook.
type sharedAccess struct{ online bool }

// Admit implements reference.AccessPolicy.
func (a sharedAccess) Admit(c reference.Caller) error {
	if a.online {
		return reference.OnlineAccess{}.Admit(c)
	}
	return reference.OnSiteAccess{}.Admit(c)
}

// Visible implements reference.AccessPolicy: always.
func (sharedAccess) Visible(string, reference.Caller) bool { return true }
