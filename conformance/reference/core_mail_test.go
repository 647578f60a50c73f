package reference_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/conformance/reference"
	"github.com/hookcheck/hookcheck/receiver/mailsink"
)

// coreLogBuffer is a goroutine-safe log sink for a *slog.Logger.
type coreLogBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *coreLogBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *coreLogBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

var _ = Describe("core: the error e-mail (§5)", func() {
	var (
		target *coreTarget
		sink   *mailsink.Sink
	)
	BeforeEach(func() {
		target = newCoreTarget(false)
		var err error
		sink, err = mailsink.Listen("127.0.0.1:0", mailsink.Options{})
		Expect(err).NotTo(HaveOccurred())
		DeferCleanup(sink.Close)
	})

	It("mails ErrorsEmail when the hook becomes TooManyErrors", func() {
		s := newCoreService(reference.Options{TimeScale: 0.01, RetryPolicy: retrySchedule(func(s *reference.Schedule) { s.ErrorThreshold = 2 }), SMTPAddr: sink.Addr()})
		w, err := s.Create(coreCtx, coreAdmin, reference.Webhook{
			Name: "Mailed hook", Events: []string{"a.b"}, TargetURL: target.URL(), ErrorsEmail: "ops@example.com",
		})
		Expect(err).NotTo(HaveOccurred())
		target.AnswerAll(coreAnswer{Status: 500, Body: "target exploded"})
		Expect(s.Signal(coreCtx, coreAdmin, "a.b", 1, nil)).To(Succeed())

		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		got := sink.Find(ctx, mailsink.Query{To: "ops@example.com", Min: 1, Wait: 5 * time.Second})
		Expect(got.Mails).To(HaveLen(1))
		m := got.Mails[0]
		Expect(m.From).To(ContainSubstring("webhooks@hookcheck.local"))
		Expect(m.Subject).To(ContainSubstring("Mailed hook"))
		Expect(m.Subject).To(ContainSubstring(fmt.Sprintf("id %d", w.WebhookID)))
		last := target.Deliveries()[1]
		Expect(m.Body).To(ContainSubstring("EventId: " + last.EventID()))
		Expect(m.Body).To(ContainSubstring("Name: Mailed hook"))
		Expect(m.Body).To(ContainSubstring(fmt.Sprintf("WebhookId: %d", w.WebhookID)))
		Expect(m.Body).To(ContainSubstring("TargetUrl: " + target.URL()))
		Expect(m.Body).To(ContainSubstring("ConsecutiveErrors: 2"))
		Expect(m.Body).To(ContainSubstring("HTTP/1.1 500 Internal Server Error"))
		Expect(m.Body).To(ContainSubstring("target exploded"))
	})

	It("sends nothing without ErrorsEmail", func() {
		s := newCoreService(reference.Options{TimeScale: 0.01, RetryPolicy: retrySchedule(func(s *reference.Schedule) { s.ErrorThreshold = 1 }), SMTPAddr: sink.Addr()})
		w := createCoreHook(s, "quiet", target.URL(), "a.b")
		target.AnswerAll(coreAnswer{Status: 410})
		Expect(s.Signal(coreCtx, coreAdmin, "a.b", 1, nil)).To(Succeed())
		Eventually(coreState(s, w.WebhookID)).Should(Equal(reference.StateTooManyErrors))
		Consistently(func() int { return len(sink.Find(context.Background(), mailsink.Query{}).Mails) }, 100*time.Millisecond, 10*time.Millisecond).Should(BeZero())
	})

	It("logs a failed send and carries on", func() {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		Expect(err).NotTo(HaveOccurred())
		deadAddr := l.Addr().String()
		Expect(l.Close()).To(Succeed())
		logs := &coreLogBuffer{}
		s := newCoreService(reference.Options{
			TimeScale: 0.01, RetryPolicy: retrySchedule(func(s *reference.Schedule) { s.ErrorThreshold = 1 }), SMTPAddr: deadAddr,
			Logger: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelInfo})),
		})
		w, err := s.Create(coreCtx, coreAdmin, reference.Webhook{Events: []string{"a.b"}, TargetURL: target.URL(), ErrorsEmail: "ops@example.com"})
		Expect(err).NotTo(HaveOccurred())
		target.AnswerAll(coreAnswer{Status: 500})
		Expect(s.Signal(coreCtx, coreAdmin, "a.b", 1, nil)).To(Succeed())
		Eventually(logs.String).Should(ContainSubstring("error e-mail not sent"))
		Expect(coreState(s, w.WebhookID)()).To(Equal(reference.StateTooManyErrors))
		_, err = s.Get(coreCtx, coreAdmin, w.WebhookID)
		Expect(err).NotTo(HaveOccurred())
	})
})
