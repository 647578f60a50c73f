package mailsink_test

import (
	"errors"
	"net"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/receiver/mailsink"
)

var _ = Describe("Closing the sink", func() {
	var sink *mailsink.Sink

	BeforeEach(func() {
		// Long timeouts: Close must not rely on them to end sessions.
		sink = startSink(mailsink.Options{ReadTimeout: time.Hour, WriteTimeout: time.Hour})
	})

	// closeWithin closes the sink in the background and expects it to
	// return nil within d.
	closeWithin := func(d time.Duration) {
		GinkgoHelper()
		done := make(chan error, 1)
		go func() { done <- sink.Close() }()
		Eventually(done).WithTimeout(d).Should(Receive(BeNil()))
	}

	// expectCut expects the server side of conn to be closed: a read ends
	// with an error other than the read deadline.
	expectCut := func(conn net.Conn) {
		GinkgoHelper()
		Expect(conn.SetReadDeadline(time.Now().Add(5 * time.Second))).To(Succeed())
		buf := make([]byte, 512)
		var err error
		for err == nil {
			_, err = conn.Read(buf)
		}
		var netErr net.Error
		Expect(errors.As(err, &netErr) && netErr.Timeout()).To(BeFalse(), "read ended by the deadline, not by the server: %v", err)
	}

	It("returns promptly while a client is in the middle of a message", func() {
		s, _ := dialRaw(sink)
		s.cmd(250, "EHLO client.example")
		s.cmd(250, "MAIL FROM:<a@example.com>")
		s.cmd(250, "RCPT TO:<b@example.com>")
		s.cmd(354, "DATA")
		_, err := s.conn.Write([]byte("Subject: half\r\n\r\nhalf a mess"))
		Expect(err).NotTo(HaveOccurred())

		closeWithin(3 * time.Second)
		expectCut(s.conn)
		Expect(all(sink)).To(BeEmpty(), "a message cut off by Close is not captured")
	})

	It("returns promptly while an idle client is connected", func() {
		s, _ := dialRaw(sink)
		s.cmd(250, "EHLO client.example")

		closeWithin(3 * time.Second)
		expectCut(s.conn)
	})

	It("keeps the captured mails readable and refuses new connections", func() {
		mustSend(sink, "a@example.com", []string{"b@example.com"}, "Subject: kept\r\n\r\nx\r\n")
		closeWithin(3 * time.Second)

		Expect(subjects(all(sink))).To(Equal([]string{"kept"}))
		Expect(send(sink, "a@example.com", []string{"b@example.com"}, "Subject: late\r\n\r\nx\r\n")).NotTo(Succeed())
		Expect(subjects(all(sink))).To(Equal([]string{"kept"}))
	})

	It("can be called more than once", func() {
		closeWithin(3 * time.Second)
		Expect(sink.Close()).To(Succeed())
	})
})
