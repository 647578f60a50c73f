package conformance

import (
	"context"
	"errors"
	"net"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// refused is the error of a call to a port nothing listens on.
var refused = &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}

// newTestWatch returns an armed watch whose probe answers probeErr and
// whose onDown sends the reason on the returned channel.
func newTestWatch(t *testing.T, probeErr error) (*targetWatch, chan string) {
	t.Helper()
	down := make(chan string, 1)
	w := &targetWatch{
		probe:  func(context.Context) error { return probeErr },
		count:  func() (int, int) { return 37, 319 },
		onDown: func(r string) { down <- r },
		now:    func() time.Time { return time.Date(2026, 12, 8, 12, 3, 41, 0, time.Local) },
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	w.start(ctx)
	return w, down
}

func TestTargetWatchDeclaresTheTargetGoneAfterConsecutiveFailuresAndAFailedProbe(t *testing.T) {
	w, down := newTestWatch(t, refused)
	w.ConnFailed(refused)
	select {
	case r := <-down:
		t.Fatalf("one failure declared the target gone: %s", r)
	default:
	}
	w.ConnFailed(refused)
	select {
	case r := <-down:
		want := regexp.MustCompile(`^the target stopped answering at 12:03:41, after 37 of 319 specs \(.*connection refused\)$`)
		if !want.MatchString(r) {
			t.Fatalf("reason %q does not match %s", r, want)
		}
		if w.reason() != r {
			t.Fatalf("reason() = %q, want %q", w.reason(), r)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("two failures and a failed probe did not declare the target gone")
	}
}

func TestTargetWatchKeepsATargetThatAnswersItsProbe(t *testing.T) {
	probed := make(chan struct{}, 4)
	w, down := newTestWatch(t, nil)
	w.probe = func(context.Context) error { probed <- struct{}{}; return errors.New("driver: HTTP 500") }
	w.ConnFailed(refused)
	w.ConnFailed(refused)
	select {
	case <-probed:
	case <-time.After(10 * time.Second):
		t.Fatal("two failures did not probe the target")
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		w.mu.Lock()
		settled := !w.probing
		w.mu.Unlock()
		if settled {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the probe did not finish")
		}
		time.Sleep(time.Millisecond)
	}
	select {
	case r := <-down:
		t.Fatalf("a target that answered its probe was declared gone: %s", r)
	default:
	}
	if w.reason() != "" {
		t.Fatalf("reason() = %q, want none", w.reason())
	}
}

func TestTargetWatchIgnoresFailuresAnAnswerSeparates(t *testing.T) {
	w, down := newTestWatch(t, refused)
	w.ConnFailed(refused)
	w.Answered()
	w.ConnFailed(refused)
	select {
	case r := <-down:
		t.Fatalf("failures with an answer between declared the target gone: %s", r)
	default:
	}
}

func TestTargetWatchHeartbeatNoticesATargetThatIsGone(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	if err := ln.Close(); err != nil {
		t.Fatal(err)
	}
	down := make(chan string, 1)
	w := &targetWatch{addr: addr, probe: func(context.Context) error { return refused },
		count: func() (int, int) { return 0, 1 }, onDown: func(r string) { down <- r }, now: time.Now}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	w.start(ctx)
	select {
	case r := <-down:
		if !strings.HasPrefix(r, "the target stopped answering at ") {
			t.Fatalf("reason %q", r)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the heartbeat did not notice a port nothing listens on")
	}
}

func TestDialAddr(t *testing.T) {
	for in, want := range map[string]string{
		"http://127.0.0.1:8099":     "127.0.0.1:8099",
		"https://example.com/Cust1": "example.com:443",
		"http://example.com":        "example.com:80",
		"not a url":                 "",
	} {
		if got := dialAddr(in); got != want {
			t.Errorf("dialAddr(%q) = %q, want %q", in, got, want)
		}
	}
}
