package mutants

import (
	"bytes"
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/hookcheck/hookcheck/conformance/reference"
	"github.com/hookcheck/hookcheck/conformance/reference/server"
)

// senderMutants are faults of the HTTP sender (spec §3, §9 #10, #30).
func senderMutants() []Mutant {
	return []Mutant{
		{
			Name:        "plain-http-accepted",
			Component:   "Sender",
			Description: "posts to http:// TargetUrls, so a plain-http webhook passes the URL check",
			Clauses:     clauses("WH-VER-011"),
			Apply: func(o *reference.Options, _ *[]server.HandlerOption) error {
				s, err := sender(o, true)
				if err != nil {
					return err
				}
				o.Sender = s
				return nil
			},
		},
		{
			Name:        "tls-unverified",
			Component:   "Sender",
			Description: "does not verify the target's TLS certificate (InsecureSkipVerify)",
			Clauses:     clauses("WH-VER-012"),
			Apply: func(o *reference.Options, _ *[]server.HandlerOption) error {
				std, err := sender(o, false)
				if err != nil {
					return err
				}
				o.Sender = newInsecureSender(std, httpTimeout(o))
				return nil
			},
		},
		{
			Name:        "redirect-followed",
			Component:   "Sender",
			Description: "follows a 3xx answer's Location and posts again, so a redirecting target passes the URL check",
			Clauses:     clauses("WH-VER-021"),
			Apply: func(o *reference.Options, _ *[]server.HandlerOption) error {
				std, err := sender(o, false)
				if err != nil {
					return err
				}
				o.Sender = redirectSender{std: std}
				return nil
			},
		},
	}
}

// insecureSender posts to https targets without verifying their
// certificate; http targets go to the default sender, which refuses them.
type insecureSender struct {
	std    *reference.HTTPSender
	client *http.Client
}

// newInsecureSender builds an insecureSender with the given timeout.
func newInsecureSender(std *reference.HTTPSender, timeout time.Duration) *insecureSender {
	return &insecureSender{std: std, client: &http.Client{
		Timeout: timeout,
		Transport: &http.Transport{
			Proxy:           nil,
			TLSClientConfig: &tls.Config{InsecureSkipVerify: true}, //nolint:gosec // the seeded fault
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// Send implements reference.Sender.
func (s *insecureSender) Send(ctx context.Context, r reference.OutboundRequest) (*reference.Response, error) {
	u, err := url.Parse(r.URL)
	if err != nil || u.Scheme != "https" {
		return s.std.Send(ctx, r)
	}
	return post(ctx, s.client, r)
}

// CloseIdleConnections closes the idle connections of both clients.
func (s *insecureSender) CloseIdleConnections() {
	s.std.CloseIdleConnections()
	s.client.CloseIdleConnections()
}

// redirectSender re-posts to the Location of a 3xx answer, up to 5 times.
type redirectSender struct{ std *reference.HTTPSender }

// Send implements reference.Sender.
func (s redirectSender) Send(ctx context.Context, r reference.OutboundRequest) (*reference.Response, error) {
	for range 5 {
		resp, err := s.std.Send(ctx, r)
		if err != nil || resp.Status < 300 || resp.Status > 399 {
			return resp, err
		}
		loc := resp.Header.Get("Location")
		if loc == "" {
			return resp, nil
		}
		base, err := url.Parse(r.URL)
		if err != nil {
			return resp, nil
		}
		next, err := base.Parse(loc)
		if err != nil {
			return resp, nil
		}
		r.URL = next.String()
	}
	return nil, fmt.Errorf("too many redirects from %s", r.URL)
}

// CloseIdleConnections closes the default sender's idle connections.
func (s redirectSender) CloseIdleConnections() { s.std.CloseIdleConnections() }

// post sends r with client and reads the answer as HTTPSender does.
func post(ctx context.Context, client *http.Client, r reference.OutboundRequest) (*reference.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, r.URL, bytes.NewReader(r.Body))
	if err != nil {
		return nil, fmt.Errorf("target URL %q: %w", r.URL, err)
	}
	req.Header = r.Header.Clone()
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("posting to %s: %w", r.URL, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if err != nil {
		return nil, fmt.Errorf("reading the response of %s: %w", r.URL, err)
	}
	return &reference.Response{Status: resp.StatusCode, StatusLine: resp.Proto + " " + resp.Status, Header: resp.Header, Body: body}, nil
}
