package reference

import (
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"time"
)

// Options configures a Service. The zero value is NetServer's documented
// behaviour with in-memory storage; every field documents its default and
// the spec point (§9 #n) it makes configurable. The component fields
// (Clock through Validator) replace one part of the core each; nil means
// the default implementation, built from the plain fields.
type Options struct {
	// DataDir, when set, keeps webhook definitions, usage statistics and
	// the id counter in DataDir/webhooks.json, written crash-safely on every
	// change, and loads them in New. Default "": memory only.
	DataDir string
	// Online turns on app isolation (§8): every scoped call needs
	// Caller.AppToken and sees only hooks registered with it. Default false
	// (on-site).
	Online bool

	// AllowHTTP permits http:// targets; default false: HTTPS is required
	// (§3, §9 #10).
	AllowHTTP bool
	// TrustCA and TrustCAPEM are roots trusted besides the system roots
	// when verifying target certificates (§9 #10). Default none.
	TrustCA    *x509.CertPool
	TrustCAPEM []byte
	// HTTPTimeout bounds every request to a target, body included; a
	// timeout is a failure. Default 30 s (§9 #30). It is not scaled by
	// TimeScale.
	HTTPTimeout time.Duration

	// TimeScale multiplies every delay of the retry schedule (RetryDelays
	// and CycleGap, or whatever a custom RetryPolicy returns): 0.01 turns
	// 1 s and 4 s into 10 ms and 40 ms. Default 1.
	TimeScale float64
	// RetryDelays are the waits before attempts 2, 3, ... of a cycle; the
	// last one repeats. Default [1s, 4s] (§5, §9 #3).
	RetryDelays []time.Duration
	// AttemptsPerCycle is the attempts of one cycle. Default 3 (§9 #3).
	AttemptsPerCycle int
	// MaxCycles is how many cycles a payload gets before it is discarded;
	// negative means no limit. Default 3 (§9 #3).
	MaxCycles int
	// CycleGap is the wait before a requeued payload's next cycle. Default
	// 0 (§9 #3).
	CycleGap time.Duration
	// ErrorThreshold is the consecutive failed attempts that turn a hook
	// into TooManyErrors. Default 9 (§5, §9 #4, #29).
	ErrorThreshold int
	// Success is "200" (exactly 200 OK) or "2xx". Default "200" (§9 #2).
	Success string

	// PropertiesPlacement is "top" (Properties merged as top-level body
	// members after the standard ones, never replacing them) or "nested"
	// (under "Properties"). Default "top" (§9 #14).
	PropertiesPlacement string
	// SignalValues adds the SignalEvent data values to HTTP bodies as
	// FieldValues. Default false: only the names, in Changes (§9 #15).
	SignalValues bool
	// ContextIdentifier is the body's ContextIdentifier. Default "Default"
	// (§9 #23).
	ContextIdentifier string
	// Version is the {version} of User-Agent: NetServer-Webhook/{version}.
	// Default "8.8.6684.1719" (§4.2).
	Version string

	// SMTPAddr is the host:port of the SMTP server for error e-mails (§5).
	// Default "": e-mails are not sent, which is logged.
	SMTPAddr string
	// MailFrom is the e-mails' sender. Default "webhooks@hookcheck.local".
	MailFrom string
	// Logger receives operational logs. Default: discarded.
	Logger *slog.Logger

	// Clock is the one source of time (timestamps and every wait).
	// Default RealClock.
	Clock Clock
	// Signer signs bodies. Default HMACSigner.
	Signer Signer
	// RetryPolicy is the failure schedule. Default Schedule built from
	// AttemptsPerCycle, RetryDelays, MaxCycles, CycleGap, ErrorThreshold.
	RetryPolicy RetryPolicy
	// SuccessPolicy judges statuses. Default from Success.
	SuccessPolicy SuccessPolicy
	// PayloadBuilder serialises bodies. Default JSONPayload from
	// PropertiesPlacement and SignalValues.
	PayloadBuilder PayloadBuilder
	// HeaderBuilder builds request headers. Default StandardHeaders.
	HeaderBuilder HeaderBuilder
	// StateEvents turns state changes into §6 events. Default
	// StandardStateEvents.
	StateEvents StateEventEmitter
	// Matcher matches event names and name filters. Default ExactMatcher.
	Matcher Matcher
	// Verifier is the save-time URL check. Default TestEventVerifier with
	// the SuccessPolicy.
	Verifier URLVerifier
	// Mailer sends the error e-mail. Default SMTPMailer at SMTPAddr.
	Mailer Mailer
	// Sender posts to targets. Default HTTPSender from AllowHTTP, TrustCA,
	// TrustCAPEM and HTTPTimeout.
	Sender Sender
	// ScriptRunner runs crmscript hooks. Default a new ScriptRecorder
	// (see Service.ScriptRunner).
	ScriptRunner ScriptRunner
	// EventIDs picks EventIds. Default CycleEventIDs.
	EventIDs EventIDSource
	// Accounting updates usage statistics. Default AttemptAccounting.
	Accounting UsageAccounting
	// Gate decides which states take deliveries. Default ActiveGate.
	Gate DeliveryGate
	// Access is the app isolation policy. Default OnlineAccess when
	// Online, else OnSiteAccess.
	Access AccessPolicy
	// Validator checks and normalises saves. Default StandardValidator.
	Validator Validator
	// Defaults returns the CreateDefaultWebhook entity. Default
	// StandardDefaults (§1.2).
	Defaults func() Webhook
}

// withDefaults returns o with every default filled in and every component
// built.
func (o Options) withDefaults() (Options, error) {
	if o.TimeScale < 0 {
		return o, fmt.Errorf("reference: Options.TimeScale %v is negative", o.TimeScale)
	}
	if o.TimeScale == 0 {
		o.TimeScale = 1
	}
	if o.HTTPTimeout < 0 || o.CycleGap < 0 || o.AttemptsPerCycle < 0 || o.ErrorThreshold < 0 {
		return o, errors.New("reference: Options.HTTPTimeout, CycleGap, AttemptsPerCycle and ErrorThreshold may not be negative")
	}
	if o.HTTPTimeout == 0 {
		o.HTTPTimeout = 30 * time.Second
	}
	def := DefaultSchedule()
	if len(o.RetryDelays) == 0 {
		o.RetryDelays = def.Delays
	}
	for _, d := range o.RetryDelays {
		if d < 0 {
			return o, fmt.Errorf("reference: Options.RetryDelays holds a negative delay %v", d)
		}
	}
	if o.AttemptsPerCycle == 0 {
		o.AttemptsPerCycle = def.Attempts
	}
	if o.MaxCycles == 0 {
		o.MaxCycles = def.Cycles
	}
	if o.ErrorThreshold == 0 {
		o.ErrorThreshold = def.ErrorThreshold
	}
	switch o.PropertiesPlacement {
	case "":
		o.PropertiesPlacement = "top"
	case "top", "nested":
	default:
		return o, fmt.Errorf("reference: Options.PropertiesPlacement %q is not \"top\" or \"nested\"", o.PropertiesPlacement)
	}
	if o.ContextIdentifier == "" {
		o.ContextIdentifier = "Default"
	}
	if o.Version == "" {
		o.Version = "8.8.6684.1719"
	}
	if o.MailFrom == "" {
		o.MailFrom = "webhooks@hookcheck.local"
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}

	if o.Clock == nil {
		o.Clock = RealClock{}
	}
	if o.Signer == nil {
		o.Signer = HMACSigner{}
	}
	if o.RetryPolicy == nil {
		o.RetryPolicy = Schedule{
			Attempts:       o.AttemptsPerCycle,
			Delays:         o.RetryDelays,
			Cycles:         o.MaxCycles,
			Gap:            o.CycleGap,
			ErrorThreshold: o.ErrorThreshold,
		}
	}
	if o.SuccessPolicy == nil {
		p, err := successPolicyFor(o.Success)
		if err != nil {
			return o, err
		}
		o.SuccessPolicy = p
	}
	if o.PayloadBuilder == nil {
		o.PayloadBuilder = JSONPayload{NestProperties: o.PropertiesPlacement == "nested", IncludeData: o.SignalValues}
	}
	if o.HeaderBuilder == nil {
		o.HeaderBuilder = StandardHeaders{}
	}
	if o.StateEvents == nil {
		o.StateEvents = StandardStateEvents{}
	}
	if o.Matcher == nil {
		o.Matcher = ExactMatcher{}
	}
	if o.Verifier == nil {
		o.Verifier = TestEventVerifier{Success: o.SuccessPolicy}
	}
	if o.Mailer == nil {
		o.Mailer = SMTPMailer{Addr: o.SMTPAddr}
	}
	if o.Sender == nil {
		s, err := NewHTTPSender(HTTPSenderOptions{
			AllowHTTP:  o.AllowHTTP,
			TrustCA:    o.TrustCA,
			TrustCAPEM: o.TrustCAPEM,
			Timeout:    o.HTTPTimeout,
		})
		if err != nil {
			return o, err
		}
		o.Sender = s
	}
	if o.ScriptRunner == nil {
		o.ScriptRunner = &ScriptRecorder{}
	}
	if o.EventIDs == nil {
		o.EventIDs = CycleEventIDs{}
	}
	if o.Accounting == nil {
		o.Accounting = AttemptAccounting{}
	}
	if o.Gate == nil {
		o.Gate = ActiveGate{}
	}
	if o.Access == nil {
		if o.Online {
			o.Access = OnlineAccess{}
		} else {
			o.Access = OnSiteAccess{}
		}
	}
	if o.Validator == nil {
		o.Validator = StandardValidator{}
	}
	if o.Defaults == nil {
		o.Defaults = StandardDefaults
	}
	return o, nil
}
