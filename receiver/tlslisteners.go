package receiver

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/hookcheck/hookcheck/receiver/api"
)

// crlPath is where the receiver serves its CA's CRL; the certificates of
// the TLS kinds that chain to the CA name it as their CRL distribution
// point.
const crlPath = controlPrefix + "/ca.crl"

// tlsKinds serves the channels' TLS kinds: one HTTPS listener per kind,
// started the first time a channel asks for the kind, on the host of the
// receiver's HTTPS listener and a port of its own.
//
// A listener per kind, not certificates chosen by SNI on one listener:
// the certificate is picked during the handshake, before any path is
// seen, and a target dials the receiver by IP address (127.0.0.1), which
// a ClientHello never names (RFC 6066 §3). The port is the one thing the
// handshake knows. There are at most len(api.TLSKinds) of them, shared
// by every channel of the kind; the channel is told apart by its path as
// on every listener.
type tlsKinds struct {
	// https is false when the receiver has no HTTPS listener; host is
	// that listener's host.
	https bool
	host  string
	// ca is the receiver's CA, nil when it serves a given certificate.
	ca     *CA
	hosts  []string
	crlURL string
	// newServer makes the http.Server of a listener (the receiver's).
	newServer func() *http.Server
	logger    *slog.Logger

	once     sync.Once // makes certs on first use
	certs    *kindCerts
	certsErr error

	mu      sync.Mutex
	closed  bool
	servers map[string]*kindServer
	wg      sync.WaitGroup
}

// kindServer is the running listener of one kind.
type kindServer struct {
	url    string
	srv    *http.Server
	hellos atomic.Uint64
}

// newTLSKinds returns the TLS kinds of a receiver configured by cfg (its
// TLSListen, TLSHosts and Logger), whose CA is ca (nil: none) and whose
// control API a target reaches at publicURL, under which the CRL is
// served.
func newTLSKinds(cfg Config, ca *CA, publicURL string, newServer func() *http.Server) *tlsKinds {
	k := &tlsKinds{ca: ca, hosts: cfg.TLSHosts, newServer: newServer, logger: cfg.Logger, servers: map[string]*kindServer{}}
	if cfg.TLSListen != Off {
		k.https = true
		k.host, _, _ = net.SplitHostPort(cfg.TLSListen)
	}
	if ca != nil {
		k.crlURL = publicURL + crlPath
	}
	return k
}

// kindError is a TLS kind a channel may not have: unknown (400) or one
// this receiver cannot serve (409).
type kindError struct {
	status int
	msg    string
}

// Error implements error.
func (e *kindError) Error() string { return e.msg }

// unavailable returns why the receiver cannot serve kind, or "".
func (k *tlsKinds) unavailable(kind string) string {
	switch {
	case !k.https:
		return "this receiver has no HTTPS listener (--tls-listen off)"
	case needsCA(kind) && k.ca == nil:
		return fmt.Sprintf("the %s certificate must be signed by the receiver's CA, but this receiver serves a given certificate (--tls-cert) and has no CA key; only %s and %s are available", kind, api.TLSSelfSigned, api.TLSUntrustedCA)
	}
	return ""
}

// kindCerts returns the certificates of every kind, made on first use.
func (k *tlsKinds) kindCerts() (*kindCerts, error) {
	k.once.Do(func() { k.certs, k.certsErr = makeKindCerts(k.ca, k.hosts, k.crlURL) })
	return k.certs, k.certsErr
}

// ensure returns the base URL of kind's listener, starting it if it is
// not running yet. An unknown kind and one the receiver cannot serve are
// *kindError.
func (k *tlsKinds) ensure(kind string) (string, error) {
	if !api.IsTLSKind(kind) {
		return "", &kindError{http.StatusBadRequest, fmt.Sprintf("tls %q is not a TLS kind: want one of %s", kind, strings.Join(api.TLSKinds, ", "))}
	}
	if why := k.unavailable(kind); why != "" {
		return "", &kindError{http.StatusConflict, fmt.Sprintf("tls %q: %s", kind, why)}
	}
	certs, err := k.kindCerts()
	if err != nil {
		return "", err
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.closed {
		return "", errors.New("the receiver is closed")
	}
	if ks := k.servers[kind]; ks != nil {
		return ks.url, nil
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(k.host, "0"))
	if err != nil {
		return "", fmt.Errorf("tls %q: listen: %w", kind, err)
	}
	ks := &kindServer{url: "https://" + ln.Addr().String(), srv: k.newServer()}
	cert := certs.certs[kind]
	ks.srv.Protocols = new(http.Protocols)
	ks.srv.Protocols.SetHTTP1(true)
	ks.srv.Protocols.SetHTTP2(true)
	tlsLn := tls.NewListener(ln, &tls.Config{
		MinVersion: tls.VersionTLS12,
		NextProtos: []string{"h2", "http/1.1"},
		GetCertificate: func(*tls.ClientHelloInfo) (*tls.Certificate, error) {
			ks.hellos.Add(1)
			return &cert, nil
		},
	})
	k.servers[kind] = ks
	k.wg.Go(func() {
		if err := ks.srv.Serve(tlsLn); err != nil && !errors.Is(err, http.ErrServerClosed) {
			k.logger.Error("receiver: serve tls kind", "kind", kind, "addr", ln.Addr().String(), "err", err)
		}
	})
	return ks.url, nil
}

// list describes every kind.
func (k *tlsKinds) list() api.TLSKindList {
	out := api.TLSKindList{Kinds: make([]api.TLSKindInfo, 0, len(api.TLSKinds)), CRL: k.crlURL}
	k.mu.Lock()
	defer k.mu.Unlock()
	for _, kind := range api.TLSKinds {
		info := api.TLSKindInfo{Kind: kind, Reason: k.unavailable(kind)}
		info.Available = info.Reason == ""
		if ks := k.servers[kind]; ks != nil {
			info.URL = ks.url
			info.Hellos = ks.hellos.Load()
		}
		out.Kinds = append(out.Kinds, info)
	}
	return out
}

// close stops every listener; handlers still running end with ctx.
func (k *tlsKinds) close(ctx context.Context) {
	k.mu.Lock()
	k.closed = true
	servers := k.servers
	k.mu.Unlock()
	for _, ks := range servers {
		if err := ks.srv.Shutdown(ctx); err != nil {
			_ = ks.srv.Close()
		}
	}
	k.wg.Wait()
}

// kindURL returns the address of a channel of kind: its kind listener's
// URL and the channel's path, or "" when the listener cannot run (the
// reason is logged).
func (rv *Receiver) kindURL(kind, id string) string {
	base, err := rv.kinds.ensure(kind)
	if err != nil {
		rv.cfg.Logger.Warn("receiver: channel TLS kind", "channel", id, "tls", kind, "err", err)
		return ""
	}
	return base + hooksPrefix + id
}

// handleTLSKinds serves GET /_hookcheck/tls: every kind, whether this
// receiver can serve it, its listener and the handshakes it saw.
func (rv *Receiver) handleTLSKinds(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, rv.kinds.list())
}

// handleCRL serves GET /_hookcheck/ca.crl: the CA's CRL, DER-encoded.
func (rv *Receiver) handleCRL(w http.ResponseWriter, _ *http.Request) {
	if rv.kinds.ca == nil {
		writeError(w, http.StatusNotFound, "no CRL: "+errNoCA.Error())
		return
	}
	certs, err := rv.kinds.kindCerts()
	var der []byte
	if err == nil {
		der, err = certs.crl()
	}
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	w.Header().Set("Content-Type", "application/pkix-crl")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(der)
}

// startKind starts the listener of a new channel's TLS kind (none for
// ""), answering the request with the error when it cannot; it reports
// whether the channel may be created.
func (rv *Receiver) startKind(w http.ResponseWriter, kind string) bool {
	if kind == "" {
		return true
	}
	if _, err := rv.kinds.ensure(kind); err != nil {
		status := http.StatusInternalServerError
		var ke *kindError
		if errors.As(err, &ke) {
			status = ke.status
		}
		writeError(w, status, "create channel: "+err.Error())
		return false
	}
	return true
}
