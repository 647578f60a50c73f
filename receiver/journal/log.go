package journal

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// Log is an append-only sequence of entries numbered from 1. Old entries may
// be evicted by a Bound; sequence numbers are never reused. Log is safe for
// concurrent use.
type Log[T any] struct {
	mu      sync.Mutex
	items   chunks[T] // items.at(i) has seq first+i
	first   uint64
	next    uint64
	evicted uint64
	changed chan struct{} // made when a reader waits; closed (and dropped) by the next append or update
	updated []uint64      // ring of updated seqs: update number r (1-based) at (r-1)%maxUpdates
	rev     uint64        // number of updates so far
	bound   *Bound
	release func(*T) // called on each entry the log lets go of (nil = none)
	gone    bool     // forgotten (Forget): readers return at once, appends are let go of
	waiters atomic.Int64
}

// Option configures a Log.
type Option[T any] func(*Log[T])

// Release makes the log call fn, under its lock, on every entry it lets go
// of: evicted by the Bound or dropped by Forget. An entry that owns
// recyclable memory hands it back there; readers never see the entry
// afterwards, because FindMap copies entries out under the same lock.
func Release[T any](fn func(*T)) Option[T] {
	return func(l *Log[T]) { l.release = fn }
}

// New returns an empty log whose size counts against b (nil = unbounded).
func New[T any](b *Bound, opts ...Option[T]) *Log[T] {
	l := &Log[T]{first: 1, next: 1, bound: b}
	for _, o := range opts {
		o(l)
	}
	return l
}

// Append stores the entry build returns for the next sequence number and wakes
// all waiting readers. It returns the sequence number used.
//
// An append to a forgotten log (a writer that found the log just before it
// was forgotten) is let go of at once: it is released, not held or counted.
func (l *Log[T]) Append(build func(seq uint64) T) uint64 {
	l.mu.Lock()
	seq := l.next
	l.next++
	if l.gone {
		e := build(seq)
		if l.release != nil {
			l.release(&e)
		}
		l.first = l.next
		l.mu.Unlock()
		return seq
	}
	l.items.push(build(seq))
	l.notify()
	l.mu.Unlock()
	if l.bound != nil {
		l.bound.added(l)
	}
	return seq
}

// Update applies fn to the held entry numbered seq, under the log's lock,
// and reports whether that entry is still held (it may have been evicted or
// forgotten). It wakes waiting readers, and UpdatedSince reports the seq,
// so a reader that already passed the entry can send it again.
func (l *Log[T]) Update(seq uint64, fn func(*T)) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if seq < l.first || seq >= l.first+uint64(l.items.len()) {
		return false
	}
	fn(l.items.at(int(seq - l.first)))
	if l.updated == nil {
		l.updated = make([]uint64, maxUpdates)
	}
	l.updated[l.rev%maxUpdates] = seq
	l.rev++
	l.notify()
	return true
}

// maxUpdates bounds the update history UpdatedSince can answer from.
const maxUpdates = 1024

// Rev returns the number of updates so far, a revision to pass to
// UpdatedSince.
func (l *Log[T]) Rev() uint64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.rev
}

// UpdatedSince returns the seqs updated after revision rev (oldest first,
// possibly repeated), the current revision, and whether the history went
// back far enough to name every such update.
func (l *Log[T]) UpdatedSince(rev uint64) (seqs []uint64, now uint64, complete bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	missed := l.rev - min(rev, l.rev)
	n := min(missed, maxUpdates)
	for r := l.rev - n; r < l.rev; r++ {
		seqs = append(seqs, l.updated[r%maxUpdates])
	}
	return seqs, l.rev, n == missed
}

// evictOldest drops the oldest entry; the Bound calls it.
func (l *Log[T]) evictOldest() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.items.len() == 0 {
		return
	}
	if l.release != nil {
		l.release(l.items.at(0))
	}
	l.items.popFront()
	l.first++
	l.evicted++
}

// drop forgets every entry without counting them as evicted, marks the
// log forgotten and wakes every waiting reader, which returns at once.
func (l *Log[T]) drop() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := l.items.len()
	if l.release != nil {
		for i := range n {
			l.release(l.items.at(i))
		}
	}
	l.items.reset()
	l.first = l.next
	l.gone = true
	l.notify()
	return n
}

// clear lets go of every held entry, like drop, but the log stays in
// use: sequence numbers go on where they were, and appends are held as
// before. Cleared entries are not counted as evicted. It wakes waiting
// readers and returns how many entries it let go of.
func (l *Log[T]) clear() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := l.items.len()
	if l.release != nil {
		for i := range n {
			l.release(l.items.at(i))
		}
	}
	l.items.reset()
	l.first = l.next
	l.notify()
	return n
}

// Forgotten reports whether the log was forgotten (Forget): it holds
// nothing and never will, and a read of it returns at once.
func (l *Log[T]) Forgotten() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.gone
}

// Stats reports how many entries are held, the last sequence number
// assigned, and how many entries were evicted.
func (l *Log[T]) Stats() (held int, last uint64, evicted uint64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.items.len(), l.next - 1, l.evicted
}

// Query selects entries for Find.
type Query[T any] struct {
	// After keeps entries with a sequence number greater than After.
	After uint64
	// Match keeps entries for which it returns true (nil keeps all).
	Match func(*T) bool
	// Min is how many entries to wait for (values below 1 mean 1).
	Min int
	// Wait is how long to block for Min entries; 0 answers at once.
	Wait time.Duration
	// Limit caps the number of entries returned (0 = no cap).
	Limit int
}

// Find returns the entries that satisfy q, oldest first. With q.Wait it
// blocks until at least q.Min entries match, the wait ends, or ctx is done,
// and then returns whatever matches.
func (l *Log[T]) Find(ctx context.Context, q Query[T]) []T {
	return FindMap(ctx, l, q, func(e *T) T { return *e })
}

// FindMap is Find with each selected entry turned into an R by conv, which
// runs under the log's lock: an entry whose memory the log recycles (see
// Release) is copied out before it can be let go of. conv runs only for the
// entries returned, once each. A wait on a log that is forgotten meanwhile
// ends at once, with nothing (Forgotten tells it apart from a wait that
// ran out).
func FindMap[T, R any](ctx context.Context, l *Log[T], q Query[T], conv func(*T) R) []R {
	min := max(q.Min, 1)
	var timer <-chan time.Time
	if q.Wait > 0 {
		t := time.NewTimer(q.Wait)
		defer t.Stop()
		timer = t.C
	}
	for {
		l.mu.Lock()
		start, n := l.selection(q)
		if n >= min || q.Wait <= 0 || (q.Limit > 0 && n >= q.Limit) || l.gone {
			out := collect(l, q, start, n, conv)
			l.mu.Unlock()
			return out
		}
		changed := l.waitChan()
		l.mu.Unlock()
		l.waiters.Add(1)
		select {
		case <-changed:
			l.waiters.Add(-1)
		case <-timer:
			l.waiters.Add(-1)
			return snapshot(l, q, conv)
		case <-ctx.Done():
			l.waiters.Add(-1)
			return snapshot(l, q, conv)
		}
	}
}

// Waiters reports how many readers are blocked in Find or FindMap right
// now, waiting for entries.
func (l *Log[T]) Waiters() int { return int(l.waiters.Load()) }

func snapshot[T, R any](l *Log[T], q Query[T], conv func(*T) R) []R {
	l.mu.Lock()
	defer l.mu.Unlock()
	start, n := l.selection(q)
	return collect(l, q, start, n, conv)
}

// selection returns the index of the first entry after q.After and how
// many entries from there match q (at most q.Limit), without copying any.
// l.mu must be held.
func (l *Log[T]) selection(q Query[T]) (start, n int) {
	if q.After >= l.first {
		start = int(min(q.After-l.first+1, uint64(l.items.len())))
	}
	if q.Match == nil {
		n = l.items.len() - start
		if q.Limit > 0 {
			n = min(n, q.Limit)
		}
		return start, n
	}
	for i := start; i < l.items.len(); i++ {
		if q.Match(l.items.at(i)) {
			n++
			if q.Limit > 0 && n >= q.Limit {
				break
			}
		}
	}
	return start, n
}

// collect converts the n entries from start that match q. l.mu must be
// held.
func collect[T, R any](l *Log[T], q Query[T], start, n int, conv func(*T) R) []R {
	out := make([]R, 0, n)
	for i := start; i < l.items.len() && len(out) < n; i++ {
		if e := l.items.at(i); q.Match == nil || q.Match(e) {
			out = append(out, conv(e))
		}
	}
	return out
}

// Changed returns a channel that is closed at the next append or update.
// Streaming readers use it to follow the log.
func (l *Log[T]) Changed() <-chan struct{} {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.waitChan()
}

// waitChan returns the channel the next append or update closes, making it
// if no reader asked for one since the last change. l.mu must be held. The
// hot path (an append with nobody waiting) thus allocates no channel.
func (l *Log[T]) waitChan() chan struct{} {
	if l.changed == nil {
		l.changed = make(chan struct{})
	}
	return l.changed
}

// notify wakes every waiting reader. l.mu must be held.
func (l *Log[T]) notify() {
	if l.changed != nil {
		close(l.changed)
		l.changed = nil
	}
}

// Next returns the sequence number the next Append will use.
func (l *Log[T]) Next() uint64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.next
}
