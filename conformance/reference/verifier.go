package reference

import (
	"context"
	"fmt"
)

// VerifyRequest is what a URLVerifier gets for one API save.
type VerifyRequest struct {
	// Webhook is the validated definition about to be stored.
	Webhook Webhook
	// Previous is the stored version on an update, nil on a create.
	Previous *Webhook
	// Probe sends the test event (§3) to Webhook.TargetURL and returns
	// the target's answer.
	Probe func(ctx context.Context) (*Response, error)
}

// URLVerifier is the save-time URL check of spec §3 / §9 #8. A non-nil
// error aborts the save with nothing stored; it should be a
// KindVerificationFailed *Error.
type URLVerifier interface {
	Verify(ctx context.Context, req VerifyRequest) error
}

// TestEventVerifier checks every API save of a webhook-type hook, whatever
// its State: it posts the test event and requires a status the
// SuccessPolicy accepts (200). crmscript hooks are never checked.
type TestEventVerifier struct {
	Success SuccessPolicy
}

// Verify implements URLVerifier.
func (v TestEventVerifier) Verify(ctx context.Context, req VerifyRequest) error {
	if req.Webhook.Type != "webhook" {
		return nil
	}
	resp, err := req.Probe(ctx)
	if err != nil {
		return &Error{
			Kind:    KindVerificationFailed,
			Type:    coreErrVerification,
			Message: fmt.Sprintf("The webhook target %s did not accept the test event: %v", req.Webhook.TargetURL, err),
			Err:     err,
		}
	}
	if !v.Success.Success(resp.Status) {
		return Errorf(KindVerificationFailed, coreErrVerification,
			"The webhook target %s answered the test event with %s; 200 OK is required", req.Webhook.TargetURL, resp.StatusLine)
	}
	return nil
}
