package framework

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/hookcheck/hookcheck/conformance/driver"
	"github.com/hookcheck/hookcheck/receiver"
	"github.com/hookcheck/hookcheck/receiver/client"
)

// OpenConfig says what Open starts and connects.
type OpenConfig struct {
	// Target is the service under test; ignored when StartTarget is set.
	Target Target
	// StartTarget, when set, starts the target once the receiver runs
	// (the embedded reference service does this).
	StartTarget TargetStarter
	// Receiver configures the receiver; the zero value listens on
	// 127.0.0.1 ephemeral ports.
	Receiver receiver.Config
	// Profile is how the target resolves the spec's open points.
	Profile Profile
	// Limiter, when set, paces every API request to the target (--max-rps).
	Limiter driver.Limiter
	// Watch, when set, hears whether each API call to the target got an
	// answer (the runner notices a target that stopped answering).
	Watch driver.ConnWatcher
	// Preflight bounds the first call to the target and says where to
	// report the wait (--connect-timeout).
	Preflight PreflightOptions
}

// Open starts a receiver (and the target, with StartTarget), builds the
// Env of the target and runs the Preflight: what Run does before its first
// spec, and what `hookcheck reproduce` does before its script. The
// returned close stops the target and the receiver. Every error is a
// *ConfigError: nothing ran yet.
func Open(ctx context.Context, cfg OpenConfig) (*Env, func(), error) {
	if err := cfg.Profile.Validate(); err != nil {
		return nil, nil, &ConfigError{Err: fmt.Errorf("profile: %w", err)}
	}
	rv, err := receiver.Start(cfg.Receiver)
	if err != nil {
		return nil, nil, &ConfigError{Err: err}
	}
	closers := []func(){func() { _ = rv.Close() }}
	closeAll := func() {
		for i := len(closers) - 1; i >= 0; i-- {
			closers[i]()
		}
	}
	info := ReceiverInfo{
		URL: rv.URL(), TLSURL: rv.TLSURL(), SMTPAddr: rv.SMTPAddr(), CAPEM: rv.CAPEM(),
		ControlURL: rv.URL(), Local: cfg.Receiver.PublicURL == "",
	}
	switch {
	case cfg.Receiver.TLSCertFile != "":
		info.CertFile = cfg.Receiver.TLSCertFile
	case cfg.Receiver.CADir != "":
		info.CAFile = filepath.Join(cfg.Receiver.CADir, receiver.CAFile)
	}
	if cfg.Receiver.PublicURL != "" {
		info.URL = strings.TrimRight(cfg.Receiver.PublicURL, "/")
	}
	if cfg.Profile.RequireHTTPS && info.TLSURL == "" && !strings.HasPrefix(info.URL, "https://") {
		closeAll()
		return nil, nil, ConfigErrorf("the profile requires HTTPS targets but the receiver has no HTTPS address: give --receiver-tls-listen an address, an https --receiver-public-url, or --require-https=false")
	}
	target := cfg.Target
	if cfg.StartTarget != nil {
		t, stop, err := cfg.StartTarget(ctx, info)
		if err != nil {
			closeAll()
			return nil, nil, &ConfigError{Err: fmt.Errorf("start the target: %w", err)}
		}
		closers = append(closers, func() { _ = stop() })
		target = t
	}
	if target.Description == "" {
		target.Description = target.BaseURL
	}
	if cfg.Watch != nil {
		target.HTTPClient = driver.WatchClient(target.HTTPClient, cfg.Watch)
	}
	if cfg.Limiter != nil {
		target.HTTPClient = driver.LimitClient(target.HTTPClient, cfg.Limiter)
	}
	env, err := NewEnv(target, cfg.Profile, info, client.New(rv.URL()))
	if err != nil {
		closeAll()
		return nil, nil, &ConfigError{Err: err}
	}
	if err := PreflightWith(ctx, env, cfg.Preflight); err != nil {
		closeAll()
		return nil, nil, err
	}
	return env, closeAll, nil
}
