package conformance

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"time"
)

// statusBoard is the live progress of a parallel run: a line per finished
// spec with its [n/N] counter (as a serial run prints) and a status line — done/total, failures
// so far, the specs in flight with how long each has waited, the elapsed
// time and an estimate of the rest. On a terminal (live) the status line
// is redrawn in place; otherwise it is printed as a plain line every
// `every`, so CI logs stay readable.
type statusBoard struct {
	w      io.Writer
	live   bool
	colour bool // colour the finished specs' lines (a terminal)
	every  time.Duration
	width  int
	now    func() time.Time

	mu       sync.Mutex
	start    time.Time
	total    int
	done     int
	failed   int
	sumDone  time.Duration
	running  map[int]flight
	parallel int
	drawn    bool // a live status line is on screen
	lastLine time.Time
}

// flight is one claimed spec.
type flight struct {
	seq     int
	key     string
	tag     string
	worker  int
	serial  bool
	wait    time.Duration
	started time.Time
	granted bool
	done    bool
}

// newStatusBoard returns a board writing to w (nil: nowhere) for a run of
// parallel workers.
func newStatusBoard(w io.Writer, live bool, every time.Duration, parallel int) *statusBoard {
	if every <= 0 {
		every = 10 * time.Second
	}
	return &statusBoard{w: w, live: live, every: every, width: 160, now: time.Now, running: map[int]flight{}, parallel: parallel}
}

// begin records the number of specs the run walks.
func (b *statusBoard) begin(total int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.start.IsZero() {
		b.start = b.now()
	}
	b.total = max(b.total, total)
}

// started records a spec that started.
func (b *statusBoard) started(f *flight) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.start.IsZero() {
		b.start = b.now()
	}
	b.running[f.seq] = *f
}

// finished prints the line of a finished spec.
func (b *statusBoard) finished(f *flight, line string, failed bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	delete(b.running, f.seq)
	b.done++
	b.sumDone += b.now().Sub(f.started)
	if failed {
		b.failed++
	}
	if b.w == nil || line == "" {
		return
	}
	b.clear()
	fmt.Fprintln(b.w, Counter(b.done, b.total)+" "+paintProgress(b.colour, line))
	if b.live {
		b.draw()
	}
}

// counts returns how many specs finished and how many the run walks.
func (b *statusBoard) counts() (done, total int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.done, b.total
}

// tick redraws the live status line, or prints a plain one when every has
// passed since the last.
func (b *statusBoard) tick() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.w == nil || b.start.IsZero() {
		return
	}
	if b.live {
		b.clear()
		b.draw()
		return
	}
	if now := b.now(); now.Sub(b.lastLine) >= b.every {
		b.lastLine = now
		fmt.Fprintln(b.w, b.line())
	}
}

// close removes the live status line.
func (b *statusBoard) close() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.w != nil {
		b.clear()
	}
}

// clear erases a drawn live status line; b.mu is held.
func (b *statusBoard) clear() {
	if b.drawn {
		fmt.Fprint(b.w, "\r\x1b[K")
		b.drawn = false
	}
}

// draw writes the live status line without a newline; b.mu is held.
func (b *statusBoard) draw() {
	line := b.line()
	if r := []rune(line); len(r) > b.width {
		line = string(r[:b.width-1]) + "…"
	}
	fmt.Fprint(b.w, line)
	b.drawn = true
}

// line is the status line; b.mu is held.
func (b *statusBoard) line() string {
	now := b.now()
	flights := make([]flight, 0, len(b.running))
	for _, f := range b.running {
		flights = append(flights, f)
	}
	sortFlights(flights)
	var inFlight []string
	for _, f := range flights {
		inFlight = append(inFlight, fmt.Sprintf("%s %s", f.tag, now.Sub(f.started).Round(time.Second)))
	}
	total := "?"
	if b.total > 0 {
		total = fmt.Sprint(b.total)
	}
	s := fmt.Sprintf("[%d/%s] %d failed", b.done, total, b.failed)
	if len(inFlight) > 0 {
		s += " · running " + strings.Join(inFlight, ", ")
	}
	s += fmt.Sprintf(" · %s elapsed", now.Sub(b.start).Round(time.Second))
	if left, ok := b.estimate(now, flights); ok {
		s += fmt.Sprintf(", ~%s left", left.Round(time.Second))
	}
	return s
}

// estimate guesses the time left: the longest remaining expected wait of
// the specs in flight, or the specs not yet started at the mean duration
// so far spread over the workers, whichever is longer; b.mu is held.
func (b *statusBoard) estimate(now time.Time, flights []flight) (time.Duration, bool) {
	if b.total == 0 || b.done == 0 {
		return 0, false
	}
	var longest time.Duration
	for _, f := range flights {
		longest = max(longest, f.wait-now.Sub(f.started))
	}
	waiting := b.total - b.done - len(flights)
	mean := b.sumDone / time.Duration(b.done)
	rest := time.Duration(max(0, waiting)) * mean / time.Duration(max(1, b.parallel))
	return max(longest, rest, 0), true
}

// sortFlights orders flights longest running first, then by position.
func sortFlights(fs []flight) {
	slices.SortFunc(fs, func(a, b flight) int {
		if c := a.started.Compare(b.started); c != 0 {
			return c
		}
		return a.seq - b.seq
	})
}
