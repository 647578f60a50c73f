// Package embedded runs the reference webhook service
// (conformance/reference) in-process as the target of a conformance run:
// hookcheck run without --target, and the suite's own tests. It is the
// only bridge between the suite and the reference; the suite itself never
// imports an implementation.
package embedded

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/hookcheck/hookcheck/conformance/driver"
	"github.com/hookcheck/hookcheck/conformance/framework"
	"github.com/hookcheck/hookcheck/conformance/reference"
	"github.com/hookcheck/hookcheck/conformance/reference/mutants"
	"github.com/hookcheck/hookcheck/conformance/reference/server"
)

// Defaults of an embedded run.
const (
	// DefaultTimeScale compresses the retry schedule: 1 s and 4 s become
	// 100 ms and 400 ms, far enough apart for the timing specs to tell
	// them from each other despite scheduling jitter.
	DefaultTimeScale = 0.1
	// DefaultHTTPTimeout is the reference's timeout for webhook targets,
	// short so the timeout specs finish quickly.
	DefaultHTTPTimeout = 1500 * time.Millisecond
)

// Options configures the embedded reference.
type Options struct {
	// TimeScale multiplies the reference's retry delays; 0 means
	// DefaultTimeScale.
	TimeScale float64
	// HTTPTimeout is the reference's timeout for targets; 0 means
	// DefaultHTTPTimeout.
	HTTPTimeout time.Duration
	// Online turns on app isolation (spec §8); the target then carries an
	// app token.
	Online bool
	// AllowHTTP lets the reference accept plain-http TargetUrls (for a
	// receiver whose CA it cannot know in advance); the profile then has
	// --require-https=false.
	AllowHTTP bool
	// CheckRevocation makes the reference refuse TargetUrls whose
	// certificate is revoked on the CRL it names (the receiver's CA serves
	// one); the profile then has --check-revocation.
	CheckRevocation bool
	// Mutant names a seeded fault of the reference ("" = none).
	Mutant string
	// RetryDelays, AttemptsPerCycle, Cycles, ErrorThreshold, Success, Properties,
	// SignalValues and ContextIdentifier configure the reference's open
	// points (spec §9); zero values keep NetServer's behaviour. Profile
	// mirrors them.
	RetryDelays       []time.Duration
	AttemptsPerCycle  int
	Cycles            int
	ErrorThreshold    int
	Success           string
	Properties        string
	SignalValues      bool
	ContextIdentifier string
	// V121Fields turns on the reference's v12.1 members (spec §1.8); the
	// profile then has --v121 and reads usage from them
	// (--usage-stats fields).
	V121Fields bool
	// Listen is the API address; "" means 127.0.0.1:0.
	Listen string
	// Logger receives the reference's logs; nil discards them.
	Logger *slog.Logger
}

// withDefaults fills the zero values in.
func (o Options) withDefaults() Options {
	if o.TimeScale == 0 {
		o.TimeScale = DefaultTimeScale
	}
	if o.HTTPTimeout == 0 {
		o.HTTPTimeout = DefaultHTTPTimeout
	}
	if o.Listen == "" {
		o.Listen = "127.0.0.1:0"
	}
	return o
}

// schedule returns the reference's retry schedule: NetServer's, with the
// numbers o sets (zero keeps the default).
func (o Options) schedule() reference.Schedule {
	s := reference.DefaultSchedule()
	if len(o.RetryDelays) > 0 {
		s.Delays = o.RetryDelays
	}
	if o.AttemptsPerCycle != 0 {
		s.Attempts = o.AttemptsPerCycle
	}
	if o.Cycles != 0 {
		s.Cycles = o.Cycles
	}
	if o.ErrorThreshold != 0 {
		s.ErrorThreshold = o.ErrorThreshold
	}
	return s
}

// Profile returns the suite profile that matches an embedded reference
// started with o: NetServer's defaults with the time scale, the HTTP
// timeout, Online, the e-mail capture and shorter waits of a local run.
func Profile(o Options) framework.Profile {
	o = o.withDefaults()
	p := framework.DefaultProfile()
	p.TimeScale = o.TimeScale
	if len(o.RetryDelays) > 0 {
		p.RetryDelays = o.RetryDelays
	}
	if o.AttemptsPerCycle > 0 {
		p.AttemptsPerCycle = o.AttemptsPerCycle
	}
	if o.Cycles > 0 {
		p.Cycles = o.Cycles
	}
	if o.ErrorThreshold > 0 {
		p.ErrorThreshold = o.ErrorThreshold
	}
	if o.Success != "" {
		p.Success = o.Success
	}
	if o.Properties != "" {
		p.Properties = o.Properties
	}
	p.SignalValues = o.SignalValues
	if o.ContextIdentifier != "" {
		p.ContextIdentifier = o.ContextIdentifier
	}
	p.TargetTimeout = o.HTTPTimeout
	p.Online = o.Online
	p.RequireHTTPS = !o.AllowHTTP
	p.CheckRevocation = o.CheckRevocation
	p.SMTPCaptured = true
	p.UsageStats = "archive" // GET /api/v1/Archive/dynamic, spec §5
	if o.V121Fields {
		p.V121 = true
		p.UsageStats = "fields" // the v12.1 TotalCalls, TotalErrors, ConsecutiveErrors, spec §1.8
	}
	p.QuietPeriod = 400 * time.Millisecond
	p.DeliveryWait = 10 * time.Second
	p.TimingTolerance = 150 * time.Millisecond
	return p
}

// Mutants lists the seeded faults the embedded reference offers (package
// mutants), in catalogue order.
func Mutants() []string { return mutants.Names() }

// Starter returns a TargetStarter that runs the reference service on a
// loopback port, trusting the receiver's CA and mailing its SMTP sink.
func Starter(o Options) framework.TargetStarter {
	o = o.withDefaults()
	return func(ctx context.Context, rv framework.ReceiverInfo) (framework.Target, func() error, error) {
		return start(ctx, o, rv)
	}
}

// start builds and serves the reference.
func start(_ context.Context, o Options, rv framework.ReceiverInfo) (framework.Target, func() error, error) {
	logger := o.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	ropts := reference.Options{
		Online:          o.Online,
		AllowHTTP:       o.AllowHTTP,
		CheckRevocation: o.CheckRevocation,
		TrustCAPEM:      rv.CAPEM,
		HTTPTimeout:     o.HTTPTimeout,
		TimeScale:       o.TimeScale,
		SMTPAddr:        rv.SMTPAddr,
		Logger:          logger,

		RetryPolicy:         o.schedule(),
		Success:             o.Success,
		PropertiesPlacement: o.Properties,
		SignalValues:        o.SignalValues,
		ContextIdentifier:   o.ContextIdentifier,
		V121Fields:          o.V121Fields,
	}
	hopts := []server.HandlerOption{server.WithLogger(logger)}
	if o.Mutant != "" {
		m, err := mutants.Find(o.Mutant)
		if err != nil {
			return framework.Target{}, nil, fmt.Errorf("embedded: %w", err)
		}
		if err := m.Apply(&ropts, &hopts); err != nil {
			return framework.Target{}, nil, fmt.Errorf("embedded: mutant %s: %w", m.Name, err)
		}
	}
	svc, err := reference.New(ropts)
	if err != nil {
		return framework.Target{}, nil, fmt.Errorf("embedded: %w", err)
	}
	auth := reference.Auth{
		User:     "hookcheck",
		Password: "pw-" + framework.RandomHex(8),
		Ticket:   "7T:" + framework.RandomHex(12),
		Bearer:   "7A:" + framework.RandomHex(12),
	}
	ln, err := net.Listen("tcp", o.Listen)
	if err != nil {
		_ = svc.Close()
		return framework.Target{}, nil, fmt.Errorf("embedded: listen %s: %w", o.Listen, err)
	}
	srv := &http.Server{
		Handler:           server.NewHandler(svc, auth, hopts...),
		ReadHeaderTimeout: 10 * time.Second,
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	base := "http://" + ln.Addr().String()
	t := framework.Target{
		BaseURL: base,
		Auth:    driver.Auth{Scheme: driver.SchemeSoTicket, Token: auth.Ticket},
		Auths: []driver.Auth{
			{Scheme: driver.SchemeSoTicket, Token: auth.Ticket},
			{Scheme: driver.SchemeBasic, User: auth.User, Password: auth.Password},
			{Scheme: driver.SchemeBearer, Token: auth.Bearer},
		},
		Description: "embedded reference (" + base + ")",
	}
	if o.Online {
		t.AppToken = "hookcheck-app-" + framework.RandomHex(6)
	}
	stop := func() error {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		errs := []error{}
		if err := srv.Shutdown(ctx); err != nil {
			_ = srv.Close()
			errs = append(errs, err)
		}
		if err := <-done; err != nil && !errors.Is(err, http.ErrServerClosed) {
			errs = append(errs, err)
		}
		errs = append(errs, svc.Close())
		return errors.Join(errs...)
	}
	return t, stop, nil
}
