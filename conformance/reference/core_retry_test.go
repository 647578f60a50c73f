package reference_test

import (
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/conformance/reference"
)

// coreRetryHeaders returns the X-SuperOffice-Retry value of each hit ("-"
// when absent).
func coreRetryHeaders(hits []coreHit) []string {
	out := make([]string, len(hits))
	for i, h := range hits {
		v, ok := h.Retry()
		if !ok {
			v = "-"
		}
		out[i] = v
	}
	return out
}

// coreEventIDs returns the header EventId of each hit, checking it equals
// the body's.
func coreEventIDs(hits []coreHit) []string {
	out := make([]string, len(hits))
	for i, h := range hits {
		out[i] = h.EventID()
		ExpectWithOffset(1, h.JSON()["EventId"]).To(Equal(out[i]))
	}
	return out
}

var _ = Describe("core: failures, retries and statistics (§5)", func() {
	var target *coreTarget
	BeforeEach(func() {
		target = newCoreTarget(false)
		target.AnswerAll(coreAnswer{Status: 500, Body: "down"})
	})

	It("retries at 0, +1 s, +4 s (scaled), one EventId per cycle, a new one per cycle", func() {
		s := newCoreService(reference.Options{TimeScale: 0.01, RetryPolicy: retrySchedule(func(s *reference.Schedule) { s.ErrorThreshold, s.Cycles = 100, 2 })})
		w := createCoreHook(s, "retry", target.URL(), "a.b")
		Expect(s.Signal(coreCtx, coreAdmin, "a.b", 1, nil)).To(Succeed())

		target.WaitDeliveries(6)
		Consistently(target.DeliveryCount, 150*time.Millisecond, 10*time.Millisecond).Should(Equal(6), "MaxCycles 2 discards the payload")
		hits := target.Deliveries()
		for c := 0; c < 2; c++ {
			a1, a2, a3 := hits[3*c].At, hits[3*c+1].At, hits[3*c+2].At
			Expect(a2.Sub(a1)).To(BeNumerically(">=", 10*time.Millisecond))
			Expect(a2.Sub(a1)).To(BeNumerically("<", 2*time.Second))
			Expect(a3.Sub(a2)).To(BeNumerically(">=", 40*time.Millisecond))
			Expect(a3.Sub(a2)).To(BeNumerically("<", 2*time.Second))
		}
		Expect(hits[3].At.Sub(hits[2].At)).To(BeNumerically("<", 2*time.Second), "no cycle gap by default")

		ids := coreEventIDs(hits)
		Expect(ids[1]).To(Equal(ids[0]))
		Expect(ids[2]).To(Equal(ids[0]))
		Expect(ids[3]).NotTo(Equal(ids[0]))
		Expect(ids[4]).To(Equal(ids[3]))
		Expect(ids[5]).To(Equal(ids[3]))
		Expect(coreRetryHeaders(hits)).To(Equal([]string{"-", "1", "2", "-", "1", "2"}))
		ts := hits[0].JSON()["Timestamp"]
		for _, h := range hits {
			Expect(h.JSON()["Timestamp"]).To(Equal(ts), "every attempt carries the event's time")
		}
		Expect(coreState(s, w.WebhookID)()).To(Equal(reference.StateActive))
		u := coreUsage(s, w.WebhookID)()
		Expect(u.TotalCalls).To(Equal(int64(6)))
		Expect(u.TotalErrors).To(Equal(int64(6)))
		Expect(u.ConsecutiveErrors).To(Equal(int64(6)))
		Expect(u.LastError).To(HavePrefix("HTTP/1.1 500 Internal Server Error\r\n"))
		Expect(u.LastError).To(HaveSuffix("\r\n\r\ndown"))
	})

	It("turns the hook TooManyErrors after exactly 9 failed attempts, not before (§9 #3, #4, #29)", func() {
		s := newCoreService(reference.Options{TimeScale: 0.01})
		w := createCoreHook(s, "nine", target.URL(), "a.b")
		statesSeen := make(chan reference.State, 20)
		target.Answer(func(n int, h coreHit) coreAnswer {
			got, err := s.Get(coreCtx, coreAdmin, w.WebhookID)
			if err == nil {
				statesSeen <- got.State
			}
			return coreAnswer{Status: 500}
		})
		Expect(s.Signal(coreCtx, coreAdmin, "a.b", 1, nil)).To(Succeed())

		Eventually(coreState(s, w.WebhookID), 5*time.Second).Should(Equal(reference.StateTooManyErrors))
		Consistently(target.DeliveryCount, 150*time.Millisecond, 10*time.Millisecond).Should(Equal(9), "no 10th attempt")
		Expect(statesSeen).To(HaveLen(9))
		for range 9 {
			Expect(<-statesSeen).To(Equal(reference.StateActive), "still Active while attempts 1..9 are made")
		}
		ids := coreEventIDs(target.Deliveries())
		Expect(ids[0:3]).To(HaveEach(ids[0]))
		Expect(ids[3:6]).To(HaveEach(ids[3]))
		Expect(ids[6:9]).To(HaveEach(ids[6]))
		Expect(ids[0]).NotTo(Equal(ids[3]))
		Expect(ids[3]).NotTo(Equal(ids[6]))
		u := coreUsage(s, w.WebhookID)()
		Expect(u.TotalCalls).To(Equal(int64(9)))
		Expect(u.TotalErrors).To(Equal(int64(9)))
		Expect(u.ConsecutiveErrors).To(Equal(int64(9)))

		Expect(s.Signal(coreCtx, coreAdmin, "a.b", 2, nil)).To(Succeed())
		Consistently(target.DeliveryCount, 50*time.Millisecond, 10*time.Millisecond).Should(Equal(9), "a TooManyErrors hook gets nothing")
	})

	It("disables at once on 410 Gone, with no retries (§9 #6)", func() {
		s := newCoreService(reference.Options{TimeScale: 0.01})
		w := createCoreHook(s, "gone", target.URL(), "a.b")
		target.AnswerAll(coreAnswer{Status: 410, Body: "gone for good"})
		Expect(s.Signal(coreCtx, coreAdmin, "a.b", 1, nil)).To(Succeed())
		Eventually(coreState(s, w.WebhookID)).Should(Equal(reference.StateTooManyErrors))
		Consistently(target.DeliveryCount, 100*time.Millisecond, 10*time.Millisecond).Should(Equal(1))
		u := coreUsage(s, w.WebhookID)()
		Expect(u.TotalCalls).To(Equal(int64(1)))
		Expect(u.TotalErrors).To(Equal(int64(1)))
		Expect(u.LastError).To(HavePrefix("HTTP/1.1 410 Gone\r\n"))
		Expect(u.LastError).To(HaveSuffix("gone for good"))
	})

	It("counts only exactly 200 as success by default, any 2xx with Success 2xx (§9 #2)", func() {
		target.AnswerAll(coreAnswer{Status: 204})
		strict := newCoreService(reference.Options{RetryPolicy: retrySchedule(func(s *reference.Schedule) { s.ErrorThreshold = 1 })})
		w := createCoreHook(strict, "strict", target.URL(), "a.b")
		Expect(strict.Signal(coreCtx, coreAdmin, "a.b", 1, nil)).To(Succeed())
		Eventually(coreState(strict, w.WebhookID)).Should(Equal(reference.StateTooManyErrors), "204 is a failure")
		Expect(coreUsage(strict, w.WebhookID)().TotalErrors).To(Equal(int64(1)))

		other := newCoreTarget(false)
		other.AnswerAll(coreAnswer{Status: 204})
		lenient := newCoreService(reference.Options{Success: "2xx"})
		w2 := createCoreHook(lenient, "lenient", other.URL(), "a.b")
		Expect(lenient.Signal(coreCtx, coreAdmin, "a.b", 1, nil)).To(Succeed())
		Eventually(coreUsage(lenient, w2.WebhookID)).Should(HaveField("TotalCalls", int64(1)))
		Expect(coreUsage(lenient, w2.WebhookID)().TotalErrors).To(BeZero())
		Consistently(other.DeliveryCount, 50*time.Millisecond, 10*time.Millisecond).Should(Equal(1))
	})

	It("keeps statistics: totals grow, a success resets the consecutive count, last_error is the latest error", func() {
		s := newCoreService(reference.Options{TimeScale: 0.01})
		w := createCoreHook(s, "stats", target.URL(), "a.b")
		target.Answer(func(n int, _ coreHit) coreAnswer {
			if n <= 2 {
				return coreAnswer{Status: 503, Header: map[string]string{"X-Reason": "nope"}, Body: "boom " + string(rune('0'+n))}
			}
			return coreAnswer{Status: 200}
		})
		Expect(s.LastError(coreCtx, coreAdmin, w.WebhookID)).To(Equal(""), "no error yet")
		Expect(s.Signal(coreCtx, coreAdmin, "a.b", 1, nil)).To(Succeed())
		Eventually(coreUsage(s, w.WebhookID)).Should(SatisfyAll(
			HaveField("TotalCalls", int64(3)),
			HaveField("TotalErrors", int64(2)),
			HaveField("ConsecutiveErrors", int64(0)),
		))
		last, err := s.LastError(coreCtx, coreAdmin, w.WebhookID)
		Expect(err).NotTo(HaveOccurred())
		Expect(last).To(HavePrefix("HTTP/1.1 503 Service Unavailable\r\n"))
		Expect(last).To(ContainSubstring("\r\nX-Reason: nope\r\n"))
		Expect(last).To(HaveSuffix("\r\n\r\nboom 2"))
	})

	It("bounds last_error to 4000 characters (§9 #30)", func() {
		s := newCoreService(reference.Options{TimeScale: 0.01, RetryPolicy: retrySchedule(func(s *reference.Schedule) { s.ErrorThreshold = 1 })})
		w := createCoreHook(s, "long", target.URL(), "a.b")
		target.AnswerAll(coreAnswer{Status: 500, Body: strings.Repeat("x", 10000)})
		Expect(s.Signal(coreCtx, coreAdmin, "a.b", 1, nil)).To(Succeed())
		Eventually(coreState(s, w.WebhookID)).Should(Equal(reference.StateTooManyErrors))
		Expect(coreUsage(s, w.WebhookID)().LastError).To(HaveLen(reference.MaxErrorText))
	})

	It("counts transport errors and keeps their text as last_error", func() {
		s := newCoreService(reference.Options{TimeScale: 0.01, RetryPolicy: retrySchedule(func(s *reference.Schedule) { s.ErrorThreshold = 1 })})
		dead := newCoreTarget(false)
		url := dead.URL()
		dead.srv.Close()
		w, err := s.SaveRow(coreCtx, coreAdmin, reference.Webhook{Events: []string{"a.b"}, TargetURL: url})
		Expect(err).NotTo(HaveOccurred())
		Expect(s.Signal(coreCtx, coreAdmin, "a.b", 1, nil)).To(Succeed())
		Eventually(coreState(s, w.WebhookID)).Should(Equal(reference.StateTooManyErrors))
		u := coreUsage(s, w.WebhookID)()
		Expect(u.TotalErrors).To(Equal(int64(1)))
		Expect(u.LastError).To(ContainSubstring("refused"))
	})

	It("resumes deliveries and resets the consecutive count when set back to Active (§5)", func() {
		s := newCoreService(reference.Options{TimeScale: 0.01, RetryPolicy: retrySchedule(func(s *reference.Schedule) { s.ErrorThreshold = 3 })})
		w := createCoreHook(s, "again", target.URL(), "a.b")
		Expect(s.Signal(coreCtx, coreAdmin, "a.b", 1, nil)).To(Succeed())
		Eventually(coreState(s, w.WebhookID)).Should(Equal(reference.StateTooManyErrors))
		Expect(target.DeliveryCount()).To(Equal(3))

		target.AnswerAll(coreAnswer{Status: 200})
		setCoreState(s, coreAdmin, w.WebhookID, reference.StateActive)
		u := coreUsage(s, w.WebhookID)()
		Expect(u.ConsecutiveErrors).To(BeZero())
		Expect(u.TotalErrors).To(Equal(int64(3)))
		Consistently(target.DeliveryCount, 50*time.Millisecond, 10*time.Millisecond).Should(Equal(3), "the failed payload is not resurrected")

		Expect(s.Signal(coreCtx, coreAdmin, "a.b", 2, nil)).To(Succeed())
		hits := target.WaitDeliveries(4)
		Expect(coreNum(hits[3].JSON()["PrimaryKey"])).To(Equal(int64(2)))
		Eventually(coreUsage(s, w.WebhookID)).Should(HaveField("TotalCalls", int64(4)))
	})

	It("does not queue events for a hook that is not Active (§9 #7)", func() {
		target.AnswerAll(coreAnswer{Status: 200})
		s := newCoreService(reference.Options{})
		w := createCoreHook(s, "stopped", target.URL(), "a.b")
		setCoreState(s, coreAdmin, w.WebhookID, reference.StateStopped)
		Expect(s.Signal(coreCtx, coreAdmin, "a.b", 1, nil)).To(Succeed())
		setCoreState(s, coreAdmin, w.WebhookID, reference.StateActive)
		Expect(s.Signal(coreCtx, coreAdmin, "a.b", 2, nil)).To(Succeed())
		hits := target.WaitDeliveries(1)
		Consistently(target.DeliveryCount, 50*time.Millisecond, 10*time.Millisecond).Should(Equal(1))
		Expect(coreNum(hits[0].JSON()["PrimaryKey"])).To(Equal(int64(2)))
	})
})
