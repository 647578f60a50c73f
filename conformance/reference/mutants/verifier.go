package mutants

import (
	"context"
	"fmt"

	"github.com/hookcheck/hookcheck/conformance/reference"
	"github.com/hookcheck/hookcheck/conformance/reference/server"
)

// verifierMutants are faults of the save-time URL check (spec §3, §9 #8).
func verifierMutants() []Mutant {
	return []Mutant{
		{
			Name:        "save-despite-failed-check",
			Component:   "Verifier",
			Description: "sends the test event but stores the webhook whatever the target answers",
			Clauses:     clauses("WH-VER-006", "WH-VER-007", "WH-VER-013", "WH-PAR-010"),
			Apply: withVerifier(func(ctx context.Context, std reference.URLVerifier, req reference.VerifyRequest) error {
				_ = std.Verify(ctx, req) // the probe goes out; its verdict is lost
				return nil
			}),
		},
		{
			Name:        "verify-on-create-only",
			Component:   "Verifier",
			Description: "checks the TargetUrl when a webhook is created but not when it is updated",
			Clauses:     clauses("WH-VER-014"),
			Apply: withVerifier(func(ctx context.Context, std reference.URLVerifier, req reference.VerifyRequest) error {
				if req.Previous != nil {
					return nil
				}
				return std.Verify(ctx, req)
			}),
		},
		{
			Name:        "verify-skipped-when-stopped",
			Component:   "Verifier",
			Description: "skips the URL check for a webhook saved with State Stopped",
			Clauses:     clauses("WH-VER-015"),
			Apply: withVerifier(func(ctx context.Context, std reference.URLVerifier, req reference.VerifyRequest) error {
				if req.Webhook.State == reference.StateStopped {
					return nil
				}
				return std.Verify(ctx, req)
			}),
		},
		{
			Name:        "verify-crmscript",
			Component:   "Verifier",
			Description: "posts the test event for crmscript webhooks too, so their script include name fails the check",
			Clauses:     clauses("WH-VER-016"),
			Apply: withVerifier(func(ctx context.Context, std reference.URLVerifier, req reference.VerifyRequest) error {
				req.Webhook.Type = "webhook"
				return std.Verify(ctx, req)
			}),
		},
	}
}

// verifierFunc is a URLVerifier built on the configured default.
type verifierFunc struct {
	std reference.URLVerifier
	fn  func(ctx context.Context, std reference.URLVerifier, req reference.VerifyRequest) error
}

// Verify implements reference.URLVerifier.
func (v verifierFunc) Verify(ctx context.Context, req reference.VerifyRequest) error {
	return v.fn(ctx, v.std, req)
}

// withVerifier returns an Apply that installs fn around the configured
// TestEventVerifier.
func withVerifier(fn func(ctx context.Context, std reference.URLVerifier, req reference.VerifyRequest) error) func(*reference.Options, *[]server.HandlerOption) error {
	return func(o *reference.Options, _ *[]server.HandlerOption) error {
		std, err := o.DefaultVerifier()
		if err != nil {
			return fmt.Errorf("building the verifier: %w", err)
		}
		o.Verifier = verifierFunc{std: std, fn: fn}
		return nil
	}
}
