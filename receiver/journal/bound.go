package journal

import "sync"

// evicter is the part of a Log a Bound needs; it lets one Bound serve logs
// of different entry types.
type evicter interface{ evictOldest() }

// Bound caps the total number of entries held by the logs that share it.
// When an append takes the total over the cap, the oldest entry across all
// those logs is evicted. A zero or negative cap means no bound.
type Bound struct {
	mu      sync.Mutex
	max     int
	order   []evicter // ring of the owning log of each held entry, oldest at head
	head    int
	size    int
	evicted uint64
	gone    map[evicter]int // entries of forgotten logs still in the ring
}

// NewBound returns a Bound that holds at most max entries in all.
func NewBound(max int) *Bound {
	b := &Bound{max: max, gone: map[evicter]int{}}
	if max > 0 {
		b.order = make([]evicter, max)
	}
	return b
}

// added records an entry appended to l and evicts the oldest entry when the
// cap is exceeded.
func (b *Bound) added(l evicter) {
	if b.max <= 0 {
		return
	}
	var victim evicter
	b.mu.Lock()
	for b.size == b.max {
		v := b.order[b.head]
		b.order[b.head] = nil
		b.head = (b.head + 1) % b.max
		b.size--
		if n, ok := b.gone[v]; ok { // its entries were already dropped
			if n <= 1 {
				delete(b.gone, v)
			} else {
				b.gone[v] = n - 1
			}
			continue
		}
		victim = v
		b.evicted++
	}
	b.order[(b.head+b.size)%b.max] = l
	b.size++
	b.mu.Unlock()
	if victim != nil {
		victim.evictOldest()
	}
}

// Forget drops every entry of l and releases its share of the bound; the
// caller must not append to l afterwards.
func Forget[T any](b *Bound, l *Log[T]) {
	n := l.drop()
	if b == nil || b.max <= 0 || n == 0 {
		return
	}
	b.mu.Lock()
	b.gone[l] += n
	b.mu.Unlock()
}

// Clear drops every entry l holds now and releases their share of the
// bound; unlike Forget, l stays in use and later appends are held and
// counted as before. It returns how many entries it dropped.
func Clear[T any](b *Bound, l *Log[T]) int {
	n := l.clear()
	if b == nil || b.max <= 0 || n == 0 {
		return n
	}
	// The dropped entries are the oldest of l in the ring, so the next n
	// slots of l to reach the head are theirs: skipped, not evicted.
	b.mu.Lock()
	b.gone[l] += n
	b.mu.Unlock()
	return n
}

// Evicted reports how many entries the bound has evicted in all.
func (b *Bound) Evicted() uint64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.evicted
}

// Held reports how many entries the bound currently counts.
func (b *Bound) Held() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	n := b.size
	for _, g := range b.gone {
		n -= g
	}
	return n
}
