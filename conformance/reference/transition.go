package reference

// afterStateChange applies the side effects of a state change: a closed
// delivery gate drops the hook's pending deliveries (§9 #7), the
// StateEventEmitter's events are fanned out to their subscribers (§6), and
// the error notice, if any, is mailed in the background (§5).
func (s *Service) afterStateChange(ch StateChange, notice *ErrorNotice) {
	id := ch.Webhook.WebhookID
	if !ch.Created && ch.From != ch.To && !s.opts.Gate.Open(ch.To) {
		s.dropPending(id)
	}
	for _, ev := range s.opts.StateEvents.StateEvents(ch) {
		n := s.dispatch(ev, nil)
		s.log.Debug("state event signalled", "event", ev.Name, "webhooks", n)
	}
	if notice != nil {
		n := *notice
		if !s.spawn(func() { s.mailNotice(n) }) {
			s.log.Warn("error e-mail not sent: the service is closing", "webhook", id, "to", n.To)
		}
	}
}

// mailNotice sends the error e-mail and logs the outcome; a failure never
// affects anything else.
func (s *Service) mailNotice(n ErrorNotice) {
	if err := s.opts.Mailer.SendErrorMail(s.ctx, n); err != nil {
		s.log.Warn("error e-mail not sent", "webhook", n.WebhookID, "to", n.To, "error", err.Error())
		return
	}
	s.log.Info("error e-mail sent", "webhook", n.WebhookID, "to", n.To)
}
