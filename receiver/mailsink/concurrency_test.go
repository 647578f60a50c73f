package mailsink_test

import (
	"fmt"
	"sync"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/receiver/mailsink"
)

var _ = Describe("Concurrent senders", func() {
	It("capture every mail exactly once", func() {
		const senders, perSender = 20, 5
		sink := startSink(mailsink.Options{})

		errs := make(chan error, senders*perSender)
		var wg sync.WaitGroup
		for g := range senders {
			wg.Go(func() {
				for i := range perSender {
					subject := fmt.Sprintf("g%02d-m%d", g, i)
					to := []string{fmt.Sprintf("sender%02d@example.com", g)}
					if err := send(sink, "a@example.com", to, "Subject: "+subject+"\r\n\r\n"+subject+"\r\n"); err != nil {
						errs <- fmt.Errorf("send %s: %w", subject, err)
					}
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			Expect(err).NotTo(HaveOccurred())
		}

		mails := waitFor(sink, mailsink.Query{}, senders*perSender)
		seen := map[string]bool{}
		for i, m := range mails {
			Expect(m.Seq).To(Equal(uint64(i+1)), "sequence numbers are dense and ordered")
			Expect(seen).NotTo(HaveKey(m.Subject), "duplicate mail")
			seen[m.Subject] = true
			Expect(m.Body).To(Equal(m.Subject + "\r\n"))
		}
		for g := range senders {
			for i := range perSender {
				Expect(seen).To(HaveKey(fmt.Sprintf("g%02d-m%d", g, i)))
			}
			to := fmt.Sprintf("sender%02d@example.com", g)
			Expect(sink.Find(GinkgoT().Context(), mailsink.Query{To: to}).Mails).To(HaveLen(perSender))
		}
	})
})
