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
	"time"

	"github.com/hookcheck/hookcheck/receiver/api"
	"github.com/hookcheck/hookcheck/receiver/fault"
	"github.com/hookcheck/hookcheck/receiver/mailsink"
)

// Receiver is a running receiver: HTTP (calls and control API), optional
// HTTPS (calls and control API) and an optional SMTP sink.
type Receiver struct {
	cfg      Config
	channels *channels
	sink     *mailsink.Sink
	caPEM    []byte
	control  http.Handler
	hosts    *hostPolicy // set before any listener serves
	kinds    *tlsKinds   // the channels' TLS kinds (tlslisteners.go); set before any listener serves

	httpSrv, tlsSrv *http.Server
	httpURL, tlsURL string

	ctx      context.Context // ends when the receiver closes: hung faults let go
	cancel   context.CancelFunc
	wg       sync.WaitGroup
	once     sync.Once
	inflight gate // requests being served; Close waits for them before releasing call memory
}

// Start starts a receiver as cfg says and returns once every listener is
// bound. Close stops it.
func Start(cfg Config) (*Receiver, error) {
	cfg = cfg.withDefaults()
	rv := &Receiver{cfg: cfg, channels: newChannels(cfg.MaxCalls, fault.Limits{MaxDelay: cfg.MaxDelay})}
	rv.ctx, rv.cancel = context.WithCancel(context.Background())
	rv.control = rv.controlRouter()
	ok := false
	defer func() {
		if !ok {
			_ = rv.Close()
		}
	}()

	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return nil, fmt.Errorf("receiver: listen http %s: %w", cfg.Listen, err)
	}
	rv.httpURL = "http://" + ln.Addr().String()
	rv.httpSrv = rv.newServer()
	listeners := []string{ln.Addr().String()}
	var tlsLn net.Listener
	var ca *CA
	served := false // until then the listeners are Start's to close
	defer func() {
		if !served {
			_ = ln.Close()
			if tlsLn != nil {
				_ = tlsLn.Close()
			}
		}
	}()

	if cfg.TLSListen != Off {
		cert, signer, caPEM, err := certificate(cfg)
		if err != nil {
			return nil, fmt.Errorf("receiver: %w", err)
		}
		rv.caPEM, ca = caPEM, signer
		tln, err := net.Listen("tcp", cfg.TLSListen)
		if err != nil {
			return nil, fmt.Errorf("receiver: listen https %s: %w", cfg.TLSListen, err)
		}
		rv.tlsURL = "https://" + tln.Addr().String()
		rv.tlsSrv = rv.newServer()
		// HTTP/1.1 and HTTP/2, chosen by ALPN: some senders speak only h2.
		// Over HTTP/2 the faults that take the connection reset the
		// stream instead (receiver/fault).
		rv.tlsSrv.Protocols = new(http.Protocols)
		rv.tlsSrv.Protocols.SetHTTP1(true)
		rv.tlsSrv.Protocols.SetHTTP2(true)
		tlsLn = tls.NewListener(tln, &tls.Config{
			Certificates: []tls.Certificate{cert},
			MinVersion:   tls.VersionTLS12,
			NextProtos:   []string{"h2", "http/1.1"},
		})
		listeners = append(listeners, tln.Addr().String())
	}
	rv.hosts = newHostPolicy(listeners, cfg.PublicURL, cfg.TLSHosts)
	rv.kinds = newTLSKinds(cfg, ca, rv.publicURL(), rv.newServer)
	served = true
	rv.serve(rv.httpSrv, capturingListener{ln}) // headers as sent (rawheaders.go)
	if tlsLn != nil {
		rv.serve(rv.tlsSrv, tlsLn)
	}

	if cfg.SMTPListen != Off {
		sink, err := mailsink.Listen(cfg.SMTPListen, mailsink.Options{MaxMails: cfg.MaxMails, MaxMessageBytes: cfg.MaxBody})
		if err != nil {
			return nil, fmt.Errorf("receiver: listen smtp %s: %w", cfg.SMTPListen, err)
		}
		rv.sink = sink
	}
	ok = true
	return rv, nil
}

func (rv *Receiver) newServer() *http.Server {
	return &http.Server{
		Handler:           rv,
		ReadHeaderTimeout: rv.cfg.ReadHeaderTimeout,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    1 << 20,
		ErrorLog:          slog.NewLogLogger(rv.cfg.Logger.Handler(), slog.LevelDebug),
		BaseContext:       func(net.Listener) context.Context { return rv.ctx },
		ConnContext:       withCapturingConn,
		ConnState:         rearmOnIdle,
	}
}

func (rv *Receiver) serve(srv *http.Server, ln net.Listener) {
	rv.wg.Add(1)
	go func() {
		defer rv.wg.Done()
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			rv.cfg.Logger.Error("receiver: serve", "addr", ln.Addr().String(), "err", err)
		}
	}()
}

// ServeHTTP routes /hooks/ to the channels, "/" and /_hookcheck/ui to the
// inspector page and everything else to the control API. The hook path
// skips the router: it is the hot path. The page and the control API
// refuse (403) what a browser may have sent on another site's behalf
// (hostPolicy); calls are never refused for their Host or Origin.
// A closed receiver answers 503.
func (rv *Receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !rv.inflight.enter() {
		w.Header().Set("Connection", "close")
		writeError(w, http.StatusServiceUnavailable, "the receiver is closed")
		return
	}
	defer rv.inflight.exit()
	if cc := capturingConnOf(r); cc != nil {
		defer cc.rearm() // for the next request on the connection
	}
	if strings.HasPrefix(r.URL.Path, hooksPrefix) && len(r.URL.Path) > len(hooksPrefix) {
		rv.serveHook(w, r)
		return
	}
	if msg := rv.hosts.refuse(r); msg != "" {
		writeError(w, http.StatusForbidden, msg)
		return
	}
	if isUIPath(r.URL.Path) {
		rv.serveUI(w, r)
		return
	}
	rv.limitBody(w, r) // a control request's JSON has --body-timeout too; decodeJSON lifts it
	rv.control.ServeHTTP(w, r)
}

// URL returns the HTTP base URL, e.g. http://127.0.0.1:34567.
func (rv *Receiver) URL() string { return rv.httpURL }

// TLSURL returns the HTTPS base URL, or "" without HTTPS.
func (rv *Receiver) TLSURL() string { return rv.tlsURL }

// SMTPAddr returns the SMTP sink's host:port, or "" without one.
func (rv *Receiver) SMTPAddr() string {
	if rv.sink == nil {
		return ""
	}
	return rv.sink.Addr()
}

// CAPEM returns the PEM certificate a client should trust for TLSURL.
func (rv *Receiver) CAPEM() []byte { return rv.caPEM }

// Addresses returns the bound addresses, as written to --addr-file.
func (rv *Receiver) Addresses() api.Addresses {
	return api.Addresses{HTTP: rv.httpURL, HTTPS: rv.tlsURL, SMTP: rv.SMTPAddr()}
}

// publicURL is the base URL put into channel URLs.
func (rv *Receiver) publicURL() string {
	if rv.cfg.PublicURL != "" {
		return strings.TrimRight(rv.cfg.PublicURL, "/")
	}
	return rv.httpURL
}

// closeDrain bounds how long Close waits for requests still being served
// after the servers shut down.
const closeDrain = 5 * time.Second

// Close stops every listener. Handlers held by hang or slow faults are
// released at once, and Close returns within a few seconds even if a client
// misbehaves. Once the requests being served have ended, the recorded
// calls and their memory are released; a request that is still stuck then
// (only possible on a server the receiver does not own) keeps the memory
// mapped instead.
func (rv *Receiver) Close() error {
	var errs []error
	rv.once.Do(func() {
		rv.cancel()
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		for _, srv := range []*http.Server{rv.httpSrv, rv.tlsSrv} {
			if srv == nil {
				continue
			}
			if err := srv.Shutdown(ctx); err != nil {
				_ = srv.Close()
			}
		}
		if rv.kinds != nil {
			rv.kinds.close(ctx)
		}
		if rv.sink != nil {
			if err := rv.sink.Close(); err != nil {
				errs = append(errs, fmt.Errorf("receiver: close smtp: %w", err))
			}
		}
		rv.wg.Wait()
		if !rv.inflight.close(closeDrain) {
			rv.cfg.Logger.Warn("receiver: requests still running at close; their call memory stays mapped")
			return
		}
		if err := rv.channels.close(); err != nil {
			errs = append(errs, fmt.Errorf("receiver: %w", err))
		}
	})
	return errors.Join(errs...)
}
