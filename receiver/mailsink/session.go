package mailsink

import (
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"unicode/utf8"

	"github.com/emersion/go-smtp"

	"github.com/hookcheck/hookcheck/receiver/api"
)

// errTooLarge refuses a message over MaxMessageBytes. go-smtp sends an
// *smtp.SMTPError as is, so it must not be wrapped.
var errTooLarge = &smtp.SMTPError{
	Code:         552,
	EnhancedCode: smtp.EnhancedCode{5, 3, 4},
	Message:      "Maximum message size exceeded",
}

// errShuttingDown refuses a message that completes while the sink closes.
var errShuttingDown = &smtp.SMTPError{
	Code:         421,
	EnhancedCode: smtp.EnhancedCode{4, 3, 2},
	Message:      "Service shutting down",
}

// session is the state of one SMTP connection: the envelope of the message
// in progress. go-smtp calls its methods from one goroutine at a time.
type session struct {
	sink   *Sink
	remote string
	from   string
	to     []string
}

// newSession starts a session for a client that has said EHLO or HELO.
func (s *Sink) newSession(c *smtp.Conn) (smtp.Session, error) {
	remote := ""
	if nc := c.Conn(); nc != nil && nc.RemoteAddr() != nil {
		remote = nc.RemoteAddr().String()
	}
	return &session{sink: s, remote: remote}, nil
}

// Mail starts a message from the envelope sender from. It refuses at once a
// message whose declared SIZE is over the limit.
func (s *session) Mail(from string, opts *smtp.MailOptions) error {
	if opts != nil && opts.Size > s.sink.maxBytes {
		return errTooLarge
	}
	s.from = from
	s.to = nil
	return nil
}

// Rcpt adds an envelope recipient; every recipient is accepted.
func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.to = append(s.to, to)
	return nil
}

// Data reads the message and captures it, refusing it with a 552 error
// when it is larger than MaxMessageBytes.
func (s *session) Data(r io.Reader) error {
	limit := s.sink.maxBytes
	if limit < math.MaxInt64 {
		limit++ // read one byte more than allowed to detect an oversize message
	}
	raw, err := io.ReadAll(io.LimitReader(r, limit))
	if err != nil {
		var smtpErr *smtp.SMTPError
		if errors.As(err, &smtpErr) {
			return smtpErr
		}
		return fmt.Errorf("mailsink: read message from %s: %w", s.remote, err)
	}
	if int64(len(raw)) > s.sink.maxBytes {
		return errTooLarge
	}
	subject, body := parseMessage(raw)
	m := api.Mail{
		RemoteAddr: s.remote,
		From:       s.from,
		To:         slices.Clone(s.to),
		Subject:    subject,
		Body:       body,
	}
	if utf8.Valid(raw) {
		m.Raw = string(raw)
	} else {
		m.RawBase64 = base64.StdEncoding.EncodeToString(raw)
	}
	stored := s.sink.record(m)
	if !stored {
		return errShuttingDown
	}
	return nil
}

// Reset forgets the envelope of the message in progress.
func (s *session) Reset() {
	s.from = ""
	s.to = nil
}

// Logout ends the session; it holds nothing to release.
func (s *session) Logout() error {
	return nil
}
