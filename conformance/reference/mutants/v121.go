package mutants

import (
	"context"
	"net/http"
	"regexp"

	"github.com/hookcheck/hookcheck/conformance/reference"
	"github.com/hookcheck/hookcheck/conformance/reference/server"
)

// v121RunFlags run the suite with the v12.1 members on (spec §1.8), so the
// embedded reference has them and their specs run.
var v121RunFlags = []string{"--v121"}

// v121Mutants are faults of the v12.1 members (spec §1.8): a setting not
// stored or overridden, the usage mirrors stale, the first-failure e-mail
// not sent.
func v121Mutants() []Mutant {
	return []Mutant{
		{
			Name:        "v121-description-dropped",
			Component:   "Validator",
			Description: "a save drops the v12.1 Description, so every read answers it empty",
			Clauses:     clauses("WH-V12-001"),
			RunFlags:    v121RunFlags,
			Apply: withValidator(func(w *reference.Webhook) {
				if w.V121 != nil {
					w.V121.Description = ""
				}
			}),
		},
		{
			Name:        "v121-notify-when-ignored",
			Component:   "Validator",
			Description: "a save with NotifyVia Email notifies on every occasion: NotifyWhen is stored as FirstFailure, Disabling whatever was sent",
			Clauses:     clauses("WH-V12-004", "WH-V12-001"),
			RunFlags:    v121RunFlags,
			Apply: withValidator(func(w *reference.Webhook) {
				if w.V121 != nil && w.V121.NotifyVia == reference.NotifyViaEmail {
					w.V121.NotifyWhen = reference.NotifyWhenFirstFailure | reference.NotifyWhenDisabling
				}
			}),
		},
		{
			Name:        "v121-notify-via-ignored",
			Component:   "Validator",
			Description: "a save with ErrorEmails e-mails them whatever NotifyVia says: NotifyVia is stored as Email",
			Clauses:     clauses("WH-V12-005", "WH-V12-001"),
			RunFlags:    v121RunFlags,
			Apply: withValidator(func(w *reference.Webhook) {
				if w.V121 != nil && len(w.V121.ErrorEmails) > 0 {
					w.V121.NotifyVia = reference.NotifyViaEmail
				}
			}),
		},
		{
			Name:        "v121-usage-not-mirrored",
			Component:   "WithMiddleware(rest)",
			Description: "REST answers TotalCalls, TotalErrors and ConsecutiveErrors as 0 instead of the webhook_usage counts (so do the usage statistics read from them, --usage-stats fields)",
			Clauses:     clauses("WH-V12-002", "WH-STA-015"),
			RunFlags:    v121RunFlags,
			Apply: withHandler(server.WithMiddleware(server.FrontREST, rewriteAnswer(
				func(r *http.Request, _ []byte) bool { return r.Method == http.MethodGet },
				func(_ []byte, status int, body []byte) (int, []byte) {
					return status, usageCount.ReplaceAll(body, []byte(`"$1":0`))
				}))),
		},
		{
			Name:        "v121-no-first-failure-email",
			Component:   "Mailer",
			Description: "the NotifyWhen FirstFailure e-mail is never sent; only disabling is notified",
			Clauses:     clauses("WH-V12-003"),
			RunFlags:    v121RunFlags,
			Apply: withMailer(func(ctx context.Context, std reference.Mailer, n reference.ErrorNotice) error {
				if n.State == reference.StateActive {
					return nil
				}
				return std.SendErrorMail(ctx, n)
			}),
		},
	}
}

// usageCount finds the v12.1 usage counters of a JSON answer.
var usageCount = regexp.MustCompile(`"(TotalCalls|TotalErrors|ConsecutiveErrors)":\d+`)

// changingValidator is StandardValidator followed by a change of the
// entity to store.
type changingValidator struct {
	change func(*reference.Webhook)
}

// Validate implements reference.Validator.
func (v changingValidator) Validate(w *reference.Webhook, prev *reference.Webhook) error {
	if err := (reference.StandardValidator{}).Validate(w, prev); err != nil {
		return err
	}
	v.change(w)
	return nil
}

// withValidator installs a changingValidator.
func withValidator(change func(*reference.Webhook)) func(*reference.Options, *[]server.HandlerOption) error {
	return func(o *reference.Options, _ *[]server.HandlerOption) error {
		o.Validator = changingValidator{change: change}
		return nil
	}
}
