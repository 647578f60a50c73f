package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"syscall"
	"time"

	"github.com/hookcheck/hookcheck/receiver/api"
	"github.com/hookcheck/hookcheck/receiver/client"
)

// delayCase is one asked-vs-observed delay measurement.
type delayCase struct {
	Asked    time.Duration `json:"askedNs"`
	Requests int           `json:"requests"`
	Errors   int           `json:"errors"`
	// P50, P99 and Max are the observed response times, sorted samples.
	P50 time.Duration `json:"p50Ns"`
	P99 time.Duration `json:"p99Ns"`
	Min time.Duration `json:"minNs"`
	Max time.Duration `json:"maxNs"`
}

// resetCase counts what `reset` looked like to the client.
type resetCase struct {
	Requests int `json:"requests"`
	// Resets saw ECONNRESET; Other failed another way (Example says how);
	// Answered got an HTTP response.
	Resets   int    `json:"resets"`
	Other    int    `json:"other"`
	Example  string `json:"example,omitempty"`
	Answered int    `json:"answered"`
}

// hangCase is the 1000-connection hang test.
type hangCase struct {
	Conns int           `json:"conns"`
	Hold  time.Duration `json:"holdNs"`
	// Recorded is how many of the calls the receiver recorded while they hung.
	Recorded int `json:"recorded"`
	// Held connections saw nothing (no byte, no close) for the whole hold;
	// Failed ones could not connect or saw data, EOF or a reset (Example).
	Held    int    `json:"held"`
	Failed  int    `json:"failed"`
	Example string `json:"example,omitempty"`
	// Memory before the connections, while they hang, and after they close.
	Before memInfo `json:"before"`
	During memInfo `json:"during"`
	After  memInfo `json:"after"`
	// Healthz and Call are the response times of healthz and of a normal
	// call on another channel while every connection hangs.
	Healthz time.Duration `json:"healthzNs"`
	Call    time.Duration `json:"callNs"`
}

// faultResult is section 4.
type faultResult struct {
	Delays []delayCase `json:"delays"`
	Reset  resetCase   `json:"reset"`
	Hang   hangCase    `json:"hang"`
}

// runFaults is section 4, against a fresh receiver pinned to the server
// core: scripted delays, reset and hang, each on its own channel.
func runFaults(ctx context.Context, cfg *config, log io.Writer) (*faultResult, error) {
	p, base, err := startReceiver(ctx, cfg.hookcheck, cfg.work, "faults", cfg.pin().Server)
	if err != nil {
		return nil, err
	}
	defer p.stop()
	c := client.New(base)
	channel := func(id string, rules []api.Rule) (request, error) {
		ch, err := c.CreateChannel(ctx, api.ChannelRequest{ID: id, Secret: benchSecret, Script: rules})
		if err != nil {
			return request{}, fmt.Errorf("create channel %s: %w", id, err)
		}
		return benchRequest(ch.URL)
	}
	out := &faultResult{}
	for _, dc := range []struct {
		asked       time.Duration
		n, parallel int
	}{{100 * time.Millisecond, 100, 10}, {time.Second, 20, 20}} {
		req, err := channel(fmt.Sprintf("delay-%dms", dc.asked.Milliseconds()), []api.Rule{{Respond: &api.Respond{Status: 200, Delay: api.Duration(dc.asked)}}})
		if err != nil {
			return out, err
		}
		d := measureDelay(req, dc.asked, dc.n, dc.parallel)
		out.Delays = append(out.Delays, d)
		fmt.Fprintf(log, "  delay %s: %d requests, observed p50 %s p99 %s min %s max %s, errors %d\n",
			fmtDur(d.Asked), d.Requests, fmtDur(d.P50), fmtDur(d.P99), fmtDur(d.Min), fmtDur(d.Max), d.Errors)
	}
	req, err := channel("reset", []api.Rule{{Fault: &api.Fault{Type: "reset"}}})
	if err != nil {
		return out, err
	}
	out.Reset = measureReset(req, 100)
	fmt.Fprintf(log, "  reset: %d requests: %d connection resets, %d other errors (%s), %d answered\n",
		out.Reset.Requests, out.Reset.Resets, out.Reset.Other, out.Reset.Example, out.Reset.Answered)

	req, err = channel("hang", []api.Rule{{Fault: &api.Fault{Type: "hang"}}})
	if err != nil {
		return out, err
	}
	normal, err := channel("normal", nil)
	if err != nil {
		return out, err
	}
	out.Hang, err = measureHang(ctx, c, p.pid(), req, normal, cfg.hangConns, cfg.hangHold)
	if err != nil {
		return out, err
	}
	h := out.Hang
	fmt.Fprintf(log, "  hang: %d connections, %d recorded, %d held %s, %d failed (%s); VmRSS before %s, during %s, after %s; healthz %s, a normal call %s meanwhile\n",
		h.Conns, h.Recorded, h.Held, h.Hold, h.Failed, h.Example, fmtKiB(h.Before.RSS), fmtKiB(h.During.RSS), fmtKiB(h.After.RSS), fmtDur(h.Healthz), fmtDur(h.Call))
	return out, nil
}

// measureDelay sends n requests on parallel connections to a channel that
// answers after asked, and times each.
func measureDelay(req request, asked time.Duration, n, parallel int) delayCase {
	out := delayCase{Asked: asked, Requests: n}
	var mu sync.Mutex
	var times []time.Duration
	work := make(chan struct{}, n)
	for range n {
		work <- struct{}{}
	}
	close(work)
	var wg sync.WaitGroup
	for range parallel {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cn := &conn{req: req}
			defer cn.close()
			for range work {
				t := time.Now()
				err := cn.do()
				d := time.Since(t)
				mu.Lock()
				if err != nil {
					out.Errors++
				} else {
					times = append(times, d)
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	sortDurations(times)
	out.P50, out.P99 = quantile(times, 0.5), quantile(times, 0.99)
	if len(times) > 0 {
		out.Min, out.Max = times[0], times[len(times)-1]
	}
	return out
}

// measureReset sends n requests, each on a new connection, to a channel
// whose script resets them, and sorts the client's errors.
func measureReset(req request, n int) resetCase {
	out := resetCase{Requests: n}
	for range n {
		cn := &conn{req: req}
		err := cn.do()
		cn.close()
		switch {
		case err == nil || errors.Is(err, errStatus):
			out.Answered++
		case errors.Is(err, syscall.ECONNRESET):
			out.Resets++
		default:
			out.Other++
			if out.Example == "" {
				out.Example = err.Error()
			}
		}
	}
	return out
}

// measureHang opens conns connections that each send one call to a hang
// channel, checks the receiver recorded them all and still serves others,
// holds them for hold, then closes them, reading the receiver's memory
// before, during and after.
func measureHang(ctx context.Context, c *client.Client, pid int, req, normal request, conns int, hold time.Duration) (hangCase, error) {
	out := hangCase{Conns: conns, Hold: hold}
	var err error
	if out.Before, err = readMem(pid); err != nil {
		return out, err
	}
	type result struct {
		held bool
		err  error
	}
	results := make(chan result, conns)
	opened := make([]net.Conn, conns)
	var wg sync.WaitGroup
	release := make(chan struct{})
	start := time.Now()
	until := start.Add(hold)
	for i := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			nc, err := net.DialTimeout("tcp", req.addr, ioTimeout)
			if err != nil {
				results <- result{err: fmt.Errorf("dial: %w", err)}
				return
			}
			opened[i] = nc
			if _, err := nc.Write(req.raw); err != nil {
				results <- result{err: fmt.Errorf("write: %w", err)}
				return
			}
			_ = nc.SetReadDeadline(until)
			var b [1]byte
			n, err := nc.Read(b[:])
			var ne net.Error
			switch {
			case n == 0 && errors.As(err, &ne) && ne.Timeout():
				results <- result{held: true}
			case n > 0:
				results <- result{err: errors.New("the receiver answered")}
			default:
				results <- result{err: fmt.Errorf("read: %w", err)}
			}
			<-release
		}()
	}
	// Every call recorded while it hangs?
	list, err := c.Calls(ctx, "hang", client.CallQuery{Min: conns, Wait: hold})
	if err != nil {
		close(release)
		wg.Wait()
		return out, fmt.Errorf("hang: count recorded calls: %w", err)
	}
	out.Recorded = len(list.Calls)
	t := time.Now()
	if _, err := c.Health(ctx); err == nil {
		out.Healthz = time.Since(t)
	}
	cn := &conn{req: normal}
	t = time.Now()
	if err := cn.do(); err == nil {
		out.Call = time.Since(t)
	}
	cn.close()
	if out.During, err = readMem(pid); err != nil {
		close(release)
		wg.Wait()
		return out, err
	}
	for range conns {
		r := <-results
		if r.held {
			out.Held++
			continue
		}
		out.Failed++
		if out.Example == "" && r.err != nil {
			out.Example = r.err.Error()
		}
	}
	for _, nc := range opened {
		if nc != nil {
			_ = nc.Close()
		}
	}
	close(release)
	wg.Wait()
	// Let the receiver notice the closes and its garbage collector run.
	time.Sleep(3 * time.Second)
	if out.After, err = readMem(pid); err != nil {
		return out, err
	}
	return out, nil
}
