package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"time"

	"github.com/hookcheck/hookcheck/receiver/api"
	"github.com/hookcheck/hookcheck/receiver/client"
)

// memSteps is how many batches of --mem-calls the memory test sends: the
// first fills the journal to its bound, the others run past it.
const memSteps = 5

// memSettle is how long the memory test lets the receiver idle before
// reading its memory after a batch.
const memSettle = time.Second

// memStep is the receiver's memory after one batch of calls.
type memStep struct {
	// Calls is how many calls the receiver has been sent in all.
	Calls int `json:"calls"`
	// Held and Evicted are healthz's counts.
	Held    int    `json:"held"`
	Evicted uint64 `json:"evicted"`
	// RSS and HWM are VmRSS and VmHWM in KiB.
	RSS int64 `json:"rssKiB"`
	HWM int64 `json:"hwmKiB"`
	// Rate is the batch's calls per second (closed loop).
	Rate float64 `json:"rate"`
	// Anon and File split RSS (RssAnon, RssFile) in KiB.
	Anon int64 `json:"rssAnonKiB,omitempty"`
	File int64 `json:"rssFileKiB,omitempty"`
	// Disk is the size of the database file in bytes (--data-dir only),
	// once the writer has caught up; OnDisk the calls in it.
	Disk   int64 `json:"diskBytes,omitempty"`
	OnDisk int   `json:"onDisk,omitempty"`
}

// memoryResult is section 2.
type memoryResult struct {
	Bound int       `json:"bound"`
	Idle  memInfo   `json:"idle"`
	Steps []memStep `json:"steps"`
	// DataDir reports a receiver run with --data-dir.
	DataDir bool `json:"dataDir,omitempty"`
}

// AtBound returns the steps taken once the journal was full (the first
// batch fills it when --mem-calls equals the bound).
func (m *memoryResult) AtBound() []memStep {
	var out []memStep
	for _, s := range m.Steps {
		if s.Calls >= m.Bound {
			out = append(out, s)
		}
	}
	return out
}

// growth returns how much VmRSS grew from step a to step b of AtBound, as
// a fraction (0.05 = 5 %), or 0 when there are not enough steps.
func (m *memoryResult) growth(a, b int) float64 {
	at := m.AtBound()
	if a < 0 || b >= len(at) || a >= b || at[a].RSS == 0 {
		return 0
	}
	return float64(at[b].RSS-at[a].RSS) / float64(at[a].RSS)
}

// FirstGrowth is the growth over the first batch past the bound (the
// bound reached, then as many calls again).
func (m *memoryResult) FirstGrowth() float64 { return m.growth(0, 1) }

// SteadyGrowth is the growth from the end of that batch to the last one.
func (m *memoryResult) SteadyGrowth() float64 { return m.growth(1, len(m.AtBound())-1) }

// flatTolerance is the RSS growth still called flat: the garbage
// collector's heap goal moves with every cycle, so a few percent of wobble
// is not a leak.
const flatTolerance = 0.10

// diskGrowth returns how much the database file grew from step a to step
// b of AtBound, as a fraction.
func (m *memoryResult) diskGrowth(a, b int) float64 {
	at := m.AtBound()
	if a < 0 || b >= len(at) || a >= b || at[a].Disk == 0 {
		return 0
	}
	return float64(at[b].Disk-at[a].Disk) / float64(at[a].Disk)
}

// anonGrowth returns how much RssAnon grew from step a to step b of
// AtBound, as a fraction.
func (m *memoryResult) anonGrowth(a, b int) float64 {
	at := m.AtBound()
	if a < 0 || b >= len(at) || a >= b || at[a].Anon == 0 {
		return 0
	}
	return float64(at[b].Anon-at[a].Anon) / float64(at[a].Anon)
}

// AnonFlat reports whether the process's own memory (RssAnon) stayed
// within flatTolerance from the bound reached to the last batch.
func (m *memoryResult) AnonFlat() bool {
	at := m.AtBound()
	return len(at) >= 3 && m.anonGrowth(0, len(at)-1) <= flatTolerance
}

// DiskFlat reports whether the database file stayed within flatTolerance
// from the first batch past the bound to the last.
func (m *memoryResult) DiskFlat() bool {
	at := m.AtBound()
	return len(at) >= 3 && m.diskGrowth(1, len(at)-1) <= flatTolerance
}

// Flat reports whether RSS stayed within flatTolerance over the first
// batch past the bound, and SteadyFlat whether it did from then on.
func (m *memoryResult) Flat() bool { return len(m.AtBound()) >= 2 && m.FirstGrowth() <= flatTolerance }

// SteadyFlat reports whether RSS stayed within flatTolerance from the end
// of the first batch past the bound to the last batch.
func (m *memoryResult) SteadyFlat() bool {
	return len(m.AtBound()) >= 3 && m.SteadyGrowth() <= flatTolerance
}

// runMemory is section 2: a fresh `hookcheck receive --max-calls BOUND`
// pinned to the server core is sent memSteps batches of signed 1 KB calls;
// after each, VmRSS and VmHWM are read from /proc/PID/status. With
// dataDir the receiver keeps its calls there, and the database file's
// size is read too, once the writer has caught up.
func runMemory(ctx context.Context, cfg *config, log io.Writer, dataDir string) (*memoryResult, error) {
	key := "memory"
	flags := []string{"--max-calls", strconv.Itoa(cfg.bound)}
	if dataDir != "" {
		key = "memory-data"
		flags = append(flags, "--data-dir", dataDir)
		if err := os.RemoveAll(dataDir); err != nil {
			return nil, fmt.Errorf("empty the data directory: %w", err)
		}
	}
	p, base, err := startReceiver(ctx, cfg.hookcheck, cfg.work, key, cfg.pin().Server, flags...)
	if err != nil {
		return nil, err
	}
	defer p.stop()
	ch, err := client.New(base).CreateChannel(ctx, api.ChannelRequest{ID: "bench", Secret: benchSecret})
	if err != nil {
		return nil, fmt.Errorf("create the bench channel: %w", err)
	}
	req, err := benchRequest(ch.URL)
	if err != nil {
		return nil, err
	}
	out := &memoryResult{Bound: cfg.bound, DataDir: dataDir != ""}
	if out.Idle, err = readMem(p.pid()); err != nil {
		return nil, err
	}
	fmt.Fprintf(log, "  idle: VmRSS %s\n", fmtKiB(out.Idle.RSS))
	sent := 0
	for range memSteps {
		if ctx.Err() != nil {
			return out, fmt.Errorf("memory: %w", ctx.Err())
		}
		res, err := closedLoop(req, cfg.conns, 0, cfg.memCalls)
		if err != nil {
			return out, err
		}
		if res.Errors > 0 {
			return out, fmt.Errorf("memory: %d of %d calls failed: %s", res.Errors, res.Sent, res.FirstError)
		}
		sent += res.OK
		time.Sleep(memSettle)
		m, err := readMem(p.pid())
		if err != nil {
			return out, err
		}
		h, err := client.New(base).Health(ctx)
		if err != nil {
			return out, fmt.Errorf("memory: healthz: %w", err)
		}
		s := memStep{Calls: sent, Held: h.Calls, Evicted: h.Evicted, RSS: m.RSS, HWM: m.HWM, Anon: m.Anon, File: m.File, Rate: res.Rate()}
		if dataDir != "" {
			if s.Disk, s.OnDisk, err = caughtUp(ctx, base, h.Calls); err != nil {
				return out, err
			}
		}
		out.Steps = append(out.Steps, s)
		fmt.Fprintf(log, "  after %7d calls: held %d, evicted %d, VmRSS %s, VmHWM %s, on disk %d calls in %s (%.0f calls/s)\n",
			s.Calls, s.Held, s.Evicted, fmtKiB(s.RSS), fmtKiB(s.HWM), s.OnDisk, fmtKiB(s.Disk/1024), s.Rate)
	}
	return out, nil
}

// caughtUp waits until the receiver's writer holds held calls on disk and
// returns the database's size and calls then.
func caughtUp(ctx context.Context, base string, held int) (int64, int, error) {
	deadline := time.Now().Add(idleTimeout)
	for {
		h, err := client.New(base).Health(ctx)
		if err != nil {
			return 0, 0, fmt.Errorf("memory: healthz: %w", err)
		}
		if h.Storage == nil {
			return 0, 0, fmt.Errorf("memory: healthz reports no storage")
		}
		if h.Storage.Calls == held || time.Now().After(deadline) {
			return h.Storage.Bytes, h.Storage.Calls, nil
		}
		select {
		case <-ctx.Done():
			return 0, 0, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// fmtKiB renders a KiB count as MiB.
func fmtKiB(kib int64) string { return fmt.Sprintf("%.1f MiB", float64(kib)/1024) }
