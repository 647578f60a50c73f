package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/hookcheck/hookcheck/receiver/api"
	"github.com/hookcheck/hookcheck/receiver/client"
)

// wakeTarget is the wake-up latency goal for p99.
const wakeTarget = 5 * time.Millisecond

// wakeSettle is how long a sample waits after sending the blocking query
// before it sends the call, so the query is parked on the server.
const wakeSettle = 2 * time.Millisecond

// wakeResult is section 3.
type wakeResult struct {
	Samples int `json:"samples"`
	// Wake runs from the call's arrival (its receivedAt, the receiver's
	// clock) to the moment the blocked query's answer has been read and
	// decoded by receiver/client; EndToEnd from the client starting the
	// POST to the same moment. Both sorted ascending.
	Wake     []time.Duration `json:"-"`
	EndToEnd []time.Duration `json:"-"`
	Missed   int             `json:"missed"`

	WakeP50 time.Duration `json:"wakeP50Ns"`
	WakeP99 time.Duration `json:"wakeP99Ns"`
	WakeMax time.Duration `json:"wakeMaxNs"`
	E2EP50  time.Duration `json:"e2eP50Ns"`
	E2EP99  time.Duration `json:"e2eP99Ns"`
}

// runWake is section 3: for each sample, a `calls?after=LAST&wait=10s`
// query is sent and left to block, then one signed call arrives; the
// sample is how long after the call's arrival the query returned.
func runWake(ctx context.Context, cfg *config, log io.Writer) (*wakeResult, error) {
	p, base, err := startReceiver(ctx, cfg.hookcheck, cfg.work, "wake", cfg.pin().Server)
	if err != nil {
		return nil, err
	}
	defer p.stop()
	c := client.New(base, client.WithHTTPClient(&http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}))
	ch, err := c.CreateChannel(ctx, api.ChannelRequest{ID: "wake", Secret: benchSecret})
	if err != nil {
		return nil, fmt.Errorf("create the wake channel: %w", err)
	}
	req, err := benchRequest(ch.URL)
	if err != nil {
		return nil, err
	}
	poster := &conn{req: req}
	defer poster.close()
	type answer struct {
		at   time.Time
		list api.CallList
		err  error
	}
	out := &wakeResult{Samples: cfg.wakeSamples}
	var last uint64
	for i := range cfg.wakeSamples {
		if ctx.Err() != nil {
			return out, fmt.Errorf("wake: %w", ctx.Err())
		}
		done := make(chan answer, 1)
		go func() {
			list, err := c.Calls(ctx, ch.ID, client.CallQuery{After: last, Min: 1, Wait: 10 * time.Second})
			done <- answer{time.Now(), list, err}
		}()
		time.Sleep(wakeSettle)
		posted := time.Now()
		if err := poster.do(); err != nil {
			return out, fmt.Errorf("wake sample %d: post: %w", i, err)
		}
		a := <-done
		if a.err != nil {
			return out, fmt.Errorf("wake sample %d: query: %w", i, a.err)
		}
		if len(a.list.Calls) == 0 {
			out.Missed++
			continue
		}
		call := a.list.Calls[0]
		last = call.Seq
		out.Wake = append(out.Wake, a.at.Sub(call.ReceivedAt))
		out.EndToEnd = append(out.EndToEnd, a.at.Sub(posted))
	}
	sortDurations(out.Wake)
	sortDurations(out.EndToEnd)
	out.WakeP50, out.WakeP99 = quantile(out.Wake, 0.5), quantile(out.Wake, 0.99)
	if n := len(out.Wake); n > 0 {
		out.WakeMax = out.Wake[n-1]
	}
	out.E2EP50, out.E2EP99 = quantile(out.EndToEnd, 0.5), quantile(out.EndToEnd, 0.99)
	fmt.Fprintf(log, "  %d samples: wake p50 %s p99 %s max %s; post→answer p50 %s p99 %s; missed %d\n",
		len(out.Wake), fmtDur(out.WakeP50), fmtDur(out.WakeP99), fmtDur(out.WakeMax), fmtDur(out.E2EP50), fmtDur(out.E2EP99), out.Missed)
	return out, nil
}
