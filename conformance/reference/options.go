package reference

import (
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
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
	// CheckRevocation makes the default CertVerifier refuse a target
	// certificate that the CRL it names lists as revoked (§3 "revoked");
	// one whose CRL cannot be fetched is refused too. Default false: the
	// docs list revoked certificates among the refused ones but not how
	// revocation is checked, and a check needs the CA's CRL reachable.
	CheckRevocation bool
	// HTTPTimeout bounds every request to a target, body included; a
	// timeout is a failure. Default DefaultHTTPTimeout (§9 #30). It is not
	// scaled by TimeScale.
	HTTPTimeout time.Duration

	// TimeScale multiplies every delay of the retry schedule (whatever the
	// RetryPolicy returns): 0.01 turns 1 s and 4 s into 10 ms and 40 ms.
	// Default 1.
	TimeScale float64
	// Success is "200" (exactly 200 OK) or "2xx". Default "200" (§9 #2).
	Success string

	// PropertiesPlacement is "top" (Properties merged as top-level body
	// members after the standard ones, never replacing them) or "nested"
	// (under "Properties"). Default "top" (§9 #14).
	PropertiesPlacement string
	// SignalValues adds the SignalEvent data values to HTTP bodies as
	// FieldValues. Default false: only the names, in Changes (§9 #15).
	SignalValues bool
	// V121Fields turns on the v12.1 members of the entity (spec §1.8):
	// ErrorEmails, Description, NotifyVia, NotifyWhen and the read-only
	// TotalCalls, TotalErrors, ConsecutiveErrors and LastError, with the
	// e-mails NotifyVia/NotifyWhen ask for. Default false: the entity of
	// the base REST, Agents and SOAP pages.
	V121Fields bool
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
	// RetryPolicy is the failure schedule, the one place it is set: the
	// attempts per cycle, the waits between them, the cycles, the gap
	// before a requeued cycle and the error threshold (§5, §9 #3, #4, #29).
	// Default DefaultSchedule(); to change one number, change a copy of it
	// (Schedule is a RetryPolicy).
	RetryPolicy RetryPolicy
	// SuccessPolicy judges statuses. Default from Success
	// (DefaultSuccessPolicy).
	SuccessPolicy SuccessPolicy
	// PayloadBuilder serialises bodies. Default JSONPayload from
	// PropertiesPlacement and SignalValues (DefaultPayloadBuilder).
	PayloadBuilder PayloadBuilder
	// HeaderBuilder builds request headers. Default StandardHeaders.
	HeaderBuilder HeaderBuilder
	// StateEvents turns state changes into §6 events. Default
	// StandardStateEvents.
	StateEvents StateEventEmitter
	// Matcher matches event names and name filters. Default ExactMatcher.
	Matcher Matcher
	// Verifier is the save-time URL check. Default TestEventVerifier with
	// the SuccessPolicy (DefaultVerifier).
	Verifier URLVerifier
	// Mailer sends the error e-mail. Default SMTPMailer at SMTPAddr
	// (DefaultMailer).
	Mailer Mailer
	// CertVerifier judges the TLS certificates of targets (§3). Default
	// StandardCertVerifier from TrustCA, TrustCAPEM, CheckRevocation and
	// HTTPTimeout (DefaultCertVerifier).
	CertVerifier CertVerifier
	// Sender posts to targets. Default HTTPSender from AllowHTTP,
	// CertVerifier and HTTPTimeout (DefaultSender).
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

// DefaultHTTPTimeout is the default Options.HTTPTimeout (§9 #30).
const DefaultHTTPTimeout = 30 * time.Second

// withDefaults returns o with every plain default filled in and every
// component built: first the plain fields, then each component that is nil
// from its own default.
func (o Options) withDefaults() (Options, error) {
	if err := o.fillPlain(); err != nil {
		return o, err
	}
	if err := o.fillComponents(); err != nil {
		return o, err
	}
	return o, nil
}

// fillPlain checks the plain fields and fills in their defaults.
func (o *Options) fillPlain() error {
	if o.TimeScale < 0 {
		return fmt.Errorf("reference: Options.TimeScale %v is negative", o.TimeScale)
	}
	if o.TimeScale == 0 {
		o.TimeScale = 1
	}
	if o.HTTPTimeout < 0 {
		return errors.New("reference: Options.HTTPTimeout may not be negative")
	}
	if o.HTTPTimeout == 0 {
		o.HTTPTimeout = DefaultHTTPTimeout
	}
	switch o.PropertiesPlacement {
	case "":
		o.PropertiesPlacement = "top"
	case "top", "nested":
	default:
		return fmt.Errorf("reference: Options.PropertiesPlacement %q is not \"top\" or \"nested\"", o.PropertiesPlacement)
	}
	orDefault(&o.ContextIdentifier, "Default")
	orDefault(&o.Version, "8.8.6684.1719")
	orDefault(&o.MailFrom, "webhooks@hookcheck.local")
	orDefault(&o.Logger, slog.New(slog.DiscardHandler))
	return nil
}

// fillComponents builds every nil component from its default.
func (o *Options) fillComponents() error {
	orDefault[Clock](&o.Clock, RealClock{})
	orDefault[Signer](&o.Signer, HMACSigner{})
	orDefault[RetryPolicy](&o.RetryPolicy, DefaultSchedule())
	if s, ok := o.RetryPolicy.(Schedule); ok {
		if err := s.validate(); err != nil {
			return err
		}
	}
	if o.SuccessPolicy == nil {
		p, err := o.DefaultSuccessPolicy()
		if err != nil {
			return err
		}
		o.SuccessPolicy = p
	}
	orDefault[PayloadBuilder](&o.PayloadBuilder, o.DefaultPayloadBuilder())
	orDefault[HeaderBuilder](&o.HeaderBuilder, StandardHeaders{})
	orDefault[StateEventEmitter](&o.StateEvents, StandardStateEvents{})
	orDefault[Matcher](&o.Matcher, ExactMatcher{})
	if o.Verifier == nil {
		v, err := o.DefaultVerifier()
		if err != nil {
			return err
		}
		o.Verifier = v
	}
	orDefault[Mailer](&o.Mailer, o.DefaultMailer())
	if o.CertVerifier == nil {
		v, err := o.DefaultCertVerifier()
		if err != nil {
			return err
		}
		o.CertVerifier = v
	}
	if o.Sender == nil {
		s, err := o.DefaultSender()
		if err != nil {
			return err
		}
		o.Sender = s
	}
	orDefault[ScriptRunner](&o.ScriptRunner, &ScriptRecorder{})
	orDefault[EventIDSource](&o.EventIDs, CycleEventIDs{})
	orDefault[UsageAccounting](&o.Accounting, AttemptAccounting{})
	orDefault[DeliveryGate](&o.Gate, ActiveGate{})
	if o.Online {
		orDefault[AccessPolicy](&o.Access, OnlineAccess{})
	} else {
		orDefault[AccessPolicy](&o.Access, OnSiteAccess{})
	}
	orDefault[Validator](&o.Validator, StandardValidator{})
	if o.Defaults == nil {
		o.Defaults = StandardDefaults
	}
	return nil
}

// orDefault sets *field to def when it is the zero value.
func orDefault[T comparable](field *T, def T) {
	var zero T
	if *field == zero {
		*field = def
	}
}

// The builders below make the default component the plain fields of o
// configure. New uses them for the components left nil; a caller uses them
// to wrap the default it would otherwise get.

// DefaultSuccessPolicy returns the SuccessPolicy of Options.Success.
func (o *Options) DefaultSuccessPolicy() (SuccessPolicy, error) { return successPolicyFor(o.Success) }

// DefaultPayloadBuilder returns the JSONPayload of
// Options.PropertiesPlacement and Options.SignalValues.
func (o *Options) DefaultPayloadBuilder() JSONPayload {
	return JSONPayload{NestProperties: o.PropertiesPlacement == "nested", IncludeData: o.SignalValues}
}

// DefaultVerifier returns the TestEventVerifier that judges with
// Options.SuccessPolicy, or with DefaultSuccessPolicy when that is nil.
func (o *Options) DefaultVerifier() (TestEventVerifier, error) {
	p := o.SuccessPolicy
	if p == nil {
		var err error
		if p, err = o.DefaultSuccessPolicy(); err != nil {
			return TestEventVerifier{}, err
		}
	}
	return TestEventVerifier{Success: p}, nil
}

// DefaultMailer returns the SMTPMailer at Options.SMTPAddr.
func (o *Options) DefaultMailer() SMTPMailer { return SMTPMailer{Addr: o.SMTPAddr} }

// DefaultSender returns the HTTPSender of Options.AllowHTTP,
// CertVerifier (DefaultCertVerifier when nil) and HTTPTimeout
// (DefaultHTTPTimeout when zero).
func (o *Options) DefaultSender() (*HTTPSender, error) {
	cv := o.CertVerifier
	if cv == nil {
		v, err := o.DefaultCertVerifier()
		if err != nil {
			return nil, err
		}
		cv = v
	}
	return NewHTTPSender(HTTPSenderOptions{
		AllowHTTP:    o.AllowHTTP,
		CertVerifier: cv,
		Timeout:      o.httpTimeout(),
	})
}

// DefaultCertVerifier returns the StandardCertVerifier that trusts the
// system roots, Options.TrustCA and TrustCAPEM and, with CheckRevocation,
// checks revocation with a CRLChecker whose fetches HTTPTimeout bounds.
func (o *Options) DefaultCertVerifier() (StandardCertVerifier, error) {
	var rev RevocationChecker
	if o.CheckRevocation {
		rev = CRLChecker{Client: &http.Client{
			Timeout:   o.httpTimeout(),
			Transport: &http.Transport{Proxy: nil, DisableKeepAlives: true},
		}}
	}
	return NewStandardCertVerifier(o.TrustCA, o.TrustCAPEM, rev)
}

// httpTimeout is HTTPTimeout, or DefaultHTTPTimeout when it is zero.
func (o *Options) httpTimeout() time.Duration {
	if o.HTTPTimeout == 0 {
		return DefaultHTTPTimeout
	}
	return o.HTTPTimeout
}
