package mutants

import (
	"context"

	"github.com/hookcheck/hookcheck/conformance/reference"
	"github.com/hookcheck/hookcheck/conformance/reference/server"
)

// mailerMutants are faults of the error e-mail (spec §5).
func mailerMutants() []Mutant {
	return []Mutant{
		{
			Name:        "no-error-email",
			Component:   "Mailer",
			Description: "reports the error e-mail as sent without sending anything",
			Clauses:     clauses("WH-EML-001", "WH-EML-003"),
			Apply: withMailer(func(context.Context, reference.Mailer, reference.ErrorNotice) error {
				return nil
			}),
		},
		{
			Name:        "no-email-on-gone",
			Component:   "Mailer",
			Description: "sends the error e-mail when the error threshold turns the webhook off, but not when a 410 Gone does",
			Clauses:     clauses("WH-EML-003"),
			Apply: func(o *reference.Options, h *[]server.HandlerOption) error {
				policy := o.RetryPolicy
				if policy == nil {
					policy = reference.DefaultSchedule()
				}
				threshold := int64(policy.Threshold())
				return withMailer(func(ctx context.Context, std reference.Mailer, n reference.ErrorNotice) error {
					if n.ConsecutiveErrors < threshold {
						return nil // turned off before the threshold: a 410
					}
					return std.SendErrorMail(ctx, n)
				})(o, h)
			},
		},
		{
			Name:        "email-without-eventid",
			Component:   "Mailer",
			Description: "sends the error e-mail without the EventId of the failed delivery",
			Clauses:     clauses("WH-EML-002"),
			Apply: withMailer(func(ctx context.Context, std reference.Mailer, n reference.ErrorNotice) error {
				n.EventID = ""
				return std.SendErrorMail(ctx, n)
			}),
		},
	}
}

// mailerFunc is a Mailer built on the configured SMTPMailer.
type mailerFunc struct {
	std  reference.Mailer
	send func(ctx context.Context, std reference.Mailer, n reference.ErrorNotice) error
}

// SendErrorMail implements reference.Mailer.
func (m mailerFunc) SendErrorMail(ctx context.Context, n reference.ErrorNotice) error {
	return m.send(ctx, m.std, n)
}

// withMailer returns an Apply that installs send around the configured
// SMTPMailer.
func withMailer(send func(ctx context.Context, std reference.Mailer, n reference.ErrorNotice) error) func(*reference.Options, *[]server.HandlerOption) error {
	return func(o *reference.Options, _ *[]server.HandlerOption) error {
		o.Mailer = mailerFunc{std: o.DefaultMailer(), send: send}
		return nil
	}
}
