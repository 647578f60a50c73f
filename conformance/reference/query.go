package reference

import "context"

// check makes sure the service is open and admits c.
func (s *Service) check(c Caller) error {
	if s.closed.Load() {
		return errServiceClosed()
	}
	return s.opts.Access.Admit(c)
}

// List returns the caller's webhooks that pass f, ordered by WebhookID; an
// empty result is an empty, non-nil slice.
func (s *Service) List(ctx context.Context, c Caller, f Filter) ([]Webhook, error) {
	if err := s.check(c); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := []Webhook{}
	for _, id := range s.sortedIDsLocked() {
		rec, ok := s.visibleLocked(c, id)
		if !ok {
			continue
		}
		w := rec.hook
		if f.Name != "" && !s.opts.Matcher.MatchName(w.Name, f.Name) {
			continue
		}
		if f.Event != "" && !s.opts.Matcher.MatchEvent(w.Events, f.Event) {
			continue
		}
		if f.State != StateUnknown && w.State != f.State {
			continue
		}
		out = append(out, s.present(copyWebhook(w), rec.usage))
	}
	return out, nil
}

// Get returns one webhook or a KindNotFound error.
func (s *Service) Get(ctx context.Context, c Caller, id int32) (Webhook, error) {
	if err := s.check(c); err != nil {
		return Webhook{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	rec, ok := s.visibleLocked(c, id)
	if !ok {
		return Webhook{}, errWebhookNotFound(id)
	}
	return s.present(copyWebhook(rec.hook), rec.usage), nil
}

// LastError returns the webhook's last_error ("" when none) or a
// KindNotFound error.
func (s *Service) LastError(ctx context.Context, c Caller, id int32) (string, error) {
	u, err := s.Usage(ctx, c, id)
	return u.LastError, err
}

// Usage returns the webhook's usage statistics or a KindNotFound error.
func (s *Service) Usage(ctx context.Context, c Caller, id int32) (Usage, error) {
	if err := s.check(c); err != nil {
		return Usage{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	rec, ok := s.visibleLocked(c, id)
	if !ok {
		return Usage{}, errWebhookNotFound(id)
	}
	return rec.usage, nil
}
