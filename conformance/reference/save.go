package reference

import (
	"context"
	"time"
)

// saveMode tells an API save (URL check, server-owned fields) from a raw
// row save (neither).
type saveMode int

const (
	saveAPI saveMode = iota
	saveRow
)

// Save is SaveWebhook: WebhookID 0 creates, any other id updates (404 when
// missing). It validates, verifies the TargetUrl (spec §3) and stores.
// Server-owned fields are ignored (§9 #27): a create sets Registered and
// RegisteredAssociate (from the caller) and leaves Updated zero and
// UpdatedAssociate nil, as NetServer does; an update keeps Registered and
// sets Updated and UpdatedAssociate. State Unknown means Active on a create
// and "keep the stored state" on an update.
func (s *Service) Save(ctx context.Context, c Caller, w Webhook) (Webhook, error) {
	if w.WebhookID == 0 {
		return s.create(ctx, c, w, saveAPI)
	}
	return s.update(ctx, c, w.WebhookID, Condition{}, func(h *Webhook) error {
		*h = copyWebhook(w)
		return nil
	}, saveAPI)
}

// Create always creates a new webhook, ignoring w.WebhookID (REST POST).
func (s *Service) Create(ctx context.Context, c Caller, w Webhook) (Webhook, error) {
	return s.create(ctx, c, w, saveAPI)
}

// Modify loads webhook id, lets fn change it, and saves the result through
// the same path as Save (validation, URL check). An error from fn aborts
// with nothing stored. REST PUT and PATCH use it.
func (s *Service) Modify(ctx context.Context, c Caller, id int32, cond Condition, fn func(*Webhook) error) (Webhook, error) {
	return s.update(ctx, c, id, cond, fn, saveAPI)
}

// SaveRow is the internal "WebhookRow" save of spec §3, for seeding tests:
// like Save, with validation, but with no URL check, and it keeps the
// Registered/Updated times and associates the row carries (filling in the
// ones that are zero).
func (s *Service) SaveRow(ctx context.Context, c Caller, w Webhook) (Webhook, error) {
	if w.WebhookID == 0 {
		return s.create(ctx, c, w, saveRow)
	}
	return s.update(ctx, c, w.WebhookID, Condition{}, func(h *Webhook) error {
		*h = copyWebhook(w)
		return nil
	}, saveRow)
}

// create validates, verifies and stores a new webhook.
func (s *Service) create(ctx context.Context, c Caller, w Webhook, mode saveMode) (Webhook, error) {
	ctx, done, err := s.begin(ctx, &c)
	if err != nil {
		return Webhook{}, err
	}
	defer done()
	w = copyWebhook(w)
	w.WebhookID = 0
	now := s.now()
	if mode == saveAPI || w.Registered.IsZero() {
		w.Registered = now
		w.RegisteredAssociate = copyAssociate(c.Associate)
	}
	if mode == saveAPI {
		w.Updated = time.Time{}
		w.UpdatedAssociate = nil
	}
	if err := s.opts.Validator.Validate(&w, nil); err != nil {
		return Webhook{}, err
	}
	if err := s.acceptV121(&w); err != nil {
		return Webhook{}, err
	}
	if mode == saveAPI {
		if err := s.verify(ctx, c, w, nil); err != nil {
			return Webhook{}, err
		}
	}
	var stored Webhook
	err = s.mutate(func() (func(), error) {
		id := s.nextID
		s.nextID++ // never reused, even if the write below fails
		w.WebhookID = id
		s.hooks[id] = &hookRecord{hook: w, owner: c.AppToken}
		stored = copyWebhook(w)
		return func() { delete(s.hooks, id) }, nil
	})
	if err != nil {
		return Webhook{}, err
	}
	s.log.Info("webhook created", "webhook", stored.WebhookID, "state", stored.State.String(), "type", stored.Type)
	s.afterStateChange(StateChange{
		Webhook: copyWebhook(stored), From: StateUnknown, To: stored.State, Created: true,
		ChangedByAssociateID: callerAssociateID(c), At: now,
	}, nil)
	return s.present(stored, Usage{}), nil
}

// update loads, changes, validates, verifies and stores webhook id.
func (s *Service) update(ctx context.Context, c Caller, id int32, cond Condition, fn func(*Webhook) error, mode saveMode) (Webhook, error) {
	ctx, done, err := s.begin(ctx, &c)
	if err != nil {
		return Webhook{}, err
	}
	defer done()
	s.mu.RLock()
	rec, ok := s.visibleLocked(c, id)
	var prev Webhook
	if ok {
		prev = copyWebhook(rec.hook)
	}
	s.mu.RUnlock()
	if !ok {
		return Webhook{}, errWebhookNotFound(id)
	}
	if err := checkCondition(prev, cond); err != nil {
		return Webhook{}, err
	}
	next := copyWebhook(prev)
	if err := fn(&next); err != nil {
		return Webhook{}, err
	}
	next.WebhookID = id
	now := s.now()
	if mode == saveAPI || next.Registered.IsZero() {
		next.Registered = prev.Registered
		next.RegisteredAssociate = copyAssociate(prev.RegisteredAssociate)
	}
	if mode == saveAPI || next.Updated.IsZero() {
		next.Updated = now
		next.UpdatedAssociate = copyAssociate(c.Associate)
	}
	if err := s.opts.Validator.Validate(&next, &prev); err != nil {
		return Webhook{}, err
	}
	if err := s.acceptV121(&next); err != nil {
		return Webhook{}, err
	}
	if mode == saveAPI {
		if err := s.verify(ctx, c, next, &prev); err != nil {
			return Webhook{}, err
		}
	}
	var (
		stored Webhook
		from   State
		usage  Usage
	)
	err = s.mutate(func() (func(), error) {
		rec, ok := s.visibleLocked(c, id)
		if !ok {
			return nil, errWebhookNotFound(id)
		}
		if err := checkCondition(rec.hook, cond); err != nil {
			return nil, err
		}
		before := *rec
		from = rec.hook.State
		rec.hook = next
		if next.State == StateActive && from != StateActive {
			rec.usage = s.opts.Accounting.Reactivate(rec.usage) // §5
		}
		usage = rec.usage
		stored = copyWebhook(next)
		return func() { *rec = before }, nil
	})
	if err != nil {
		return Webhook{}, err
	}
	s.log.Info("webhook updated", "webhook", id, "state", stored.State.String())
	if from != stored.State {
		s.afterStateChange(StateChange{
			Webhook: copyWebhook(stored), Usage: usage, From: from, To: stored.State,
			ChangedByAssociateID: callerAssociateID(c), At: now,
		}, nil)
	}
	return s.present(stored, usage), nil
}

// checkCondition applies If-Unmodified-Since: the webhook's last change
// (Updated, or Registered when never updated), at the second resolution of
// HTTP dates, may not be after the given time.
func checkCondition(w Webhook, cond Condition) error {
	if cond.IfUnmodifiedSince.IsZero() {
		return nil
	}
	last := w.Updated
	if last.IsZero() {
		last = w.Registered
	}
	if last.Truncate(time.Second).After(cond.IfUnmodifiedSince) {
		return Errorf(KindPreconditionFailed, coreErrPrecondition,
			"Webhook id %d was modified at %s, after %s", w.WebhookID, FormatTime(last), FormatTime(cond.IfUnmodifiedSince))
	}
	return nil
}

// verify runs the URL check of an API save.
func (s *Service) verify(ctx context.Context, c Caller, w Webhook, prev *Webhook) error {
	err := s.opts.Verifier.Verify(ctx, VerifyRequest{
		Webhook:  copyWebhook(w),
		Previous: prev,
		Probe:    func(ctx context.Context) (*Response, error) { return s.probe(ctx, c, w) },
	})
	if err != nil {
		s.log.Info("webhook URL check failed", "target", w.TargetURL, "error", err.Error())
	}
	return err
}
