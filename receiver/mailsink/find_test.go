package mailsink_test

import (
	"context"
	"fmt"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/receiver/api"
	"github.com/hookcheck/hookcheck/receiver/mailsink"
)

// subjects lists the subjects of mails in order.
func subjects(mails []api.Mail) []string {
	out := make([]string, len(mails))
	for i, m := range mails {
		out[i] = m.Subject
	}
	return out
}

var _ = Describe("Finding mails", func() {
	var sink *mailsink.Sink

	BeforeEach(func() {
		sink = startSink(mailsink.Options{})
	})

	sendTo := func(subject string, to ...string) {
		GinkgoHelper()
		mustSend(sink, "webhooks@example.com", to, fmt.Sprintf("Subject: %s\r\n\r\nbody\r\n", subject))
	}

	It("answers an empty list, not nil, when nothing was captured", func() {
		list := sink.Find(context.Background(), mailsink.Query{})
		Expect(list.Mails).NotTo(BeNil())
		Expect(list.Mails).To(BeEmpty())
		Expect(list.Last).To(BeZero())
	})

	It("filters on any envelope recipient, case-insensitively", func() {
		sendTo("to alice", "alice@example.com")
		sendTo("to bob", "bob@example.com")
		sendTo("to both", "Bob@Example.COM", "alice@example.com")

		list := sink.Find(context.Background(), mailsink.Query{To: "BOB@example.com"})
		Expect(subjects(list.Mails)).To(Equal([]string{"to bob", "to both"}))
		Expect(list.Last).To(Equal(uint64(3)))

		list = sink.Find(context.Background(), mailsink.Query{To: " <alice@EXAMPLE.com> "})
		Expect(subjects(list.Mails)).To(Equal([]string{"to alice", "to both"}))

		list = sink.Find(context.Background(), mailsink.Query{To: "carol@example.com"})
		Expect(list.Mails).To(BeEmpty())

		list = sink.Find(context.Background(), mailsink.Query{})
		Expect(subjects(list.Mails)).To(Equal([]string{"to alice", "to bob", "to both"}))
	})

	It("keeps only mails after a sequence number, and Last continues a follow", func() {
		sendTo("one", "x@example.com")
		sendTo("two", "x@example.com")

		first := sink.Find(context.Background(), mailsink.Query{})
		Expect(subjects(first.Mails)).To(Equal([]string{"one", "two"}))
		Expect(first.Last).To(Equal(uint64(2)))

		sendTo("three", "x@example.com")
		next := sink.Find(context.Background(), mailsink.Query{After: first.Last})
		Expect(subjects(next.Mails)).To(Equal([]string{"three"}))
		Expect(next.Mails[0].Seq).To(Equal(uint64(3)))

		Expect(sink.Find(context.Background(), mailsink.Query{After: 1}).Mails).To(HaveLen(2))
		Expect(sink.Find(context.Background(), mailsink.Query{After: 3}).Mails).To(BeEmpty())
	})

	It("reports the last sequence number even when the filter matches nothing", func() {
		sendTo("one", "x@example.com")
		sendTo("two", "y@example.com")
		list := sink.Find(context.Background(), mailsink.Query{To: "nobody@example.com"})
		Expect(list.Mails).To(BeEmpty())
		Expect(list.Last).To(Equal(uint64(2)))
	})

	It("wakes a waiting Find when a matching mail arrives", func() {
		results := make(chan api.MailList, 1)
		go func() {
			results <- sink.Find(context.Background(), mailsink.Query{To: "late@example.com", Wait: time.Minute})
		}()
		// The waiter must not answer while nothing matches.
		Consistently(results).WithTimeout(100 * time.Millisecond).ShouldNot(Receive())

		sendTo("not for the waiter", "other@example.com")
		Consistently(results).WithTimeout(50 * time.Millisecond).ShouldNot(Receive())

		start := time.Now()
		sendTo("for the waiter", "late@example.com")
		var list api.MailList
		Eventually(results).WithTimeout(5 * time.Second).Should(Receive(&list))
		Expect(time.Since(start)).To(BeNumerically("<", 5*time.Second))
		Expect(subjects(list.Mails)).To(Equal([]string{"for the waiter"}))
		Expect(list.Last).To(Equal(uint64(2)))
	})

	It("waits for Min matching mails", func() {
		results := make(chan api.MailList, 1)
		go func() {
			results <- sink.Find(context.Background(), mailsink.Query{Min: 2, Wait: time.Minute})
		}()
		sendTo("first", "x@example.com")
		Consistently(results).WithTimeout(100 * time.Millisecond).ShouldNot(Receive())

		sendTo("second", "x@example.com")
		var list api.MailList
		Eventually(results).WithTimeout(5 * time.Second).Should(Receive(&list))
		Expect(subjects(list.Mails)).To(Equal([]string{"first", "second"}))
	})

	It("returns what matches when the wait ends", func() {
		sendTo("only", "x@example.com")
		start := time.Now()
		list := sink.Find(context.Background(), mailsink.Query{Min: 2, Wait: 50 * time.Millisecond})
		Expect(time.Since(start)).To(BeNumerically(">=", 50*time.Millisecond))
		Expect(subjects(list.Mails)).To(Equal([]string{"only"}))
	})

	It("stops waiting when the context is cancelled", func() {
		ctx, cancel := context.WithCancel(context.Background())
		results := make(chan api.MailList, 1)
		go func() {
			results <- sink.Find(ctx, mailsink.Query{Wait: time.Minute})
		}()
		Consistently(results).WithTimeout(50 * time.Millisecond).ShouldNot(Receive())
		cancel()
		var list api.MailList
		Eventually(results).WithTimeout(5 * time.Second).Should(Receive(&list))
		Expect(list.Mails).To(BeEmpty())
	})
})
