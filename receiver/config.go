package receiver

import (
	"log/slog"
	"time"
)

// Off disables a listener when given as its address.
const Off = "off"

// Defaults for Config's zero values.
const (
	DefaultMaxCalls = 100000
	DefaultMaxBody  = 10 << 20
	DefaultMaxDelay = 5 * time.Minute
	DefaultMaxWait  = 5 * time.Minute
	DefaultMaxMails = 10000
	// DefaultBodyTimeout gives a 10 MiB body (the default --max-body) about
	// 3 Mbit/s; a webhook's few kilobytes take milliseconds.
	DefaultBodyTimeout = 30 * time.Second
	// DefaultDataMinFree is the least free space a data directory's file
	// system must have for the receiver to start on it.
	DefaultDataMinFree = 16 << 20
)

// Config configures a Receiver. The zero value listens on 127.0.0.1 with
// ephemeral ports for HTTP, HTTPS and SMTP, with the default bounds.
type Config struct {
	// Listen is the HTTP address (calls and control API); "" = 127.0.0.1:0.
	Listen string
	// TLSListen is the HTTPS address; "" = 127.0.0.1:0, Off = no HTTPS.
	TLSListen string
	// SMTPListen is the SMTP sink's address; "" = 127.0.0.1:0, Off = none.
	SMTPListen string
	// TLSCertFile and TLSKeyFile give the HTTPS certificate; when empty a CA
	// and a leaf certificate are generated at start.
	TLSCertFile, TLSKeyFile string
	// CADir, when set and no TLSCertFile is given, is the directory of a
	// persistent CA (InitCA: ca.pem, ca-key.pem) that signs the HTTPS
	// certificate issued at start, so a target trusts ca.pem once for
	// every run.
	CADir string
	// TLSHosts are extra host names or IPs the generated certificate covers,
	// beyond 127.0.0.1, ::1 and localhost.
	TLSHosts []string
	// PublicURL, when set, replaces the HTTP listener's address in channel
	// URLs (a tunnel or another host name the target can reach).
	PublicURL string
	// MaxCalls bounds the calls held across all channels (oldest evicted).
	MaxCalls int
	// MaxBody is the largest request body recorded whole; larger bodies are
	// answered 413 and recorded truncated.
	MaxBody int64
	// MaxDelay clamps every user-given delay, jitter, slow-body and hang.
	MaxDelay time.Duration
	// MaxWait clamps the wait of a blocking query.
	MaxWait time.Duration
	// MaxMails bounds the captured e-mails.
	MaxMails int
	// ControlToken, when set, must be sent as "Authorization: Bearer TOKEN"
	// on every control route except healthz and ca.pem.
	ControlToken string
	// ReadHeaderTimeout bounds how long a client may take to send headers
	// (slowloris); default 10s.
	ReadHeaderTimeout time.Duration
	// BodyTimeout bounds how long a request's body may take to arrive once
	// its headers are in; a call cut off by it is recorded as aborted with
	// the bytes received and answered 408. Default DefaultBodyTimeout.
	BodyTimeout time.Duration
	// ReplayTimeout bounds a replay of a recorded call (POST
	// .../calls/{seq}/replay), from dialling to the end of the answer;
	// default DefaultReplayTimeout.
	ReplayTimeout time.Duration
	// DataDir, when set, is the directory where the receiver keeps its
	// channels, calls and captured e-mails (an embedded database, package
	// store), loaded again on start; empty keeps everything in memory only.
	DataDir string
	// Sync makes every call durable in DataDir before it is answered;
	// without it calls are written in group commits just after.
	Sync bool
	// DataMinFree is the free space DataDir's file system must have at
	// start; default DefaultDataMinFree, negative for no minimum.
	DataMinFree int64
	// Logger receives server errors; nil discards them.
	Logger *slog.Logger
}

func (c Config) withDefaults() Config {
	if c.Listen == "" {
		c.Listen = "127.0.0.1:0"
	}
	if c.TLSListen == "" {
		c.TLSListen = "127.0.0.1:0"
	}
	if c.SMTPListen == "" {
		c.SMTPListen = "127.0.0.1:0"
	}
	if c.MaxCalls == 0 {
		c.MaxCalls = DefaultMaxCalls
	}
	if c.MaxBody <= 0 {
		c.MaxBody = DefaultMaxBody
	}
	if c.MaxDelay <= 0 {
		c.MaxDelay = DefaultMaxDelay
	}
	if c.MaxWait <= 0 {
		c.MaxWait = DefaultMaxWait
	}
	if c.MaxMails <= 0 {
		c.MaxMails = DefaultMaxMails
	}
	if c.ReadHeaderTimeout <= 0 {
		c.ReadHeaderTimeout = 10 * time.Second
	}
	if c.BodyTimeout <= 0 {
		c.BodyTimeout = DefaultBodyTimeout
	}
	if c.ReplayTimeout <= 0 {
		c.ReplayTimeout = DefaultReplayTimeout
	}
	if c.DataMinFree == 0 {
		c.DataMinFree = DefaultDataMinFree
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c
}
