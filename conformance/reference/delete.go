package reference

import "context"

// Delete removes a webhook and drops its pending deliveries; an in-flight
// request to its target is cancelled. Its id is never handed out again.
func (s *Service) Delete(ctx context.Context, c Caller, id int32) error {
	if err := s.check(c); err != nil {
		return err
	}
	err := s.mutate(func() (func(), error) {
		rec, ok := s.visibleLocked(c, id)
		if !ok {
			return nil, errWebhookNotFound(id)
		}
		delete(s.hooks, id)
		return func() { s.hooks[id] = rec }, nil
	})
	if err != nil {
		return err
	}
	s.stopWorker(id)
	s.log.Info("webhook deleted", "webhook", id)
	return nil
}
