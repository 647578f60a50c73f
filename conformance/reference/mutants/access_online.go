package mutants

import (
	"github.com/hookcheck/hookcheck/conformance/reference"
	"github.com/hookcheck/hookcheck/conformance/reference/server"
)

// onlineAccessMutants are faults of the Online app token check and of
// SignalEvent's scope (spec §2.1, §8).
func onlineAccessMutants() []Mutant {
	return []Mutant{
		{
			Name:        "online-app-token-optional",
			Component:   "Access",
			Description: "Online, admits calls without SO-AppToken / ApplicationToken (they see the hooks registered without a token)",
			Clauses:     clauses("WH-SEC-010"),
			RunFlags:    []string{"--online"},
			Apply: func(o *reference.Options, _ *[]server.HandlerOption) error {
				o.Access = tokenOptional{}
				return nil
			},
		},
		{
			Name:        "signal-unscoped",
			Component:   "Access",
			Description: "Online, SignalEvent reaches the hooks of every app, not only the calling app's",
			Clauses:     clauses("WH-SEC-011"),
			RunFlags:    []string{"--online"},
			Apply: func(o *reference.Options, _ *[]server.HandlerOption) error {
				o.Access = signalUnscoped{}
				return nil
			},
		},
	}
}

// tokenOptional is OnlineAccess without the demand for a token.
type tokenOptional struct{ reference.OnlineAccess }

// Admit implements reference.AccessPolicy: everyone.
func (tokenOptional) Admit(reference.Caller) error { return nil }

// signalUnscoped is OnlineAccess whose SignalEvent reaches every hook.
type signalUnscoped struct{ reference.OnlineAccess }

// SignalVisible implements reference.SignalAudience: every hook.
func (signalUnscoped) SignalVisible(string, reference.Caller) bool { return true }
