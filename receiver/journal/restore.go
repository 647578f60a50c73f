package journal

// Restoring a log: a receiver that keeps its journal on disk (--data-dir)
// refills its logs on start with the entries it wrote, under their own
// sequence numbers, and goes on numbering after them.

// Restore appends e under seq, which must come after every seq the log
// has used; with entries held it must be the next one (Next), so held
// entries stay consecutive. It counts against the bound like Append and
// reports whether e was taken (false: seq out of order, or the log is
// forgotten; e is then not released either).
func (l *Log[T]) Restore(seq uint64, e T) bool {
	l.mu.Lock()
	if l.gone || seq < l.next || (l.items.len() > 0 && seq != l.next) {
		l.mu.Unlock()
		return false
	}
	if l.items.len() == 0 {
		l.first = seq
	}
	l.next = seq + 1
	l.items.push(e)
	l.notify()
	l.mu.Unlock()
	if l.bound != nil {
		l.bound.added(l)
	}
	return true
}

// Resume makes the next Append use at least next and adds evicted to the
// count of evicted entries, as a restored log goes on from where it
// stopped (entries the bound evicted while it was restored are counted
// already).
func (l *Log[T]) Resume(next, evicted uint64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if next > l.next {
		if l.items.len() == 0 {
			l.first = next
		}
		l.next = next
	}
	l.evicted += evicted
}

// State is a consistent view of a log's numbering.
type State struct {
	// First is the seq of the oldest held entry (Next when none is held).
	First uint64
	// Next is the seq the next Append gets.
	Next uint64
	// Evicted counts entries evicted by the bound.
	Evicted uint64
	// Rev counts updates (see UpdatedSince).
	Rev uint64
}

// Snapshot returns the log's State and runs fn (when not nil) under the
// same lock, so what fn reads is consistent with it: no entry is appended
// or updated meanwhile.
func (l *Log[T]) Snapshot(fn func()) State {
	l.mu.Lock()
	defer l.mu.Unlock()
	if fn != nil {
		fn()
	}
	return State{First: l.first, Next: l.next, Evicted: l.evicted, Rev: l.rev}
}

// SetEvicted sets the count Evicted reports, as a restored bound goes on
// counting from where it stopped.
func (b *Bound) SetEvicted(n uint64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.evicted = n
}
