package driver

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestTokenBucketLetsABurstThroughThenPacesAtTheRate(t *testing.T) {
	clock := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	b := NewTokenBucket(4)
	b.now = func() time.Time { return clock }
	for i := range 4 {
		if d := b.reserve(); d != 0 {
			t.Fatalf("request %d of the burst waits %s", i+1, d)
		}
	}
	if d := b.reserve(); d != 250*time.Millisecond {
		t.Errorf("the 5th request at once waits %s, want 250ms (4/s)", d)
	}
	if d := b.reserve(); d != 500*time.Millisecond {
		t.Errorf("the 6th waits %s, want 500ms", d)
	}
	clock = clock.Add(10 * time.Second)
	for i := range 4 {
		if d := b.reserve(); d != 0 {
			t.Fatalf("after a pause, request %d waits %s: the bucket refills up to its burst", i+1, d)
		}
	}
	if d := b.reserve(); d != 250*time.Millisecond {
		t.Errorf("the bucket refilled beyond its burst: the 5th waits %s", d)
	}
	slow := NewTokenBucket(0.5)
	slow.now = func() time.Time { return clock }
	if slow.reserve() != 0 || slow.reserve() != 2*time.Second {
		t.Error("a rate below 1/s still lets one request through, then waits 1/rate")
	}
}

func TestTokenBucketWaitEndsWithTheContextAndGivesTheTokenBack(t *testing.T) {
	b := NewTokenBucket(1)
	if err := b.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := b.Wait(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("Wait with an ended context = %v", err)
	}
	b.mu.Lock()
	tokens := b.tokens
	b.mu.Unlock()
	if tokens < -0.01 {
		t.Errorf("a cancelled wait kept its token: %v left", tokens)
	}
}

// countingLimiter counts waits and refuses once refuse is set.
type countingLimiter struct {
	waits  atomic.Int32
	refuse atomic.Bool
}

func (l *countingLimiter) Wait(context.Context) error {
	l.waits.Add(1)
	if l.refuse.Load() {
		return errors.New("no token")
	}
	return nil
}

func TestLimitTransportWaitsBeforeEveryRequest(t *testing.T) {
	var served atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		served.Add(1)
		_, _ = io.WriteString(w, "ok")
	}))
	defer srv.Close()
	l := &countingLimiter{}
	hc := NewHTTPClient(LimitTransport(nil, l))
	for range 3 {
		resp, err := hc.Get(srv.URL)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	if l.waits.Load() != 3 || served.Load() != 3 {
		t.Errorf("%d waits, %d served; want 3 and 3", l.waits.Load(), served.Load())
	}
	l.refuse.Store(true)
	_, err := hc.Post(srv.URL, "text/plain", strings.NewReader("body"))
	if err == nil || !strings.Contains(err.Error(), "rate limit") {
		t.Errorf("a refused token gives %v, want a rate limit error", err)
	}
	if served.Load() != 3 {
		t.Error("a request without a token reached the server")
	}
}
