package mailsink_test

import (
	"encoding/base64"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/receiver/mailsink"
)

var _ = Describe("Capturing a message", func() {
	var sink *mailsink.Sink

	BeforeEach(func() {
		sink = startSink(mailsink.Options{})
	})

	It("records the envelope, subject, body, raw text, peer and time", func() {
		msg := "From: Webhooks <noreply@superoffice.example>\r\n" +
			"To: admin@tenant.example\r\n" +
			"Subject: Webhook disabled\r\n" +
			"\r\n" +
			"Your webhook was disabled.\r\n" +
			".A line that starts with a dot.\r\n"
		before := time.Now().UTC()
		mustSend(sink, "noreply@superoffice.example", []string{"admin@tenant.example"}, msg)
		after := time.Now().UTC()

		mails := all(sink)
		Expect(mails).To(HaveLen(1))
		m := mails[0]
		Expect(m.Seq).To(Equal(uint64(1)))
		Expect(m.From).To(Equal("noreply@superoffice.example"))
		Expect(m.To).To(Equal([]string{"admin@tenant.example"}))
		Expect(m.Subject).To(Equal("Webhook disabled"))
		Expect(m.Body).To(Equal("Your webhook was disabled.\r\n.A line that starts with a dot.\r\n"))
		Expect(m.Raw).To(Equal(msg), "raw text is the message as sent, dot-unstuffed")
		Expect(m.RemoteAddr).To(HavePrefix("127.0.0.1:"))
		Expect(m.ReceivedAt.Location()).To(Equal(time.UTC))
		Expect(m.ReceivedAt).To(BeTemporally(">=", before))
		Expect(m.ReceivedAt).To(BeTemporally("<=", after))
	})

	It("keeps every envelope recipient in order", func() {
		to := []string{"one@example.com", "Two@Example.com", "three@example.org"}
		mustSend(sink, "sender@example.com", to, "Subject: many\r\n\r\nhi\r\n")

		mails := all(sink)
		Expect(mails).To(HaveLen(1))
		Expect(mails[0].To).To(Equal(to))
	})

	It("numbers successive messages on one sink", func() {
		mustSend(sink, "a@example.com", []string{"x@example.com"}, "Subject: first\r\n\r\n1\r\n")
		mustSend(sink, "a@example.com", []string{"x@example.com"}, "Subject: second\r\n\r\n2\r\n")

		mails := all(sink)
		Expect(mails).To(HaveLen(2))
		Expect(mails[0].Seq).To(Equal(uint64(1)))
		Expect(mails[0].Subject).To(Equal("first"))
		Expect(mails[1].Seq).To(Equal(uint64(2)))
		Expect(mails[1].Subject).To(Equal("second"))
	})

	DescribeTable("decodes the subject from MIME encoded-words",
		func(header, want string) {
			mustSend(sink, "a@example.com", []string{"b@example.com"}, "Subject: "+header+"\r\n\r\nbody\r\n")
			mails := all(sink)
			Expect(mails).To(HaveLen(1))
			Expect(mails[0].Subject).To(Equal(want))
		},
		Entry("base64 UTF-8", "=?UTF-8?B?V2ViaG9vayBkZWFrdGl2ZXJ0IOKAkyDDpsO4w6U=?=", "Webhook deaktivert – æøå"),
		Entry("Q-encoded ISO-8859-1", "=?ISO-8859-1?Q?Caf=E9_ferm=E9?=", "Café fermé"),
		Entry("mixed with plain text", "Re: =?utf-8?q?Webhook_=C3=A6?= is off", "Re: Webhook æ is off"),
		Entry("folded over two lines", "=?utf-8?q?Webhook?=\r\n =?utf-8?q?_disabled?=", "Webhook disabled"),
		Entry("unknown charset, kept as sent", "=?x-unknown?q?abc?=", "=?x-unknown?q?abc?="),
	)

	It("decodes a quoted-printable text/plain body", func() {
		msg := "Subject: qp\r\n" +
			"MIME-Version: 1.0\r\n" +
			"Content-Type: text/plain; charset=utf-8\r\n" +
			"Content-Transfer-Encoding: quoted-printable\r\n" +
			"\r\n" +
			"Webhook =C3=A6=C3=B8 disabled after too many errors; this line is soft-=\r\n" +
			"broken and has an =3D sign.\r\n"
		mustSend(sink, "a@example.com", []string{"b@example.com"}, msg)

		mails := all(sink)
		Expect(mails).To(HaveLen(1))
		Expect(mails[0].Body).To(Equal("Webhook æø disabled after too many errors; this line is soft-broken and has an = sign.\r\n"))
		Expect(mails[0].Raw).To(Equal(msg))
	})

	It("decodes a base64 text/plain body", func() {
		msg := "Subject: b64\r\n" +
			"Content-Type: text/plain; charset=\"utf-8\"\r\n" +
			"Content-Transfer-Encoding: base64\r\n" +
			"\r\n" +
			"V2ViaG9vayBkaXNhYmxlZDogw6bDuMOlLgpD\r\n" +
			"aGVjayB0aGUgbG9nLg==\r\n"
		mustSend(sink, "a@example.com", []string{"b@example.com"}, msg)

		mails := all(sink)
		Expect(mails).To(HaveLen(1))
		Expect(mails[0].Body).To(Equal("Webhook disabled: æøå.\nCheck the log."))
	})

	It("converts an ISO-8859-1 body to UTF-8", func() {
		msg := "Subject: latin1\r\n" +
			"Content-Type: text/plain; charset=iso-8859-1\r\n" +
			"Content-Transfer-Encoding: quoted-printable\r\n" +
			"\r\n" +
			"Caf=E9\r\n"
		mustSend(sink, "a@example.com", []string{"b@example.com"}, msg)

		mails := all(sink)
		Expect(mails).To(HaveLen(1))
		Expect(mails[0].Body).To(Equal("Café\r\n"))
	})

	It("takes the first text/plain part of a multipart message", func() {
		msg := "Subject: multi\r\n" +
			"MIME-Version: 1.0\r\n" +
			"Content-Type: multipart/alternative; boundary=\"b1\"\r\n" +
			"\r\n" +
			"This is a multi-part message in MIME format.\r\n" +
			"--b1\r\n" +
			"Content-Type: text/html; charset=utf-8\r\n" +
			"\r\n" +
			"<p>Webhook disabled</p>\r\n" +
			"--b1\r\n" +
			"Content-Type: text/plain; charset=utf-8\r\n" +
			"Content-Transfer-Encoding: quoted-printable\r\n" +
			"\r\n" +
			"Webhook =C3=A6 disabled.\r\n" +
			"--b1\r\n" +
			"Content-Type: text/plain; charset=utf-8\r\n" +
			"\r\n" +
			"second plain part\r\n" +
			"--b1--\r\n"
		mustSend(sink, "a@example.com", []string{"b@example.com"}, msg)

		mails := all(sink)
		Expect(mails).To(HaveLen(1))
		Expect(mails[0].Subject).To(Equal("multi"))
		Expect(mails[0].Body).To(Equal("Webhook æ disabled."))
		Expect(mails[0].Raw).To(Equal(msg))
	})

	It("finds the text/plain part inside nested multiparts, skipping attachments", func() {
		msg := "Subject: nested\r\n" +
			"Content-Type: multipart/mixed; boundary=outer\r\n" +
			"\r\n" +
			"--outer\r\n" +
			"Content-Type: text/plain\r\n" +
			"Content-Disposition: attachment; filename=\"log.txt\"\r\n" +
			"\r\n" +
			"attached log\r\n" +
			"--outer\r\n" +
			"Content-Type: multipart/alternative; boundary=inner\r\n" +
			"\r\n" +
			"--inner\r\n" +
			"Content-Type: text/plain; charset=utf-8\r\n" +
			"Content-Transfer-Encoding: base64\r\n" +
			"\r\n" +
			"SW5uZXIgcGxhaW4gdGV4dA==\r\n" +
			"--inner\r\n" +
			"Content-Type: text/html\r\n" +
			"\r\n" +
			"<p>Inner html</p>\r\n" +
			"--inner--\r\n" +
			"--outer--\r\n"
		mustSend(sink, "a@example.com", []string{"b@example.com"}, msg)

		mails := all(sink)
		Expect(mails).To(HaveLen(1))
		Expect(mails[0].Body).To(Equal("Inner plain text"))
	})

	It("keeps the raw body of a multipart message without a text/plain part", func() {
		body := "--b\r\n" +
			"Content-Type: text/html\r\n" +
			"\r\n" +
			"<p>only html</p>\r\n" +
			"--b--\r\n"
		msg := "Subject: html only\r\n" +
			"Content-Type: multipart/alternative; boundary=b\r\n" +
			"\r\n" + body
		mustSend(sink, "a@example.com", []string{"b@example.com"}, msg)

		mails := all(sink)
		Expect(mails).To(HaveLen(1))
		Expect(mails[0].Body).To(Equal(body))
	})

	It("keeps the raw body of a non-text message", func() {
		body := "<p>=C3=A6</p>\r\n"
		msg := "Subject: html\r\n" +
			"Content-Type: text/html; charset=utf-8\r\n" +
			"Content-Transfer-Encoding: quoted-printable\r\n" +
			"\r\n" + body
		mustSend(sink, "a@example.com", []string{"b@example.com"}, msg)

		mails := all(sink)
		Expect(mails).To(HaveLen(1))
		Expect(mails[0].Body).To(Equal(body))
	})

	It("keeps the raw body when the transfer encoding does not decode", func() {
		body := "this is !!! not base64\r\n"
		msg := "Subject: broken\r\n" +
			"Content-Transfer-Encoding: base64\r\n" +
			"\r\n" + body
		mustSend(sink, "a@example.com", []string{"b@example.com"}, msg)

		mails := all(sink)
		Expect(mails).To(HaveLen(1))
		Expect(mails[0].Subject).To(Equal("broken"))
		Expect(mails[0].Body).To(Equal(body))
	})

	It("captures a message that is not RFC 5322, with its raw text as the body", func() {
		msg := "this line is no header\r\nand neither is this one\r\n"
		mustSend(sink, "a@example.com", []string{"b@example.com"}, msg)

		mails := all(sink)
		Expect(mails).To(HaveLen(1))
		Expect(mails[0].Subject).To(BeEmpty())
		Expect(mails[0].Body).To(Equal(msg))
		Expect(mails[0].Raw).To(Equal(msg))
		Expect(mails[0].From).To(Equal("a@example.com"))
	})

	It("keeps the exact bytes of a message that is not UTF-8 in rawBase64", func() {
		msg := "Subject: 8bit\r\n\r\nCaf\xe9 \xff\r\n"
		mustSend(sink, "a@example.com", []string{"b@example.com"}, msg)

		mails := all(sink)
		Expect(mails).To(HaveLen(1))
		Expect(mails[0].Raw).To(BeEmpty())
		raw, err := base64.StdEncoding.DecodeString(mails[0].RawBase64)
		Expect(err).NotTo(HaveOccurred())
		Expect(string(raw)).To(Equal(msg))
	})

	It("accepts lines longer than the SMTP line limit", func() {
		long := strings.Repeat("x", 5000)
		msg := "Subject: long\r\n\r\n" + long + "\r\n"
		mustSend(sink, "a@example.com", []string{"b@example.com"}, msg)

		mails := all(sink)
		Expect(mails).To(HaveLen(1))
		Expect(mails[0].Body).To(Equal(long + "\r\n"))
	})
})
