package reference

// AccessPolicy is the Online app isolation of spec §8: it admits callers and
// decides which stored hooks a caller can see and change.
type AccessPolicy interface {
	// Admit checks a caller before any call that is scoped to it.
	Admit(c Caller) error
	// Visible reports whether a hook registered by the application token
	// owner is visible to (and modifiable by) c.
	Visible(owner string, c Caller) bool
}

// OnSiteAccess is the on-site policy: no application tokens, every caller
// sees every hook.
type OnSiteAccess struct{}

// Admit implements AccessPolicy.
func (OnSiteAccess) Admit(Caller) error { return nil }

// Visible implements AccessPolicy.
func (OnSiteAccess) Visible(string, Caller) bool { return true }

// OnlineAccess is the Online policy: a caller must present an application
// token and sees only the hooks registered with that same token; other
// apps' hooks are reported as not found.
type OnlineAccess struct{}

// Admit implements AccessPolicy.
func (OnlineAccess) Admit(c Caller) error {
	if c.AppToken == "" {
		return Errorf(KindForbidden, coreErrAccessDenied, "an application token is required to use the webhook service")
	}
	return nil
}

// Visible implements AccessPolicy.
func (OnlineAccess) Visible(owner string, c Caller) bool { return owner == c.AppToken }

// SignalAudience is implemented by an AccessPolicy that scopes SignalEvent
// differently from the other calls. Without it, Signal reaches the hooks
// Visible admits: Online, only those of the caller's own app (spec §8).
type SignalAudience interface {
	// SignalVisible reports whether an event c signals reaches a hook
	// registered by the application token owner.
	SignalVisible(owner string, c Caller) bool
}

// signalVisible applies p's SignalAudience, or else its Visible.
func signalVisible(p AccessPolicy, owner string, c Caller) bool {
	if a, ok := p.(SignalAudience); ok {
		return a.SignalVisible(owner, c)
	}
	return p.Visible(owner, c)
}
