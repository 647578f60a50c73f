package framework

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http/httptrace"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hookcheck/hookcheck/conformance/driver"
	"github.com/hookcheck/hookcheck/receiver/api"
	"github.com/hookcheck/hookcheck/receiver/client"
)

// preflightTimeout bounds each preflight call after the first.
const preflightTimeout = 30 * time.Second

// DefaultConnectTimeout bounds the first call to the target
// (--connect-timeout) when PreflightOptions.ConnectTimeout is zero.
const DefaultConnectTimeout = 30 * time.Second

// PreflightOptions tune the preflight's first contact with the target.
type PreflightOptions struct {
	// ConnectTimeout bounds the first call to the target; 0 means
	// DefaultConnectTimeout.
	ConnectTimeout time.Duration
	// Progress, when set, receives a line every few seconds while the
	// first call waits: "waiting for TARGET (5s of 30s)…".
	Progress io.Writer
}

// Preflight checks, before any spec runs, that every front end of the
// target answers and accepts the credentials, and that the target reaches
// the receiver. It returns a *ConfigError that says in one line what to
// fix.
func Preflight(ctx context.Context, e *Env) error {
	return PreflightWith(ctx, e, PreflightOptions{})
}

// PreflightWith is Preflight with the first call bounded by
// opts.ConnectTimeout and reported on opts.Progress while it waits.
func PreflightWith(ctx context.Context, e *Env, opts PreflightOptions) error {
	for i, st := range e.Styles() {
		d, _ := e.Driver(st)
		var err error
		if i == 0 {
			err = firstContact(ctx, e, opts, func(ctx context.Context) error { _, err := d.Default(ctx); return err })
		} else {
			cctx, cancel := context.WithTimeout(ctx, preflightTimeout)
			_, err = d.Default(cctx)
			cancel()
		}
		if err != nil {
			var ce *ConfigError
			if errors.As(err, &ce) {
				return err
			}
			return &ConfigError{Err: explainPreflight(e, st, err)}
		}
	}
	return preflightReach(ctx, e)
}

// firstContact runs call, the first call to the target, bounded by the
// connect timeout, printing a waiting line every few seconds. A call that
// runs out of time becomes a *ConfigError that says whether the target
// accepted the connection.
func firstContact(ctx context.Context, e *Env, opts PreflightOptions, call func(context.Context) error) error {
	limit := opts.ConnectTimeout
	if limit <= 0 {
		limit = DefaultConnectTimeout
	}
	var connected atomic.Bool
	trace := &httptrace.ClientTrace{GotConn: func(httptrace.GotConnInfo) { connected.Store(true) }}
	cctx, cancel := context.WithTimeout(httptrace.WithClientTrace(ctx, trace), limit)
	defer cancel()
	stop := make(chan struct{})
	var wg sync.WaitGroup
	if opts.Progress != nil {
		wg.Go(func() { waitingLines(opts.Progress, e.Target.BaseURL, limit, stop) })
	}
	err := call(cctx)
	close(stop)
	wg.Wait()
	if err == nil || ctx.Err() != nil || !timedOut(cctx, err) {
		return err
	}
	if connected.Load() {
		return ConfigErrorf("preflight: %s accepted the connection but sent no answer within %s (--connect-timeout) — is it the webhook service, and is it up? A slow first call needs a longer --connect-timeout", e.Target.BaseURL, limit)
	}
	return ConfigErrorf("preflight: %s did not accept a connection within %s (--connect-timeout) — check the address and any firewall or proxy between", e.Target.BaseURL, limit)
}

// timedOut reports whether a call ended because its time ran out.
func timedOut(cctx context.Context, err error) bool {
	if errors.Is(cctx.Err(), context.DeadlineExceeded) || errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// waitingLines prints "waiting for TARGET (Ns of LIMIT)…" every few
// seconds until stop is closed.
func waitingLines(w io.Writer, target string, limit time.Duration, stop <-chan struct{}) {
	every := min(max(limit/6, time.Second), 5*time.Second)
	start := time.Now()
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			fmt.Fprintf(w, "waiting for %s (%s of %s)…\n", target, time.Since(start).Round(time.Second), limit)
		}
	}
}

// explainPreflight turns a failed first call into advice.
func explainPreflight(e *Env, st driver.Style, err error) error {
	where := e.Target.BaseURL
	if st == driver.SOAP {
		where = e.Target.driverConfig(e.Profile).SOAPURL
		if where == "" {
			where = e.Target.BaseURL + "/Remote/Services88/Webhook.svc"
		}
	}
	de, ok := driver.AsError(err)
	switch {
	case !ok:
		return fmt.Errorf("preflight: cannot reach the %s front end at %s: %w", st, where, err)
	case de.Status == 401 || de.Status == 403 || (st == driver.SOAP && de.Status < 300):
		return fmt.Errorf("preflight: the %s front end at %s refused the credentials (%s): %s — check --auth (SOAP needs soticket:TICKET) and --app-token", st, where, e.Target.Auth, errorText(de))
	case de.Status == 404:
		return fmt.Errorf("preflight: no %s webhook API at %s (HTTP 404) — --target is the base URL before /api/v1 (use --soap-url for SOAP, or --soap-url off)", st, where)
	}
	return fmt.Errorf("preflight: the %s front end at %s failed its first call: %s", st, where, errorText(de))
}

// errorText describes a refusal in a few words: status, type, message.
func errorText(de *driver.Error) string {
	s := fmt.Sprintf("HTTP %d", de.Status)
	if de.ErrorType != "" {
		s += " " + de.ErrorType
	}
	if de.Message != "" {
		s += ": " + de.Message
	}
	return s
}

// preflightReach sends one TestWebhook at a receiver channel and checks
// that the receiver saw it: otherwise the target cannot reach the
// receiver and every delivery spec would fail.
func preflightReach(ctx context.Context, e *Env) error {
	d, _ := e.Driver(driver.REST)
	if d == nil {
		for _, st := range e.Styles() {
			d, _ = e.Driver(st)
			break
		}
	}
	if d == nil {
		return &ConfigError{Err: errors.New("preflight: the target offers no API style the suite can drive")}
	}
	cctx, cancel := context.WithTimeout(ctx, preflightTimeout)
	defer cancel()
	ch, err := e.RV.CreateChannel(cctx, api.ChannelRequest{})
	if err != nil {
		return &ConfigError{Err: fmt.Errorf("preflight: the suite's receiver does not answer: %w", err)}
	}
	defer func() { _ = e.RV.DeleteChannel(context.WithoutCancel(cctx), ch.ID) }()
	url := ch.URL
	if e.Profile.RequireHTTPS && ch.TLSURL != "" && !hasHTTPS(ch.URL) {
		url = ch.TLSURL
	}
	wh := driver.Webhook{Name: HookNamePrefix + "preflight", Events: []string{"hookcheck.preflight"}, TargetURL: url, State: driver.StateActive, Type: "webhook"}
	res, testErr := d.Test(cctx, wh)
	list, err := e.RV.Calls(cctx, ch.ID, client.CallQuery{Min: 1, Wait: 2 * time.Second})
	if err == nil && len(list.Calls) > 0 {
		return nil
	}
	why := "no call arrived"
	switch {
	case testErr != nil:
		why = "TestWebhook failed: " + testErr.Error()
	case res != nil && !res.Success:
		why = "TestWebhook answered Success false: " + firstLine(res.Message)
	}
	return &ConfigError{Err: fmt.Errorf("preflight: the target cannot reach the suite's receiver at %s (%s) — %s", url, why, reachAdvice(e.Receiver, hasHTTPS(url)))}
}

// reachAdvice says how to let the target reach the receiver: an address
// it can call and, for HTTPS, a certificate it trusts — one that outlives
// the run, since the target must be configured with it beforehand.
func reachAdvice(info ReceiverInfo, https bool) string {
	address := "set --receiver-public-url to an address the target can call"
	if !https {
		return address
	}
	switch {
	case info.CertFile != "":
		return fmt.Sprintf("%s, and check that the target trusts the certificate %s (--receiver-cert) and its host name, or pass --require-https=false", address, info.CertFile)
	case info.CAFile != "":
		return fmt.Sprintf("%s, and make the target trust %s (hookcheck target --trust-ca %s, or the OS trust store: README \"HTTPS targets\"), or pass --require-https=false", address, info.CAFile, info.CAFile)
	}
	return address + `, and give the receiver a certificate the target trusts: run "hookcheck ca init" once and make the target trust the ca.pem it prints (hookcheck target --trust-ca PATH, or the OS trust store: README "HTTPS targets"), or pass --receiver-cert/--receiver-key, or --require-https=false`
}

// hasHTTPS reports whether u is an https URL.
func hasHTTPS(u string) bool { return len(u) >= 8 && u[:8] == "https://" }
