package framework

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http/httptrace"
	"net/url"
	"strings"
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

// Preflight checks, before any spec runs, that the front ends of the
// target answer, that every credential given is one the target accepts,
// and that the target reaches the receiver. What the operator must fix
// is a *ConfigError that says in one line what to fix: no front end
// answers, a credential no front end accepts, SOAP refusing a run that
// gave it no ticket, a receiver the target cannot reach. A front end that
// fails while another answers (its endpoint missing, answering unlike
// the webhook service, refusing credentials the others accept) is a
// finding about the target instead: Preflight marks it broken (Env.Broken)
// and its specs fail with that one-line reason while the others run.
func Preflight(ctx context.Context, e *Env) error {
	return PreflightWith(ctx, e, PreflightOptions{})
}

// PreflightWith is Preflight with the first call bounded by
// opts.ConnectTimeout and reported on opts.Progress while it waits.
func PreflightWith(ctx context.Context, e *Env, opts PreflightOptions) error {
	styles := e.Styles()
	failed := map[driver.Style]error{}
	var answered []driver.Style
	for i, st := range styles {
		d, _ := e.Driver(st)
		var err error
		if i == 0 {
			err = firstContact(ctx, e, opts, func(ctx context.Context) error { _, err := d.Default(ctx); return err })
		} else {
			cctx, cancel := context.WithTimeout(ctx, preflightTimeout)
			_, err = d.Default(cctx)
			cancel()
		}
		var ce *ConfigError
		switch {
		case errors.As(err, &ce):
			return err
		case err != nil && ctx.Err() != nil:
			return &ConfigError{Err: fmt.Errorf("preflight: %w", ctx.Err())}
		case err != nil:
			failed[st] = err
		default:
			answered = append(answered, st)
		}
	}
	if len(answered) == 0 && len(styles) > 0 {
		return &ConfigError{Err: explainPreflight(e, styles[0], failed[styles[0]])}
	}
	for _, st := range styles {
		err := failed[st]
		if err == nil {
			continue
		}
		if st == driver.SOAP && refused(st, err) && e.Target.AuthFor(driver.SOAP).Ticket() == "" {
			// The operator gave SOAP no credential it documents.
			return &ConfigError{Err: explainPreflight(e, st, err)}
		}
		e.MarkBroken(st, brokenReason(e, st, err))
	}
	if err := preflightCredentials(ctx, e); err != nil {
		return err
	}
	return preflightReach(ctx, e)
}

// refused reports whether a front end's answer refuses the credentials.
func refused(st driver.Style, err error) bool {
	de, ok := driver.AsError(err)
	return ok && (de.Status == 401 || de.Status == 403 || (st == driver.SOAP && de.Status < 300))
}

// brokenReason is the one-line reason of a front end that failed its
// first call while another front end answered: what its specs fail with.
func brokenReason(e *Env, st driver.Style, err error) string {
	msg := explainPreflight(e, st, err).Error()
	if _, ok := driver.AsError(err); !ok && !transportError(err) {
		msg = fmt.Sprintf("preflight: the %s front end at %s does not answer like the webhook service: %s", st, endpoint(e, st), err)
	}
	return shortReason(msg) + " (the other front ends answered)"
}

// transportError reports whether err is a failure to reach the endpoint
// rather than a bad answer.
func transportError(err error) bool {
	var ne net.Error
	var ue *url.Error
	return errors.As(err, &ne) || errors.As(err, &ue)
}

// shortReason keeps the first line of a message, without a dumped
// answer body (": <?xml …", ": <s:Envelope …") and at most 300 bytes.
func shortReason(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	for _, dump := range []string{": <?xml", ": <s:Envelope", ": <soap:Envelope", ": {"} {
		if i := strings.Index(s, dump); i > 0 {
			s = s[:i]
		}
	}
	if len(s) > 300 {
		s = strings.ToValidUTF8(s[:300], "") + "…"
	}
	return s
}

// preflightCredentials tries every credential of --auth once on the
// front ends that document it (REST and Agents take every scheme, SOAP
// the ticket) and that answered: a credential none of them accepts is a
// configuration error naming it, masked. One that some accept and others
// refuse is left to the security specs (a finding about the target).
func preflightCredentials(ctx context.Context, e *Env) error {
	schemes := e.Target.Schemes()
	if len(schemes) < 2 {
		return nil // the one credential was tried with the first calls
	}
	for i, a := range schemes {
		var tried []string
		accepted := false
		for _, st := range e.Styles() {
			if st == driver.SOAP && a.Scheme != driver.SchemeSoTicket {
				continue
			}
			if e.Target.AuthFor(st) == a {
				accepted = true // it answered the first call
				break
			}
			d, err := e.DriverWith(st, func(c *driver.Config) { c.Auth = a })
			if err != nil {
				return &ConfigError{Err: err}
			}
			cctx, cancel := context.WithTimeout(ctx, preflightTimeout)
			_, err = d.Default(cctx)
			cancel()
			if err == nil || !refused(st, err) {
				accepted = true
				break
			}
			de, _ := driver.AsError(err)
			tried = append(tried, fmt.Sprintf("%s: %s", st, errorText(de)))
		}
		if !accepted && len(tried) > 0 {
			return ConfigErrorf("preflight: the target refused the credential %s (--auth, credential %d of %d) on every front end that takes it (%s) — correct it, or leave out of --auth the schemes the target does not accept",
				a, i+1, len(schemes), strings.Join(tried, "; "))
		}
	}
	return nil
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

// endpoint is where the front end of style st is called.
func endpoint(e *Env, st driver.Style) string {
	if st != driver.SOAP {
		return e.Target.BaseURL
	}
	if where := e.Target.driverConfig(st, e.Profile).SOAPURL; where != "" {
		return where
	}
	return e.Target.BaseURL + "/Remote/Services88/Webhook.svc"
}

// explainPreflight turns a failed first call into advice.
func explainPreflight(e *Env, st driver.Style, err error) error {
	where := endpoint(e, st)
	de, ok := driver.AsError(err)
	switch {
	case !ok:
		return fmt.Errorf("preflight: cannot reach the %s front end at %s: %w", st, where, err)
	case refused(st, err):
		return fmt.Errorf("preflight: the %s front end at %s refused the credentials (%s): %s — check --auth (SOAP needs soticket:TICKET) and --app-token", st, where, e.Target.AuthFor(st), errorText(de))
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
