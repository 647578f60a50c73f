// Package client is the Go client of the receiver's control API, used by
// the hookcheck CLI, the conformance specs and the receiver's own tests.
//
// For a receiver inside a Go test, start one with receiver.Start (it binds
// 127.0.0.1:0) and point New at its URL.
package client

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/hookcheck/hookcheck/receiver/api"
)

// Client talks to one receiver's control API.
type Client struct {
	base  string
	hc    *http.Client
	token string
}

// Option configures a Client.
type Option func(*Client)

// WithHTTPClient replaces the default http.Client (which has no timeout:
// waits are bounded by the query's wait and the caller's context).
func WithHTTPClient(hc *http.Client) Option { return func(c *Client) { c.hc = hc } }

// WithToken sends the receiver's --control-token.
func WithToken(token string) Option { return func(c *Client) { c.token = token } }

// New returns a client for the receiver whose HTTP base URL is baseURL
// (e.g. "http://127.0.0.1:8088").
func New(baseURL string, opts ...Option) *Client {
	c := &Client{base: strings.TrimRight(baseURL, "/"), hc: &http.Client{}}
	for _, o := range opts {
		o(c)
	}
	return c
}

// BaseURL returns the receiver's base URL.
func (c *Client) BaseURL() string { return c.base }

// CreateChannel creates a channel; every field of req is optional.
func (c *Client) CreateChannel(ctx context.Context, req api.ChannelRequest) (api.Channel, error) {
	var out api.Channel
	err := c.do(ctx, http.MethodPost, "/_hookcheck/channels", req, &out)
	return out, err
}

// Channels lists the channels.
func (c *Client) Channels(ctx context.Context) (api.ChannelList, error) {
	var out api.ChannelList
	err := c.do(ctx, http.MethodGet, "/_hookcheck/channels", nil, &out)
	return out, err
}

// Channel describes one channel.
func (c *Client) Channel(ctx context.Context, id string) (api.ChannelInfo, error) {
	var out api.ChannelInfo
	err := c.do(ctx, http.MethodGet, "/_hookcheck/channels/"+url.PathEscape(id), nil, &out)
	return out, err
}

// DeleteChannel forgets a channel and its calls.
func (c *Client) DeleteChannel(ctx context.Context, id string) error {
	return c.do(ctx, http.MethodDelete, "/_hookcheck/channels/"+url.PathEscape(id), nil, nil)
}

// ClearCalls makes a channel let go of the calls it holds; the channel,
// its secret, its script and its numbering stay.
func (c *Client) ClearCalls(ctx context.Context, id string) (api.Cleared, error) {
	var out api.Cleared
	err := c.do(ctx, http.MethodDelete, "/_hookcheck/channels/"+url.PathEscape(id)+"/calls", nil, &out)
	return out, err
}

// Replay sends call seq of a channel again, from the receiver, to the URL
// in req and returns the answer it got.
func (c *Client) Replay(ctx context.Context, id string, seq uint64, req api.ReplayRequest) (api.ReplayResult, error) {
	var out api.ReplayResult
	err := c.do(ctx, http.MethodPost, "/_hookcheck/channels/"+url.PathEscape(id)+"/calls/"+strconv.FormatUint(seq, 10)+"/replay", req, &out)
	return out, err
}

// CallQuery selects calls. Zero values mean: from the start, no event
// filter, answer at once.
type CallQuery struct {
	After uint64
	Min   int
	Wait  time.Duration
	Event string
	Limit int
}

// Calls returns a channel's calls with seq > q.After; with q.Wait it blocks
// until q.Min (default 1) match or the wait ends.
func (c *Client) Calls(ctx context.Context, id string, q CallQuery) (api.CallList, error) {
	v := url.Values{}
	if q.After > 0 {
		v.Set("after", strconv.FormatUint(q.After, 10))
	}
	if q.Min > 0 {
		v.Set("min", strconv.Itoa(q.Min))
	}
	if q.Wait > 0 {
		v.Set("wait", q.Wait.String())
	}
	if q.Event != "" {
		v.Set("event", q.Event)
	}
	if q.Limit > 0 {
		v.Set("limit", strconv.Itoa(q.Limit))
	}
	var out api.CallList
	err := c.do(ctx, http.MethodGet, "/_hookcheck/channels/"+url.PathEscape(id)+"/calls?"+v.Encode(), nil, &out)
	return out, err
}

// WaitCalls waits up to wait for at least n calls with seq > after and
// returns them; it fails when fewer arrived.
func (c *Client) WaitCalls(ctx context.Context, id string, after uint64, n int, wait time.Duration) ([]api.Call, error) {
	list, err := c.Calls(ctx, id, CallQuery{After: after, Min: n, Wait: wait})
	if err != nil {
		return nil, err
	}
	if len(list.Calls) < n {
		return list.Calls, fmt.Errorf("channel %s: %d of %d calls after seq %d arrived within %s", id, len(list.Calls), n, after, wait)
	}
	return list.Calls, nil
}

// SetScript replaces a channel's fault script and returns it as it will
// run (durations clamped), with a warning per clamp.
func (c *Client) SetScript(ctx context.Context, id string, rules []api.Rule) (api.ScriptResult, error) {
	if rules == nil {
		rules = []api.Rule{}
	}
	var out api.ScriptResult
	err := c.do(ctx, http.MethodPut, "/_hookcheck/channels/"+url.PathEscape(id)+"/script", api.Script{Rules: rules}, &out)
	return out, err
}

// Script returns a channel's fault script.
func (c *Client) Script(ctx context.Context, id string) (api.ScriptResult, error) {
	var out api.ScriptResult
	err := c.do(ctx, http.MethodGet, "/_hookcheck/channels/"+url.PathEscape(id)+"/script", nil, &out)
	return out, err
}

// Export returns a channel's journal as "jsonl" or "har".
func (c *Client) Export(ctx context.Context, id, format string) ([]byte, error) {
	return c.raw(ctx, "/_hookcheck/channels/"+url.PathEscape(id)+"/export?format="+url.QueryEscape(format))
}

// MailQuery selects captured e-mails; To matches any envelope recipient.
type MailQuery struct {
	To    string
	After uint64
	Min   int
	Wait  time.Duration
}

// Mail returns captured e-mails, waiting like Calls.
func (c *Client) Mail(ctx context.Context, q MailQuery) (api.MailList, error) {
	v := url.Values{}
	if q.To != "" {
		v.Set("to", q.To)
	}
	if q.After > 0 {
		v.Set("after", strconv.FormatUint(q.After, 10))
	}
	if q.Min > 0 {
		v.Set("min", strconv.Itoa(q.Min))
	}
	if q.Wait > 0 {
		v.Set("wait", q.Wait.String())
	}
	var out api.MailList
	err := c.do(ctx, http.MethodGet, "/_hookcheck/mail?"+v.Encode(), nil, &out)
	return out, err
}

// CA returns the PEM certificate that signed the receiver's HTTPS listener.
func (c *Client) CA(ctx context.Context) ([]byte, error) {
	return c.raw(ctx, "/_hookcheck/ca.pem")
}

// TLSKinds lists the TLS kinds a channel may be created with
// (api.ChannelRequest.TLS): whether this receiver can serve each, its
// listener once started, and the handshakes that listener saw.
func (c *Client) TLSKinds(ctx context.Context) (api.TLSKindList, error) {
	var out api.TLSKindList
	err := c.do(ctx, http.MethodGet, "/_hookcheck/tls", nil, &out)
	return out, err
}

// CRL returns the receiver CA's certificate revocation list, DER-encoded.
func (c *Client) CRL(ctx context.Context) ([]byte, error) {
	return c.raw(ctx, "/_hookcheck/ca.crl")
}

// Health checks that the receiver is alive.
func (c *Client) Health(ctx context.Context) (api.Health, error) {
	var out api.Health
	err := c.do(ctx, http.MethodGet, "/_hookcheck/healthz", nil, &out)
	return out, err
}

func (c *Client) raw(ctx context.Context, path string) ([]byte, error) {
	resp, err := c.send(ctx, http.MethodGet, path, nil)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("GET %s: read: %w", path, err)
	}
	if resp.StatusCode >= 300 {
		return nil, decodeError(http.MethodGet, path, resp.StatusCode, b)
	}
	return b, nil
}

func (c *Client) do(ctx context.Context, method, path string, in, out any) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return fmt.Errorf("%s %s: encode: %w", method, path, err)
		}
		body = bytes.NewReader(b)
	}
	resp, err := c.send(ctx, method, path, body)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return fmt.Errorf("%s %s: read: %w", method, path, err)
	}
	if resp.StatusCode >= 300 {
		return decodeError(method, path, resp.StatusCode, b)
	}
	if out == nil || len(b) == 0 {
		return nil
	}
	if err := json.Unmarshal(b, out); err != nil {
		return fmt.Errorf("%s %s: decode: %w", method, path, err)
	}
	return nil
}

func (c *Client) send(ctx context.Context, method, path string, body io.Reader) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, body)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", method, path, err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", method, path, err)
	}
	return resp, nil
}

// decodeError turns an error response into an *api.Error.
func decodeError(method, path string, status int, b []byte) error {
	e := &api.Error{}
	if json.Unmarshal(b, e) != nil || e.Message == "" {
		e.Message = strings.TrimSpace(string(b))
	}
	e.Status = status
	e.Message = fmt.Sprintf("%s %s: %d: %s", method, path, status, e.Message)
	return e
}
