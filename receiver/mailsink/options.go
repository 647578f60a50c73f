package mailsink

import (
	"fmt"
	"log/slog"
	"time"

	"github.com/hookcheck/hookcheck/receiver/api"
	"github.com/hookcheck/hookcheck/receiver/journal"
)

// Defaults applied by Listen to zero-valued Options fields.
const (
	DefaultMaxMessageBytes int64 = 10 << 20 // 10 MiB
	DefaultMaxMails              = 10000
	DefaultDomain                = "hookcheck.local"
	DefaultTimeout               = 30 * time.Second
)

// Options configures a Sink. The zero value is valid: every zero field takes
// its default, and negative values are rejected by Listen.
type Options struct {
	// MaxMessageBytes is the largest message accepted, in bytes as received
	// after dot-unstuffing; a larger message is refused with an SMTP 552
	// error and not captured. The default is DefaultMaxMessageBytes.
	MaxMessageBytes int64
	// MaxMails bounds the journal of captured mails; when it is full the
	// oldest mail is evicted. The default is DefaultMaxMails.
	MaxMails int
	// Domain is the server name sent in the greeting and the EHLO reply.
	// The default is DefaultDomain.
	Domain string
	// ReadTimeout and WriteTimeout bound each read of a client command or
	// each response write. The default for both is DefaultTimeout.
	ReadTimeout, WriteTimeout time.Duration
	// Journal, when set, is the journal to capture into, for example one
	// refilled with the mails a receiver kept on disk; it should be bounded
	// by MaxMails. Nil makes a new one.
	Journal *journal.Log[api.Mail]
	// Logger receives errors the SMTP server cannot report to a client,
	// such as a failing connection. Nil discards them.
	Logger *slog.Logger
}

// withDefaults returns o with every zero field set to its default, or an
// error naming the first negative field.
func (o Options) withDefaults() (Options, error) {
	switch {
	case o.MaxMessageBytes < 0:
		return o, fmt.Errorf("mailsink: MaxMessageBytes %d is negative", o.MaxMessageBytes)
	case o.MaxMails < 0:
		return o, fmt.Errorf("mailsink: MaxMails %d is negative", o.MaxMails)
	case o.ReadTimeout < 0:
		return o, fmt.Errorf("mailsink: ReadTimeout %s is negative", o.ReadTimeout)
	case o.WriteTimeout < 0:
		return o, fmt.Errorf("mailsink: WriteTimeout %s is negative", o.WriteTimeout)
	}
	if o.MaxMessageBytes == 0 {
		o.MaxMessageBytes = DefaultMaxMessageBytes
	}
	if o.MaxMails == 0 {
		o.MaxMails = DefaultMaxMails
	}
	if o.Domain == "" {
		o.Domain = DefaultDomain
	}
	if o.ReadTimeout == 0 {
		o.ReadTimeout = DefaultTimeout
	}
	if o.WriteTimeout == 0 {
		o.WriteTimeout = DefaultTimeout
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return o, nil
}
