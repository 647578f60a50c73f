package conformance

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hookcheck/hookcheck/conformance/driver"
	"github.com/hookcheck/hookcheck/receiver/api"
	"github.com/hookcheck/hookcheck/receiver/client"
)

// preflightTimeout bounds each preflight call.
const preflightTimeout = 30 * time.Second

// Preflight checks, before any spec runs, that every front end of the
// target answers and accepts the credentials, and that the target reaches
// the receiver. It returns a *ConfigError that says in one line what to
// fix.
func Preflight(ctx context.Context, e *Env) error {
	for _, st := range e.Styles() {
		d, _ := e.Driver(st)
		cctx, cancel := context.WithTimeout(ctx, preflightTimeout)
		_, err := d.Default(cctx)
		cancel()
		if err != nil {
			return &ConfigError{Err: explainPreflight(e, st, err)}
		}
	}
	return preflightReach(ctx, e)
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
	return &ConfigError{Err: fmt.Errorf("preflight: the target cannot reach the suite's receiver at %s (%s) — set --receiver-public-url to an address the target can call, and trust the receiver's CA (%s/_hookcheck/ca.pem) or pass --require-https=false", url, why, e.Receiver.ControlURL)}
}

// hasHTTPS reports whether u is an https URL.
func hasHTTPS(u string) bool { return len(u) >= 8 && u[:8] == "https://" }
