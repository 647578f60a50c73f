package driver

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"time"
)

// Limiter paces the requests of a driver: Wait returns once the next
// request may go, or with the context's error.
type Limiter interface {
	Wait(ctx context.Context) error
}

// TokenBucket is a Limiter that lets rate requests a second through on
// average, with bursts of at most one second's worth (at least one
// request). The zero value is not usable; build one with NewTokenBucket.
type TokenBucket struct {
	mu     sync.Mutex
	rate   float64 // tokens per second
	burst  float64
	tokens float64
	last   time.Time
	now    func() time.Time
}

// NewTokenBucket returns a full bucket for rate requests a second.
func NewTokenBucket(rate float64) *TokenBucket {
	burst := max(1, rate)
	return &TokenBucket{rate: rate, burst: burst, tokens: burst, now: time.Now}
}

// reserve takes one token and returns how long its holder must wait before
// using it (0: at once).
func (b *TokenBucket) reserve() time.Duration {
	b.mu.Lock()
	defer b.mu.Unlock()
	now := b.now()
	if !b.last.IsZero() {
		b.tokens = min(b.burst, b.tokens+now.Sub(b.last).Seconds()*b.rate)
	}
	b.last = now
	b.tokens--
	if b.tokens >= 0 {
		return 0
	}
	return time.Duration(-b.tokens / b.rate * float64(time.Second))
}

// cancel gives back a token reserved by a caller that no longer waits.
func (b *TokenBucket) cancel() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.tokens = min(b.burst, b.tokens+1)
}

// Wait implements Limiter.
func (b *TokenBucket) Wait(ctx context.Context) error {
	d := b.reserve()
	if d == 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		b.cancel()
		return ctx.Err()
	}
}

// LimitTransport returns a RoundTripper that waits for l before every
// request it passes to rt (nil: a clone of http.DefaultTransport).
func LimitTransport(rt http.RoundTripper, l Limiter) http.RoundTripper {
	if rt == nil {
		rt = http.DefaultTransport.(*http.Transport).Clone()
	}
	return &limitedTransport{rt: rt, l: l}
}

// LimitClient returns hc (nil: a default API client, NewHTTPClient) with
// its requests paced by l.
func LimitClient(hc *http.Client, l Limiter) *http.Client {
	if hc == nil {
		return NewHTTPClient(LimitTransport(nil, l))
	}
	c := *hc
	c.Transport = LimitTransport(hc.Transport, l)
	return &c
}

// limitedTransport paces the requests of a RoundTripper.
type limitedTransport struct {
	rt http.RoundTripper
	l  Limiter
}

// RoundTrip implements http.RoundTripper.
func (t *limitedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if err := t.l.Wait(req.Context()); err != nil {
		if req.Body != nil {
			_ = req.Body.Close()
		}
		return nil, fmt.Errorf("driver: rate limit: %w", err)
	}
	return t.rt.RoundTrip(req)
}
