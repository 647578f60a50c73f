package reference

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"time"
)

// OutboundRequest is one POST the service makes to a webhook target.
type OutboundRequest struct {
	URL    string
	Header http.Header // sent with the keys exactly as given
	Body   []byte
}

// Sender performs the HTTP POST of a delivery or test event. A returned
// error means no HTTP response was obtained (refused scheme, DNS, connect,
// TLS, reset, timeout); every such error counts as a failed attempt.
type Sender interface {
	Send(ctx context.Context, r OutboundRequest) (*Response, error)
}

// ErrPlainHTTP is returned by HTTPSender for an http:// target when plain
// HTTP is not allowed.
var ErrPlainHTTP = errors.New("the target URL must use https")

// HTTPSenderOptions configures NewHTTPSender.
type HTTPSenderOptions struct {
	// AllowHTTP permits http:// targets (test harnesses, §9 #10).
	AllowHTTP bool
	// CertVerifier judges the targets' certificates. Nil: a
	// StandardCertVerifier trusting the system roots, TrustCA and
	// TrustCAPEM, without a revocation check.
	CertVerifier CertVerifier
	// TrustCA and TrustCAPEM are extra roots trusted besides the system
	// roots when CertVerifier is nil.
	TrustCA    *x509.CertPool
	TrustCAPEM []byte
	// Timeout bounds a whole request, body included (default 30 s).
	Timeout time.Duration
	// MaxBody bounds how much of a response body is read (default 64 KiB).
	MaxBody int64
}

// HTTPSender is the default Sender: HTTPS only unless allowed otherwise,
// certificates judged by its CertVerifier,
// redirects never followed, no proxy, one timeout per request, HTTP/1.1 so
// header names go out with the documented casing.
type HTTPSender struct {
	client    *http.Client
	transport *http.Transport
	allowHTTP bool
	maxBody   int64
}

// NewHTTPSender builds an HTTPSender.
func NewHTTPSender(o HTTPSenderOptions) (*HTTPSender, error) {
	if o.Timeout <= 0 {
		o.Timeout = 30 * time.Second
	}
	if o.MaxBody <= 0 {
		o.MaxBody = 64 << 10
	}
	verifier := o.CertVerifier
	if verifier == nil {
		v, err := NewStandardCertVerifier(o.TrustCA, o.TrustCAPEM, nil)
		if err != nil {
			return nil, err
		}
		verifier = v
	}
	dialer := &net.Dialer{Timeout: o.Timeout, KeepAlive: 30 * time.Second}
	tr := &http.Transport{
		Proxy:       nil,
		DialContext: dialer.DialContext,
		DialTLSContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			host, _, err := net.SplitHostPort(addr)
			if err != nil {
				return nil, err
			}
			raw, err := dialer.DialContext(ctx, network, addr)
			if err != nil {
				return nil, err
			}
			conn := tls.Client(raw, &tls.Config{
				ServerName:         host,
				MinVersion:         tls.VersionTLS12,
				InsecureSkipVerify: true, // verified by VerifyConnection, through the CertVerifier
				VerifyConnection: func(cs tls.ConnectionState) error {
					return verifier.VerifyCertificate(ctx, host, cs.PeerCertificates)
				},
			})
			if err := conn.HandshakeContext(ctx); err != nil {
				_ = raw.Close()
				return nil, fmt.Errorf("TLS handshake with %s: %w", addr, err)
			}
			return conn, nil
		},
		MaxIdleConnsPerHost: 4,
		IdleConnTimeout:     30 * time.Second,
	}
	return &HTTPSender{
		client: &http.Client{
			Transport: tr,
			Timeout:   o.Timeout,
			CheckRedirect: func(*http.Request, []*http.Request) error {
				return http.ErrUseLastResponse
			},
		},
		transport: tr,
		allowHTTP: o.AllowHTTP,
		maxBody:   o.MaxBody,
	}, nil
}

// Send implements Sender.
func (h *HTTPSender) Send(ctx context.Context, r OutboundRequest) (*Response, error) {
	u, err := url.Parse(r.URL)
	if err != nil {
		return nil, fmt.Errorf("target URL %q: %w", r.URL, err)
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !h.allowHTTP {
			return nil, fmt.Errorf("target URL %s: %w", r.URL, ErrPlainHTTP)
		}
	default:
		return nil, fmt.Errorf("target URL %q is not an absolute http(s) URL", r.URL)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, r.URL, bytes.NewReader(r.Body))
	if err != nil {
		return nil, fmt.Errorf("target URL %q: %w", r.URL, err)
	}
	req.Header = r.Header.Clone()
	if req.Header == nil {
		req.Header = http.Header{}
	}
	resp, err := h.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, h.maxBody))
	if err != nil {
		return nil, fmt.Errorf("reading the response of %s (%s): %w", r.URL, resp.Status, err)
	}
	return &Response{
		Status:     resp.StatusCode,
		StatusLine: resp.Proto + " " + resp.Status,
		Header:     resp.Header,
		Body:       body,
	}, nil
}

// CloseIdleConnections closes the sender's idle keep-alive connections.
func (h *HTTPSender) CloseIdleConnections() { h.transport.CloseIdleConnections() }
