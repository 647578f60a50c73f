package reference_test

import (
	"context"
	"encoding/json"
	"net/http"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/conformance/reference"
)

// The retry schedule on fake time: each test runs in a synctest bubble,
// where time only moves when every goroutine of the service waits, so
// time.Sleep in the test advances the clock by exactly that much and
// synctest.Wait returns once the service has done all it can until then.
// The deliveries go to bubbleTarget, a Sender that records the fake time
// of each, so the schedule is checked to the nanosecond.

// bubbleTarget is a Sender that answers the save-time test event with 200
// and every delivery with status, recording when each delivery was sent.
type bubbleTarget struct {
	status int

	mu    sync.Mutex
	sends []bubbleSend
}

// bubbleSend is one delivery a bubbleTarget got.
type bubbleSend struct {
	at        time.Time
	retry     string // X-SuperOffice-Retry, "-" when absent
	timestamp any    // the body's Timestamp
}

// Send implements reference.Sender.
func (b *bubbleTarget) Send(_ context.Context, r reference.OutboundRequest) (*reference.Response, error) {
	// The reference sends header names exactly as written, not canonicalised.
	if len(r.Header[reference.HeaderHookTest]) > 0 {
		return &reference.Response{Status: http.StatusOK, StatusLine: "HTTP/1.1 200 OK", Header: http.Header{}}, nil
	}
	retry := "-"
	//lint:ignore SA1008 the reference sends header names as written, so they are looked up as written
	if v := r.Header[reference.HeaderRetry]; len(v) > 0 {
		retry = v[0]
	}
	var body map[string]any
	_ = json.Unmarshal(r.Body, &body) // a body that is not JSON records a nil Timestamp
	b.mu.Lock()
	defer b.mu.Unlock()
	b.sends = append(b.sends, bubbleSend{at: time.Now(), retry: retry, timestamp: body["Timestamp"]})
	return &reference.Response{Status: b.status, StatusLine: "HTTP/1.1 500 Internal Server Error", Header: http.Header{}}, nil
}

// offsets returns when each delivery was sent, relative to start.
func (b *bubbleTarget) offsets(start time.Time) []time.Duration {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := []time.Duration{}
	for _, s := range b.sends {
		out = append(out, s.at.Sub(start))
	}
	return out
}

// recorded returns a copy of the deliveries so far.
func (b *bubbleTarget) recorded() []bubbleSend {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]bubbleSend(nil), b.sends...)
}

// inBubble runs test in a synctest bubble with a service built from o
// (deliveries to a failing bubbleTarget) and one Active hook on "a.b",
// signalled once at start. The service is closed before the bubble ends.
func inBubble(t *testing.T, o reference.Options, test func(g *WithT, s *reference.Service, hook reference.Webhook, target *bubbleTarget, start time.Time)) {
	t.Helper()
	synctest.Test(t, func(t *testing.T) {
		g := NewWithT(t)
		target := &bubbleTarget{status: http.StatusInternalServerError}
		o.Sender = target
		s, err := reference.New(o)
		g.Expect(err).NotTo(HaveOccurred())
		defer func() { g.Expect(s.Close()).To(Succeed()) }()
		ctx := context.Background()
		hook, err := s.Create(ctx, coreAdmin, reference.Webhook{Name: t.Name(), Events: []string{"a.b"}, TargetURL: "https://target.test/hook"})
		g.Expect(err).NotTo(HaveOccurred())
		start := time.Now()
		g.Expect(s.Signal(ctx, coreAdmin, "a.b", 1, nil)).To(Succeed())
		synctest.Wait()
		g.Expect(target.offsets(start)).To(Equal([]time.Duration{0}), "the first attempt goes out at once")
		test(g, s, hook, target, start)
	})
}

func TestRetryScheduleWaitsExactly1sAnd4sThenStartsTheNextCycleAtOnce(t *testing.T) {
	inBubble(t, reference.Options{TimeScale: 1}, func(g *WithT, _ *reference.Service, _ reference.Webhook, target *bubbleTarget, start time.Time) {
		time.Sleep(999 * time.Millisecond)
		synctest.Wait()
		g.Expect(target.offsets(start)).To(HaveLen(1), "not before 1 s")
		time.Sleep(time.Millisecond)
		synctest.Wait()
		g.Expect(target.offsets(start)).To(Equal([]time.Duration{0, time.Second}))
		time.Sleep(4 * time.Second)
		synctest.Wait()
		// Attempt 3, then attempt 1 of cycle 2 without a gap.
		g.Expect(target.offsets(start)).To(Equal([]time.Duration{0, time.Second, 5 * time.Second, 5 * time.Second}))
		sends := target.recorded()
		retries := make([]string, len(sends))
		for i, s := range sends {
			retries[i] = s.retry
			g.Expect(s.timestamp).To(Equal(reference.FormatPayloadTime(start)), "every attempt carries the event's time")
		}
		g.Expect(retries).To(Equal([]string{"-", "1", "2", "-"}))
	})
}

func TestRetryScheduleScalesTheDelaysAndTheCycleGapByTimeScale(t *testing.T) {
	sched := reference.DefaultSchedule()
	sched.Gap = 10 * time.Second
	inBubble(t, reference.Options{TimeScale: 0.5, RetryPolicy: sched}, func(g *WithT, _ *reference.Service, _ reference.Webhook, target *bubbleTarget, start time.Time) {
		time.Sleep(7500*time.Millisecond - time.Nanosecond)
		synctest.Wait()
		g.Expect(target.offsets(start)).To(Equal([]time.Duration{0, 500 * time.Millisecond, 2500 * time.Millisecond}),
			"0.5 s and 2 s, then the 5 s cycle gap has not passed yet")
		time.Sleep(time.Nanosecond)
		synctest.Wait()
		g.Expect(target.offsets(start)).To(Equal([]time.Duration{0, 500 * time.Millisecond, 2500 * time.Millisecond, 7500 * time.Millisecond}))
	})
}

func TestRetryScheduleDropsPendingRetriesWhenTheHookIsStopped(t *testing.T) {
	// §9 #7: a retry pending when the hook stops is dropped, and setting
	// the hook Active again does not bring it back.
	inBubble(t, reference.Options{TimeScale: 1}, func(g *WithT, s *reference.Service, hook reference.Webhook, target *bubbleTarget, start time.Time) {
		setBubbleState(g, s, hook.WebhookID, reference.StateStopped)
		time.Sleep(time.Hour)
		setBubbleState(g, s, hook.WebhookID, reference.StateActive)
		time.Sleep(time.Hour)
		synctest.Wait()
		g.Expect(target.offsets(start)).To(HaveLen(1))
	})
}

func TestRetryScheduleDropsPendingRetriesWhenTheHookIsDeleted(t *testing.T) {
	inBubble(t, reference.Options{TimeScale: 1}, func(g *WithT, s *reference.Service, hook reference.Webhook, target *bubbleTarget, start time.Time) {
		g.Expect(s.Delete(context.Background(), coreAdmin, hook.WebhookID)).To(Succeed())
		time.Sleep(time.Hour)
		synctest.Wait()
		g.Expect(target.offsets(start)).To(HaveLen(1))
	})
}

func TestRetryScheduleFollowsACustomRetryPolicy(t *testing.T) {
	custom := reference.Schedule{Attempts: 2, Delays: []time.Duration{time.Minute}, Cycles: 1, ErrorThreshold: 0}
	inBubble(t, reference.Options{TimeScale: 1, RetryPolicy: custom}, func(g *WithT, s *reference.Service, hook reference.Webhook, target *bubbleTarget, start time.Time) {
		time.Sleep(time.Hour)
		synctest.Wait()
		g.Expect(target.offsets(start)).To(Equal([]time.Duration{0, time.Minute}), "two attempts, one cycle")
		got, err := s.Get(context.Background(), coreAdmin, hook.WebhookID)
		g.Expect(err).NotTo(HaveOccurred())
		g.Expect(got.State).To(Equal(reference.StateActive), "threshold 0 never disables")
	})
}

// setBubbleState saves hook id with state st.
func setBubbleState(g *WithT, s *reference.Service, id int32, st reference.State) {
	_, err := s.Modify(context.Background(), coreAdmin, id, reference.Condition{}, func(w *reference.Webhook) error {
		w.State = st
		return nil
	})
	g.Expect(err).NotTo(HaveOccurred())
}
