package reference

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/smtp"
	"strings"
	"time"
)

// ErrorNotice describes a hook that has just been turned off for errors; it
// is what the error e-mail of spec §5 reports.
type ErrorNotice struct {
	To                string // the hook's ErrorsEmail
	From              string
	WebhookID         int32
	Name              string
	TargetURL         string
	Events            []string
	State             State
	EventID           string // the EventId of the attempt that tipped it over
	Error             string // the last error (response or transport error)
	ConsecutiveErrors int64
	At                time.Time
}

// Mailer delivers the error notice when a hook becomes TooManyErrors.
type Mailer interface {
	SendErrorMail(ctx context.Context, n ErrorNotice) error
}

// ErrNoSMTP is returned by SMTPMailer when no SMTP server is configured.
var ErrNoSMTP = errors.New("no SMTP server configured (Options.SMTPAddr)")

// SMTPMailer sends the notice over plain SMTP (no TLS, no auth) to Addr.
type SMTPMailer struct {
	Addr    string        // host:port
	Timeout time.Duration // whole conversation; default 30 s
	Hello   string        // EHLO name; default "hookcheck.local"
}

// SendErrorMail implements Mailer.
func (m SMTPMailer) SendErrorMail(ctx context.Context, n ErrorNotice) error {
	if m.Addr == "" {
		return ErrNoSMTP
	}
	timeout := m.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	hello := m.Hello
	if hello == "" {
		hello = "hookcheck.local"
	}
	from, err := mail.ParseAddress(n.From)
	if err != nil {
		return fmt.Errorf("sender address %q: %w", n.From, err)
	}
	to, err := mail.ParseAddressList(strings.ReplaceAll(n.To, ";", ","))
	if err != nil {
		return fmt.Errorf("ErrorsEmail %q: %w", n.To, err)
	}
	msg := ComposeErrorMail(n)

	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	d := net.Dialer{}
	conn, err := d.DialContext(ctx, "tcp", m.Addr)
	if err != nil {
		return fmt.Errorf("connect to SMTP server %s: %w", m.Addr, err)
	}
	stop := context.AfterFunc(ctx, func() { _ = conn.Close() })
	defer stop()
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	}
	host, _, _ := net.SplitHostPort(m.Addr)
	c, err := smtp.NewClient(conn, host)
	if err != nil {
		_ = conn.Close()
		return fmt.Errorf("SMTP greeting from %s: %w", m.Addr, err)
	}
	defer c.Close()
	steps := []struct {
		what string
		do   func() error
	}{
		{"EHLO", func() error { return c.Hello(hello) }},
		{"MAIL FROM", func() error { return c.Mail(from.Address) }},
	}
	for _, a := range to {
		steps = append(steps, struct {
			what string
			do   func() error
		}{"RCPT TO " + a.Address, func() error { return c.Rcpt(a.Address) }})
	}
	steps = append(steps, struct {
		what string
		do   func() error
	}{"DATA", func() error {
		w, err := c.Data()
		if err != nil {
			return err
		}
		if _, err := w.Write(msg); err != nil {
			_ = w.Close()
			return err
		}
		return w.Close()
	}})
	for _, s := range steps {
		if err := s.do(); err != nil {
			return fmt.Errorf("SMTP %s at %s: %w", s.what, m.Addr, err)
		}
	}
	_ = c.Quit()
	return nil
}

// ComposeErrorMail renders the complete RFC 5322 message for n: the subject
// names the webhook; the body has the error, the EventId, the Name, the id,
// the target URL and the consecutive error count.
func ComposeErrorMail(n ErrorNotice) []byte {
	oneLine := func(s string) string { return strings.Join(strings.Fields(s), " ") }
	name := oneLine(n.Name)
	if name == "" {
		name = "(no name)"
	}
	subject := fmt.Sprintf("Webhook %q (id %d) was turned off: %s", name, n.WebhookID, n.State)
	var body strings.Builder
	if n.State == StateActive {
		// A v12.1 first-failure notice (NotifyWhen FirstFailure, spec §1.8).
		subject = fmt.Sprintf("Webhook %q (id %d) failed a delivery", name, n.WebhookID)
		fmt.Fprintf(&body, "A delivery of the webhook %q (id %d) failed; it stays Active and is retried.\r\n\r\n", name, n.WebhookID)
	} else {
		fmt.Fprintf(&body, "The webhook %q (id %d) has been set to %s (%d) after %d consecutive failed delivery attempts.\r\n",
			name, n.WebhookID, n.State, int(n.State), n.ConsecutiveErrors)
		body.WriteString("Set its State back to Active to resume deliveries.\r\n\r\n")
	}
	fmt.Fprintf(&body, "WebhookId: %d\r\n", n.WebhookID)
	fmt.Fprintf(&body, "Name: %s\r\n", name)
	fmt.Fprintf(&body, "TargetUrl: %s\r\n", oneLine(n.TargetURL))
	fmt.Fprintf(&body, "Events: %s\r\n", strings.Join(n.Events, ","))
	fmt.Fprintf(&body, "State: %s\r\n", n.State)
	fmt.Fprintf(&body, "ConsecutiveErrors: %d\r\n", n.ConsecutiveErrors)
	fmt.Fprintf(&body, "EventId: %s\r\n", n.EventID)
	fmt.Fprintf(&body, "Time: %s\r\n", FormatPayloadTime(n.At))
	body.WriteString("\r\nError:\r\n")
	body.WriteString(strings.ReplaceAll(strings.ReplaceAll(n.Error, "\r\n", "\n"), "\n", "\r\n"))
	body.WriteString("\r\n")
	text := body.String()

	var msg bytes.Buffer
	fmt.Fprintf(&msg, "From: %s\r\n", n.From)
	fmt.Fprintf(&msg, "To: %s\r\n", oneLine(n.To))
	fmt.Fprintf(&msg, "Subject: %s\r\n", mime.QEncoding.Encode("utf-8", subject))
	fmt.Fprintf(&msg, "Date: %s\r\n", n.At.Format(time.RFC1123Z))
	fmt.Fprintf(&msg, "Message-ID: <%s@hookcheck.local>\r\n", NewGUID())
	fmt.Fprintf(&msg, "X-SuperOffice-WebhookId: %d\r\n", n.WebhookID)
	msg.WriteString("MIME-Version: 1.0\r\n")
	msg.WriteString("Content-Type: text/plain; charset=utf-8\r\n")
	if plainASCIIShortLines(text) {
		msg.WriteString("Content-Transfer-Encoding: 7bit\r\n\r\n")
		msg.WriteString(text)
	} else {
		msg.WriteString("Content-Transfer-Encoding: quoted-printable\r\n\r\n")
		qp := quotedprintable.NewWriter(&msg)
		_, _ = qp.Write([]byte(text))
		_ = qp.Close()
	}
	return msg.Bytes()
}

// plainASCIIShortLines reports whether s can go out as 7bit text.
func plainASCIIShortLines(s string) bool {
	for _, line := range strings.Split(s, "\r\n") {
		if len(line) > 900 {
			return false
		}
		for i := 0; i < len(line); i++ {
			if c := line[i]; c >= 0x80 || (c < 0x20 && c != '\t') {
				return false
			}
		}
	}
	return true
}
