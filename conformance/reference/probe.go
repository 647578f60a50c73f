package reference

import (
	"context"
	"fmt"
	"strings"
)

// Test sends the test event to w's TargetUrl and stores nothing. Success is
// whether the SuccessPolicy accepts the answer (exactly 200 by default);
// Message is the answer's status line, headers and body, or the transport
// error, at most MaxErrorText characters. A crmscript hook has no URL to
// test: it reports Success with a note. An empty TargetUrl is KindInvalid.
func (s *Service) Test(ctx context.Context, c Caller, w Webhook) (WebhookResult, error) {
	ctx, done, err := s.begin(ctx, &c)
	if err != nil {
		return WebhookResult{}, err
	}
	defer done()
	w = copyWebhook(w)
	w.TargetURL = strings.TrimSpace(w.TargetURL)
	if w.TargetURL == "" {
		return WebhookResult{}, Errorf(KindInvalid, coreErrArgument, "TargetUrl is required to test a webhook")
	}
	if strings.EqualFold(strings.TrimSpace(w.Type), "crmscript") {
		return WebhookResult{Success: true, Message: "crmscript hooks run the script " + w.TargetURL + "; there is no URL to test"}, nil
	}
	resp, err := s.probe(ctx, c, w)
	if err != nil {
		return WebhookResult{Success: false, Message: LimitText(err.Error(), MaxErrorText)}, nil
	}
	return WebhookResult{Success: s.opts.SuccessPolicy.Success(resp.Status), Message: resp.Text()}, nil
}

// probe posts the test event of spec §3 for w: one EventId in header and
// body, X-Hook-Test: true, Entity "test", PrimaryKey 0, Changes [], signed
// with w's Secret, with w's custom Headers.
func (s *Service) probe(ctx context.Context, c Caller, w Webhook) (*Response, error) {
	ev := Event{
		Name:                 "test",
		Entity:               "test",
		Changes:              []string{},
		ChangedByAssociateID: callerAssociateID(c),
		Timestamp:            s.now(),
		Test:                 true,
	}
	p := s.payloadFor(ev, w, s.opts.EventIDs.EventID("", 1, 1))
	body, err := s.opts.PayloadBuilder.Build(p)
	if err != nil {
		return nil, fmt.Errorf("building the test event: %w", err)
	}
	h := s.opts.HeaderBuilder.Headers(HeaderInput{
		Payload:   p,
		Cycle:     1,
		Attempt:   1,
		Signature: s.opts.Signer.Sign(w.Secret, body),
		Custom:    w.Headers,
		UserAgent: s.userAgent(),
	})
	return s.opts.Sender.Send(ctx, OutboundRequest{URL: w.TargetURL, Header: h, Body: body})
}

// userAgent is the User-Agent of every request.
func (s *Service) userAgent() string { return "NetServer-Webhook/" + s.opts.Version }

// payloadFor addresses ev to webhook w.
func (s *Service) payloadFor(ev Event, w Webhook, eventID string) Payload {
	return Payload{
		Event:             ev,
		EventID:           eventID,
		ContextIdentifier: s.opts.ContextIdentifier,
		WebhookName:       w.Name,
		Properties:        w.Properties,
	}
}
