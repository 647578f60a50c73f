package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"path/filepath"
	"time"

	"github.com/hookcheck/hookcheck/receiver"
)

func runReceive(ctx context.Context, e *env, args []string) int {
	fs := newFlagSet("receive", `Runs the mock webhook receiver until interrupted (Ctrl-C / SIGTERM).
Point webhooks at http(s)://ADDR/hooks/{id}: every call is recorded and
answered by the channel's fault script; the control API lives under
/_hookcheck/ on the HTTP listener (see README "Receiver control API").
Give an address "off" to disable the HTTPS or SMTP listener; port 0 picks
a free port.`)
	cfg := receiver.Config{}
	var tlsHosts listFlag
	maxBody := sizeFlag(receiver.DefaultMaxBody)
	var addrFile, caDir string
	fs.StringVar(&cfg.Listen, "listen", "127.0.0.1:8088", "HTTP `address` for calls and the control API")
	fs.StringVar(&cfg.TLSListen, "tls-listen", "127.0.0.1:8443", "HTTPS `address` for calls (and the control API), or off")
	fs.StringVar(&cfg.SMTPListen, "smtp-listen", "127.0.0.1:2525", "SMTP sink `address` capturing error e-mails, or off")
	fs.StringVar(&cfg.TLSCertFile, "tls-cert", "", "PEM certificate `file` for HTTPS (default: a CA and certificate generated at start)")
	fs.StringVar(&cfg.TLSKeyFile, "tls-key", "", "PEM private key `file` for --tls-cert")
	fs.StringVar(&caDir, "ca-dir", "", "`directory` of the persistent CA (hookcheck ca init) that signs the HTTPS certificate; default "+caDirHelp+" when a CA is there, else a CA made at start (off forces that)")
	fs.Var(&tlsHosts, "tls-host", "extra `host` name or IP for the generated certificate (repeatable or comma-separated); 127.0.0.1, ::1 and localhost are always covered")
	fs.IntVar(&cfg.MaxCalls, "max-calls", receiver.DefaultMaxCalls, "calls kept across all channels; the oldest are evicted beyond it (evictions are counted)")
	fs.Var(&maxBody, "max-body", "largest body `size` recorded whole; larger ones are answered 413 and recorded truncated (e.g. 10MiB)")
	fs.DurationVar(&cfg.MaxDelay, "max-delay", receiver.DefaultMaxDelay, "clamp for every scripted delay, jitter, slow-body and hang")
	fs.DurationVar(&cfg.MaxWait, "max-wait", receiver.DefaultMaxWait, "clamp for the wait of a blocking calls/mail query")
	fs.DurationVar(&cfg.BodyTimeout, "body-timeout", receiver.DefaultBodyTimeout, "how long a request's body may take to arrive once its headers are in; a slower call is answered 408 and recorded as aborted with the bytes received")
	fs.StringVar(&cfg.ControlToken, "control-token", "", "require \"Authorization: Bearer `TOKEN`\" on the control API (healthz and ca.pem stay open); prefer HOOKCHECK_CONTROL_TOKEN")
	fs.StringVar(&cfg.PublicURL, "public-url", "", "base `URL` put in channel URLs when targets reach the receiver through another address")
	fs.StringVar(&addrFile, "addr-file", "", "write the bound addresses as JSON {\"http\",\"https\",\"smtp\"} to `file` once listening")
	data := addDataFlags(fs, &cfg)
	if err := fs.parse(e, args); err != nil {
		if errors.Is(err, errHelp) {
			return ExitOK
		}
		return usageError(e, "receive", err)
	}
	if cfg.MaxCalls <= 0 {
		return usageError(e, "receive", fmt.Errorf("--max-calls must be positive, got %d", cfg.MaxCalls))
	}
	if cfg.MaxDelay <= 0 || cfg.MaxWait <= 0 {
		return usageError(e, "receive", errors.New("--max-delay and --max-wait must be positive"))
	}
	if cfg.BodyTimeout <= 0 {
		return usageError(e, "receive", fmt.Errorf("--body-timeout must be positive, got %s", cfg.BodyTimeout))
	}
	cfg.TLSHosts = tlsHosts
	caGiven := false
	fs.Visit(func(f *flag.Flag) { caGiven = caGiven || f.Name == "ca-dir" })
	if cfg.TLSCertFile == "" && cfg.TLSKeyFile == "" {
		dir, err := chooseCADir(e, caDir, caGiven)
		if err != nil {
			return usageError(e, "receive", fmt.Errorf("--ca-dir %w", err))
		}
		cfg.CADir = dir
	} else if caGiven && caDir != receiver.Off {
		return usageError(e, "receive", errors.New("--tls-cert replaces the CA: drop --ca-dir"))
	}
	cfg.MaxBody = int64(maxBody)
	if data.check {
		return checkDataDir(e, cfg.DataDir)
	}
	if err := data.apply(e, &cfg); err != nil {
		return usageError(e, "receive", err)
	}

	rv, err := receiver.Start(cfg)
	if err != nil {
		return usageError(e, "receive", err)
	}
	// No deferred Close: a second Close would wait for the first one, so the
	// shutdown timeout below could never let the command exit.
	if addrFile != "" {
		if err := writeAddrFile(addrFile, rv.Addresses()); err != nil {
			_ = rv.Close()
			return usageError(e, "receive", err)
		}
	}
	fmt.Fprintf(e.stdout, "hookcheck receiver ready\n")
	fmt.Fprintf(e.stdout, "  http     %s   calls: %s/hooks/{id}   control: %s/_hookcheck/\n", rv.URL(), rv.URL(), rv.URL())
	if rv.TLSURL() != "" {
		trust := rv.URL() + "/_hookcheck/ca.pem (made for this run only; hookcheck ca init makes one that lasts)"
		switch {
		case cfg.TLSCertFile != "":
			trust = cfg.TLSCertFile
		case cfg.CADir != "":
			trust = filepath.Join(cfg.CADir, receiver.CAFile)
		}
		fmt.Fprintf(e.stdout, "  https    %s   trust: %s\n", rv.TLSURL(), trust)
	}
	if rv.SMTPAddr() != "" {
		fmt.Fprintf(e.stdout, "  smtp     %s\n", rv.SMTPAddr())
	}
	printDataDir(e, rv)
	<-ctx.Done()
	fmt.Fprintf(e.stdout, "hookcheck receiver stopping\n")
	done := make(chan error, 1)
	go func() { done <- rv.Close() }()
	select {
	case err := <-done:
		if err != nil {
			fmt.Fprintf(e.stderr, "hookcheck receive: %v\n", err)
		}
	case <-time.After(10 * time.Second):
		fmt.Fprintf(e.stderr, "hookcheck receive: shutdown took over 10s; exiting anyway\n")
	}
	return ExitOK
}
