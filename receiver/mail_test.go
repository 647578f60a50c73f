package receiver_test

import (
	"fmt"
	"net/http"
	"net/smtp"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/receiver"
	"github.com/hookcheck/hookcheck/receiver/api"
	"github.com/hookcheck/hookcheck/receiver/client"
)

// mailMessage builds a small RFC 5322 message.
func mailMessage(to, subject, body string) []byte {
	return fmt.Appendf(nil, "From: NetServer <netserver@example.com>\r\nTo: %s\r\nSubject: %s\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n%s\r\n", to, subject, body)
}

var _ = Describe("Captured e-mail", func() {
	var (
		rv *receiver.Receiver
		c  *client.Client
	)

	BeforeEach(func() { rv, c = startReceiver(receiver.Config{}) })

	// sendMail delivers a message to the receiver's SMTP sink with net/smtp.
	sendMail := func(to, subject, body string) {
		GinkgoHelper()
		Expect(smtp.SendMail(rv.SMTPAddr(), nil, "netserver@example.com", []string{to}, mailMessage(to, subject, body))).To(Succeed())
	}

	mailIn := func(q client.MailQuery) api.MailList {
		GinkgoHelper()
		list, err := c.Mail(specCtx(), q)
		Expect(err).NotTo(HaveOccurred())
		return list
	}

	It("captures a message sent with net/smtp and serves it on /_hookcheck/mail", func() {
		Expect(rv.SMTPAddr()).NotTo(BeEmpty())
		sendMail("ops@example.com", "Webhook 'orders' stopped: TooManyErrors", "The webhook failed 9 times.")
		list := mailIn(client.MailQuery{Min: 1, Wait: callWait})
		Expect(list.Mails).To(HaveLen(1))
		m := list.Mails[0]
		Expect(m.Seq).To(BeEquivalentTo(1))
		Expect(m.From).To(Equal("netserver@example.com"))
		Expect(m.To).To(Equal([]string{"ops@example.com"}))
		Expect(m.Subject).To(Equal("Webhook 'orders' stopped: TooManyErrors"))
		Expect(m.Body).To(ContainSubstring("The webhook failed 9 times."))
		Expect(m.Raw).To(ContainSubstring("Subject: Webhook 'orders' stopped"))
		Expect(m.RemoteAddr).To(HavePrefix("127.0.0.1:"))
		Expect(list.Last).To(BeEquivalentTo(1))

		h, err := c.Health(specCtx())
		Expect(err).NotTo(HaveOccurred())
		Expect(h.Mails).To(Equal(1))
	})

	It("filters by recipient, case-insensitively", func() {
		sendMail("a@example.com", "for a", "a")
		sendMail("b@example.com", "for b", "b")
		Expect(mailIn(client.MailQuery{Min: 2, Wait: callWait}).Mails).To(HaveLen(2))
		list := mailIn(client.MailQuery{To: "B@Example.com"})
		Expect(list.Mails).To(HaveLen(1))
		Expect(list.Mails[0].Subject).To(Equal("for b"))
		Expect(mailIn(client.MailQuery{To: "nobody@example.com"}).Mails).To(BeEmpty())
	})

	It("keeps only mails after the given seq", func() {
		sendMail("ops@example.com", "first", "1")
		first := mailIn(client.MailQuery{Min: 1, Wait: callWait})
		Expect(first.Mails).To(HaveLen(1))
		sendMail("ops@example.com", "second", "2")
		list := mailIn(client.MailQuery{After: first.Last, Min: 1, Wait: callWait})
		Expect(list.Mails).To(HaveLen(1))
		Expect(list.Mails[0].Subject).To(Equal("second"))
		Expect(list.Mails[0].Seq).To(BeEquivalentTo(2))
	})

	It("wakes a waiting mail query when a matching mail arrives", func() {
		type result struct {
			list api.MailList
			err  error
		}
		done := make(chan result, 1)
		go func() {
			list, err := c.Mail(specCtx(), client.MailQuery{To: "ops@example.com", Wait: 30 * time.Second})
			done <- result{list, err}
		}()
		Consistently(done, 100*time.Millisecond).ShouldNot(Receive())
		sendMail("someone-else@example.com", "not for ops", "x")
		Consistently(done, 200*time.Millisecond).ShouldNot(Receive(), "a mail to another recipient ended the wait")
		sent := time.Now()
		sendMail("ops@example.com", "for ops", "y")
		var res result
		Eventually(done, callWait).Should(Receive(&res))
		Expect(time.Since(sent)).To(BeNumerically("<", 2*time.Second))
		Expect(res.err).NotTo(HaveOccurred())
		Expect(res.list.Mails).To(HaveLen(1))
		Expect(res.list.Mails[0].Subject).To(Equal("for ops"))
	})

	It("answers 404 on /_hookcheck/mail when the SMTP listener is off", func() {
		off, oc := startReceiver(receiver.Config{SMTPListen: receiver.Off})
		Expect(off.SMTPAddr()).To(BeEmpty())
		_, err := oc.Mail(specCtx(), client.MailQuery{})
		Expect(errStatus(err)).To(Equal(http.StatusNotFound))
	})
})
