package specs

import (
	"net/http"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/conformance/driver"
	. "github.com/hookcheck/hookcheck/conformance/framework"
	"github.com/hookcheck/hookcheck/receiver/api"
	"github.com/hookcheck/hookcheck/receiver/client"
)

// Spec area "email": the error e-mail to ErrorsEmail when a webhook
// becomes TooManyErrors (spec §5, §9 #6), captured by the receiver's SMTP
// sink.
var _ = Describe("email", func() {
	if !Area() {
		return
	}
	// mailed creates a webhook with an ErrorsEmail address of its own,
	// unless the target does not mail the receiver (then it skips).
	mailed := func(s *Scenario) (*Channel, *driver.Webhook, string) {
		GinkgoHelper()
		if s.Env.Receiver.SMTPAddr == "" {
			SkipBecause("the suite's receiver has no SMTP sink (--receiver-smtp-listen off)")
		}
		if !s.Profile().SMTPCaptured {
			SkipBecause("the target does not send its e-mail to the suite's SMTP sink (pass --smtp-captured once it does)")
		}
		addr := s.Entity + "@hookcheck.example"
		ch := s.Channel()
		wh := s.Create(s.Hook(ch, func(w *driver.Webhook) { w.ErrorsEmail = addr }))
		return ch, wh, addr
	}
	// awaitMail waits for the first e-mail to addr.
	awaitMail := func(s *Scenario, addr string) api.Mail {
		GinkgoHelper()
		p := s.Profile()
		list, err := s.Env.RV.Mail(s.Ctx(), client.MailQuery{To: addr, Min: 1, Wait: p.DeliveryWait})
		Expect(err).NotTo(HaveOccurred())
		Expect(list.Mails).NotTo(BeEmpty(), "no e-mail reached %s within %s", addr, p.DeliveryWait)
		return list.Mails[0]
	}

	Context("rest", func() {
		const st = driver.REST

		It("e-mails ErrorsEmail when the webhook reaches TooManyErrors", Clause("WH-EML-001", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			p := s.Profile()
			ch, wh, addr := mailed(s)
			ch.Script(Answer(wh.Events[0], 500, 0))
			s.Signal(wh.Events[0], 1, nil)
			ch.Await(wh.Events[0], 0, p.ErrorThreshold, p.FailuresWait(p.ErrorThreshold))
			m := awaitMail(s, addr)
			Expect(m.To).To(ContainElement(addr))
		})

		It("names the webhook, the EventId and the error in the e-mail", Clause("WH-EML-002", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			p := s.Profile()
			ch, wh, addr := mailed(s)
			token := "hookcheck-mail-" + RandomHex(4)
			ch.Script(AnswerBody(wh.Events[0], 500, token, nil, 0))
			s.Signal(wh.Events[0], 1, nil)
			calls := ch.Await(wh.Events[0], 0, p.ErrorThreshold, p.FailuresWait(p.ErrorThreshold))
			m := awaitMail(s, addr)
			text := m.Subject + "\n" + m.Body
			Expect(text).To(ContainSubstring(wh.Name), "the e-mail names the webhook")
			found := false
			for _, c := range calls {
				found = found || strings.Contains(text, c.EventID)
			}
			Expect(found).To(BeTrue(), "the e-mail carries an EventId of the failed deliveries:\n%s", text)
			Expect(text).To(Or(ContainSubstring(token), ContainSubstring("500")), "the e-mail carries the error")
		})

		It("e-mails ErrorsEmail when a 410 disables the webhook", Clause("WH-EML-003", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			ch, wh, addr := mailed(s)
			ch.Script(Answer(wh.Events[0], http.StatusGone, 0))
			s.Signal(wh.Events[0], 1, nil)
			ch.AwaitDelivery(wh.Events[0], 0, 1)
			awaitMail(s, addr)
		})
	})
})
