package mailsink_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/smtp"
	"net/textproto"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/receiver/api"
	"github.com/hookcheck/hookcheck/receiver/mailsink"
)

// startSink starts a sink on a free loopback port and closes it when the
// spec ends.
func startSink(opts mailsink.Options) *mailsink.Sink {
	GinkgoHelper()
	sink, err := mailsink.Listen("127.0.0.1:0", opts)
	Expect(err).NotTo(HaveOccurred())
	DeferCleanup(sink.Close)
	return sink
}

// send delivers msg to the sink through the standard library SMTP client.
func send(sink *mailsink.Sink, from string, to []string, msg string) error {
	return smtp.SendMail(sink.Addr(), nil, from, to, []byte(msg))
}

// mustSend delivers msg and fails the spec when the sink refuses it.
func mustSend(sink *mailsink.Sink, from string, to []string, msg string) {
	GinkgoHelper()
	Expect(send(sink, from, to, msg)).To(Succeed())
}

// all returns every mail the sink holds, without waiting.
func all(sink *mailsink.Sink) []api.Mail {
	return sink.Find(context.Background(), mailsink.Query{}).Mails
}

// waitFor waits up to five seconds for n mails matching q.
func waitFor(sink *mailsink.Sink, q mailsink.Query, n int) []api.Mail {
	GinkgoHelper()
	q.Min, q.Wait = n, 5*time.Second
	mails := sink.Find(context.Background(), q).Mails
	Expect(mails).To(HaveLen(n))
	return mails
}

// smtpCode returns the reply code carried by an error of net/smtp, or 0.
func smtpCode(err error) int {
	var tpErr *textproto.Error
	if errors.As(err, &tpErr) {
		return tpErr.Code
	}
	return 0
}

// rawSession is a hand-driven SMTP client, for exchanges net/smtp cannot
// produce (a session left open mid-message, ESMTP parameters).
type rawSession struct {
	conn net.Conn
	text *textproto.Conn
}

// dialRaw connects to the sink and reads its greeting, which it returns.
func dialRaw(sink *mailsink.Sink) (*rawSession, string) {
	GinkgoHelper()
	conn, err := net.DialTimeout("tcp", sink.Addr(), 5*time.Second)
	Expect(err).NotTo(HaveOccurred())
	DeferCleanup(conn.Close)
	Expect(conn.SetDeadline(time.Now().Add(10 * time.Second))).To(Succeed())
	s := &rawSession{conn: conn, text: textproto.NewConn(conn)}
	_, greeting, err := s.text.ReadResponse(220)
	Expect(err).NotTo(HaveOccurred())
	return s, greeting
}

// cmd sends one command and expects a reply with code want; it returns the
// reply text.
func (s *rawSession) cmd(want int, format string, args ...any) string {
	GinkgoHelper()
	id, err := s.text.Cmd(format, args...)
	Expect(err).NotTo(HaveOccurred())
	s.text.StartResponse(id)
	defer s.text.EndResponse(id)
	code, msg, err := s.text.ReadResponse(0)
	Expect(code).To(Equal(want), fmt.Sprintf("reply to %q: %d %s (%v)", fmt.Sprintf(format, args...), code, msg, err))
	return msg
}
