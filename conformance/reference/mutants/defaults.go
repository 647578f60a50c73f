package mutants

import (
	"fmt"
	"time"

	"github.com/hookcheck/hookcheck/conformance/reference"
)

// This file rebuilds the reference's default components from the plain
// fields of Options, the way reference.New would, so a mutant can wrap or
// tweak the component the caller configured rather than NetServer's
// documented defaults.

// schedule returns the default RetryPolicy o configures.
func schedule(o *reference.Options) reference.Schedule {
	s := reference.DefaultSchedule()
	if o.AttemptsPerCycle > 0 {
		s.Attempts = o.AttemptsPerCycle
	}
	if len(o.RetryDelays) > 0 {
		s.Delays = append([]time.Duration(nil), o.RetryDelays...)
	}
	if o.MaxCycles != 0 {
		s.Cycles = o.MaxCycles
	}
	s.Gap = o.CycleGap
	if o.ErrorThreshold > 0 {
		s.ErrorThreshold = o.ErrorThreshold
	}
	return s
}

// successPolicy returns the default SuccessPolicy o configures.
func successPolicy(o *reference.Options) reference.SuccessPolicy {
	if o.Success == "2xx" {
		return reference.Any2xx{}
	}
	return reference.ExactOK{}
}

// payloadBuilder returns the default PayloadBuilder o configures.
func payloadBuilder(o *reference.Options) reference.JSONPayload {
	return reference.JSONPayload{NestProperties: o.PropertiesPlacement == "nested", IncludeData: o.SignalValues}
}

// verifier returns the default URLVerifier o configures.
func verifier(o *reference.Options) reference.TestEventVerifier {
	return reference.TestEventVerifier{Success: successPolicy(o)}
}

// mailer returns the default Mailer o configures.
func mailer(o *reference.Options) reference.SMTPMailer {
	return reference.SMTPMailer{Addr: o.SMTPAddr}
}

// httpTimeout returns the target timeout o configures.
func httpTimeout(o *reference.Options) time.Duration {
	if o.HTTPTimeout > 0 {
		return o.HTTPTimeout
	}
	return 30 * time.Second
}

// sender returns the default Sender o configures, with allowHTTP forcing
// plain http on when true.
func sender(o *reference.Options, allowHTTP bool) (*reference.HTTPSender, error) {
	s, err := reference.NewHTTPSender(reference.HTTPSenderOptions{
		AllowHTTP:  o.AllowHTTP || allowHTTP,
		TrustCA:    o.TrustCA,
		TrustCAPEM: o.TrustCAPEM,
		Timeout:    httpTimeout(o),
	})
	if err != nil {
		return nil, fmt.Errorf("building the HTTP sender: %w", err)
	}
	return s, nil
}
