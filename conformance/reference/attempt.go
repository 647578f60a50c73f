package reference

import (
	"context"
	"errors"
	"slices"
)

// errUnchanged tells mutate that nothing changed and nothing must be
// written.
var errUnchanged = errors.New("unchanged")

// attemptOnce makes one attempt to deliver j to hook: an HTTP POST for a
// webhook-type hook, a script run for a crmscript hook.
func (s *Service) attemptOnce(ctx context.Context, hook Webhook, j *deliveryJob, attempt int) Outcome {
	p := s.payloadFor(j.event, hook, j.eventID)
	if hook.Type == "crmscript" {
		err := s.opts.ScriptRunner.RunScript(ctx, ScriptCall{
			WebhookID: hook.WebhookID,
			Include:   hook.TargetURL,
			Params:    ScriptParams(p),
			At:        s.now(),
		})
		if err != nil {
			return Outcome{Error: LimitText("crmscript "+hook.TargetURL+": "+err.Error(), MaxErrorText)}
		}
		return Outcome{Success: true}
	}
	body, err := s.opts.PayloadBuilder.Build(p)
	if err != nil {
		return Outcome{Error: LimitText("building the payload: "+err.Error(), MaxErrorText)}
	}
	h := s.opts.HeaderBuilder.Headers(HeaderInput{
		Payload:   p,
		Cycle:     j.cycle,
		Attempt:   attempt,
		Signature: s.opts.Signer.Sign(hook.Secret, body),
		Custom:    hook.Headers,
		UserAgent: s.userAgent(),
	})
	resp, err := s.opts.Sender.Send(ctx, OutboundRequest{URL: hook.TargetURL, Header: h, Body: body})
	if err != nil {
		return Outcome{Error: LimitText(err.Error(), MaxErrorText)}
	}
	o := Outcome{Success: s.opts.SuccessPolicy.Success(resp.Status), Status: resp.Status}
	if !o.Success {
		o.Error = resp.Text()
	}
	return o
}

// recordAttempt books o on hook id's usage row and applies the failure
// rules: a permanent status (410) or reaching the consecutive-error
// threshold turns an Active hook into TooManyErrors. It reports whether the
// payload must not be tried again (the hook is gone, was just disabled, or
// the status is permanent).
func (s *Service) recordAttempt(id int32, j *deliveryJob, o Outcome) bool {
	var (
		change    *StateChange
		notice    *ErrorNotice
		notices   []ErrorNotice // v12.1 NotifyVia/NotifyWhen e-mails (§1.8)
		gone      bool
		permanent = !o.Success && o.Status != 0 && s.opts.RetryPolicy.Permanent(o.Status)
	)
	err := s.mutate(func() (func(), error) {
		rec, ok := s.hooks[id]
		if !ok {
			gone = true
			return nil, errUnchanged
		}
		rec.usage = s.opts.Accounting.Record(rec.usage, o)
		if o.Success || rec.hook.State != StateActive {
			return nil, nil
		}
		base := ErrorNotice{
			From: s.opts.MailFrom, WebhookID: id, Name: rec.hook.Name, TargetURL: rec.hook.TargetURL, Events: slices.Clone(rec.hook.Events),
			State: StateActive, EventID: j.eventID, Error: o.Error, ConsecutiveErrors: rec.usage.ConsecutiveErrors, At: s.now(),
		}
		threshold := s.opts.RetryPolicy.Threshold()
		if !permanent && (threshold <= 0 || rec.usage.ConsecutiveErrors < int64(threshold)) {
			if n := s.v121Notice(rec.hook, false, base); n != nil {
				notices = append(notices, *n)
			}
			return nil, nil
		}
		rec.hook.State = StateTooManyErrors
		now := s.now()
		w := copyWebhook(rec.hook)
		change = &StateChange{Webhook: w, Usage: rec.usage, From: StateActive, To: StateTooManyErrors, At: now}
		if w.ErrorsEmail != "" {
			notice = &ErrorNotice{
				To: w.ErrorsEmail, From: s.opts.MailFrom,
				WebhookID: id, Name: w.Name, TargetURL: w.TargetURL, Events: w.Events,
				State: StateTooManyErrors, EventID: j.eventID, Error: o.Error,
				ConsecutiveErrors: rec.usage.ConsecutiveErrors, At: now,
			}
		}
		base.State, base.At = StateTooManyErrors, now
		if n := s.v121Notice(w, true, base); n != nil {
			notices = append(notices, *n)
		}
		return nil, nil
	})
	if err != nil && !errors.Is(err, errUnchanged) {
		s.log.Error("recording a delivery attempt failed", "webhook", id, "error", err.Error())
	}
	if change != nil {
		s.log.Warn("webhook turned off", "webhook", id, "state", change.To.String(),
			"consecutiveErrors", change.Usage.ConsecutiveErrors, "permanent", permanent)
		s.afterStateChange(*change, notice)
	}
	for _, n := range notices {
		if !s.spawn(func() { s.mailNotice(n) }) {
			s.log.Warn("notification e-mail not sent: the service is closing", "webhook", id, "to", n.To)
		}
	}
	return gone || change != nil || permanent
}
