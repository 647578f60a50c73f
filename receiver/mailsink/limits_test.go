package mailsink_test

import (
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/receiver/mailsink"
)

// messageOfSize returns a message of exactly n bytes (n >= 64) as it will be
// received: CRLF line endings and no line starting with a dot.
func messageOfSize(subject string, n int) string {
	GinkgoHelper()
	var b strings.Builder
	b.WriteString("Subject: " + subject + "\r\n\r\n")
	for n-b.Len() > 74 {
		b.WriteString(strings.Repeat("a", 70) + "\r\n")
	}
	b.WriteString(strings.Repeat("a", n-b.Len()-2) + "\r\n")
	Expect(b.Len()).To(Equal(n))
	return b.String()
}

var _ = Describe("Limits", func() {
	Describe("the message size", func() {
		const max = 1024
		var sink *mailsink.Sink

		BeforeEach(func() {
			sink = startSink(mailsink.Options{MaxMessageBytes: max})
		})

		It("refuses a larger message with a 552 error and captures nothing", func() {
			err := send(sink, "a@example.com", []string{"b@example.com"}, messageOfSize("big", 4*max))
			Expect(err).To(HaveOccurred())
			Expect(smtpCode(err)).To(Equal(552), "error: %v", err)
			Expect(all(sink)).To(BeEmpty())

			// The sink still works afterwards.
			mustSend(sink, "a@example.com", []string{"b@example.com"}, "Subject: small\r\n\r\nok\r\n")
			Expect(subjects(all(sink))).To(Equal([]string{"small"}))
		})

		It("accepts a message of exactly the limit and refuses one byte more", func() {
			exact := messageOfSize("exact", max)
			mustSend(sink, "a@example.com", []string{"b@example.com"}, exact)

			err := send(sink, "a@example.com", []string{"b@example.com"}, messageOfSize("over", max+1))
			Expect(smtpCode(err)).To(Equal(552), "error: %v", err)

			mails := all(sink)
			Expect(mails).To(HaveLen(1))
			Expect(mails[0].Raw).To(Equal(exact))
		})

		It("refuses a declared SIZE over the limit at MAIL FROM", func() {
			s, _ := dialRaw(sink)
			s.cmd(250, "EHLO client.example")
			s.cmd(552, "MAIL FROM:<a@example.com> SIZE=%d", max+1)
			s.cmd(250, "MAIL FROM:<a@example.com> SIZE=%d", max)
		})
	})

	It("applies the defaults of the zero Options", func() {
		sink := startSink(mailsink.Options{})
		s, greeting := dialRaw(sink)
		Expect(greeting).To(ContainSubstring(mailsink.DefaultDomain))
		s.cmd(250, "EHLO client.example")
		s.cmd(552, "MAIL FROM:<a@example.com> SIZE=%d", mailsink.DefaultMaxMessageBytes+1)
		s.cmd(250, "MAIL FROM:<a@example.com> SIZE=%d", mailsink.DefaultMaxMessageBytes)
	})

	It("greets with the configured domain", func() {
		sink := startSink(mailsink.Options{Domain: "sink.test"})
		_, greeting := dialRaw(sink)
		Expect(greeting).To(HavePrefix("sink.test "))
	})

	It("evicts the oldest mails beyond MaxMails", func() {
		sink := startSink(mailsink.Options{MaxMails: 3})
		for _, subject := range []string{"m1", "m2", "m3", "m4", "m5"} {
			mustSend(sink, "a@example.com", []string{"b@example.com"}, "Subject: "+subject+"\r\n\r\nx\r\n")
		}

		list := sink.Find(GinkgoT().Context(), mailsink.Query{})
		Expect(subjects(list.Mails)).To(Equal([]string{"m3", "m4", "m5"}))
		Expect(list.Mails[0].Seq).To(Equal(uint64(3)))
		Expect(list.Last).To(Equal(uint64(5)))
		held, last, evicted := sink.Log().Stats()
		Expect(held).To(Equal(3))
		Expect(last).To(Equal(uint64(5)))
		Expect(evicted).To(Equal(uint64(2)))
	})

	DescribeTable("rejects negative options",
		func(opts mailsink.Options, field string) {
			sink, err := mailsink.Listen("127.0.0.1:0", opts)
			Expect(err).To(MatchError(ContainSubstring(field)))
			Expect(sink).To(BeNil())
		},
		Entry("MaxMessageBytes", mailsink.Options{MaxMessageBytes: -1}, "MaxMessageBytes"),
		Entry("MaxMails", mailsink.Options{MaxMails: -1}, "MaxMails"),
		Entry("ReadTimeout", mailsink.Options{ReadTimeout: -1}, "ReadTimeout"),
		Entry("WriteTimeout", mailsink.Options{WriteTimeout: -1}, "WriteTimeout"),
	)

	It("reports an address it cannot listen on", func() {
		sink, err := mailsink.Listen("256.0.0.1:0", mailsink.Options{})
		Expect(err).To(MatchError(ContainSubstring("mailsink: listen on")))
		Expect(sink).To(BeNil())
	})
})
