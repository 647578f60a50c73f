package receiver

import (
	"errors"
	"fmt"
	"math/bits"
	"sync"
	"unsafe"
)

// callBuffers hands out the byte buffers that hold recorded calls and
// takes them back when the journal lets go of a call (evicted at
// --max-calls, cleared, or its channel deleted), for a later call of about
// the same size. Buffers are cut from large slabs mapped outside the Go
// heap (mapSlab). Two things follow, and both are why it exists:
//
//   - A receiver at its bound allocates no new call memory: its memory
//     stays flat however many calls go by.
//   - The garbage collector neither scans the held calls nor counts them
//     in its heap goal, so a full journal does not make it let the
//     per-request garbage of net/http spread over hundreds of megabytes.
//
// The price is that call memory stays at its high-water mark until the
// receiver closes; only the big buffers fit hands back (the room made for
// a body that never came) give their pages back to the system at once. Buffers come in size classes, four per doubling from
// 256 bytes to maxPooled (at most a fifth of a buffer is slack); bigger
// ones are ordinary heap allocations left to the garbage collector.
// callBuffers is safe for concurrent use.
type callBuffers struct {
	mu     sync.Mutex
	free   [numClasses][][]byte
	rest   []byte   // the uncut end of the newest slab
	slabs  [][]byte // every slab mapped, for release
	mapped int      // bytes in slabs
	lent   int      // buffers of a class size handed out by get and not yet put back
	closed bool     // released: hand out heap buffers only
}

const (
	minClass   = 256
	maxPooled  = 1 << 20
	numClasses = 1 + 4*(20-8) // 256, then 4 classes per doubling up to 1 MiB
	slabSize   = 4 << 20
	// borrowUp is how many larger classes get may take a free buffer
	// from before cutting a new one, so a change to smaller calls reuses
	// the memory of bigger ones.
	borrowUp = 2
)

// class returns the size class of a buffer of at least n bytes: its index
// and capacity. n must be at most maxPooled.
func class(n int) (idx, size int) {
	if n <= minClass {
		return 0, minClass
	}
	e := bits.Len(uint(n-1)) - 1 // 2^e < n <= 2^(e+1)
	step := 1 << (e - 2)
	k := (n + step - 1) / step // 5..8
	return 1 + (e-8)*4 + (k - 5), k * step
}

// classSize returns the capacity of class idx.
func classSize(idx int) int {
	if idx == 0 {
		return minClass
	}
	e := 8 + (idx-1)/4
	return (5 + (idx-1)%4) << (e - 2)
}

// get returns an empty buffer with room for at least n bytes.
func (p *callBuffers) get(n int) []byte {
	if n > maxPooled {
		return make([]byte, 0, n)
	}
	idx, size := class(n)
	p.mu.Lock()
	defer p.mu.Unlock()
	p.lent++
	for c := idx; c <= min(idx+borrowUp, numClasses-1); c++ {
		if l := p.free[c]; len(l) > 0 {
			b := l[len(l)-1]
			l[len(l)-1] = nil
			p.free[c] = l[:len(l)-1]
			return b
		}
	}
	if p.closed {
		return make([]byte, 0, size)
	}
	if len(p.rest) < size {
		if err := p.newSlab(); err != nil {
			return make([]byte, 0, size) // no mapping: the heap still works
		}
	}
	b := p.rest[:0:size]
	p.rest = p.rest[size:]
	return b
}

// newSlab maps a fresh slab, first cutting what is left of the current one
// into free buffers of the largest classes that fit. p.mu must be held.
func (p *callBuffers) newSlab() error {
	s, err := mapSlab(slabSize)
	if err != nil {
		return fmt.Errorf("map a %d-byte slab: %w", slabSize, err)
	}
	for len(p.rest) >= minClass {
		idx, size := class(len(p.rest))
		if size > len(p.rest) {
			idx--
			size = classSize(idx)
		}
		p.free[idx] = append(p.free[idx], p.rest[:0:size])
		p.rest = p.rest[size:]
	}
	p.slabs = append(p.slabs, s)
	p.mapped += len(s)
	p.rest = s
	return nil
}

// grow returns b with room for at least n more bytes, moving its contents
// to a bigger buffer (and handing b back) when it is full. The caller
// picks n: readBody doubles at most, so a body's buffer is never more than
// twice what has arrived.
func (p *callBuffers) grow(b []byte, n int) []byte {
	if cap(b)-len(b) >= n {
		return b
	}
	nb := append(p.get(len(b)+n), b...)
	p.put(b)
	return nb
}

// fit returns b in the smallest buffer that holds it: when b's own buffer
// is of a bigger class (an aborted body, cut off long before the room made
// for it was filled), its bytes move to a right-sized one and the big one
// goes back with its pages returned to the system (putCold), so a call
// keeps only what arrived.
func (p *callBuffers) fit(b []byte) []byte {
	if len(b) > maxPooled {
		if cap(b) <= len(b)+len(b)/4 {
			return b
		}
	} else if _, size := class(max(len(b), 1)); size >= cap(b) {
		return b
	}
	nb := append(p.get(len(b)), b...)
	p.putCold(b)
	return nb
}

// put hands back a buffer from get. Buffers of no class size came from
// the heap and are left to the garbage collector.
func (p *callBuffers) put(b []byte) {
	c := cap(b)
	if c > maxPooled || c < minClass {
		return
	}
	idx, size := class(c)
	if size != c {
		return
	}
	p.mu.Lock()
	if !p.closed {
		p.lent--
		p.free[idx] = append(p.free[idx], b[:0])
	}
	p.mu.Unlock()
}

// putCold hands back a buffer like put, and first gives its whole pages
// back to the system (dropPages): the buffer stays free for a later call,
// but holds no resident memory until one writes to it. It is for the rare
// big buffer that is unlikely to be needed again soon (see fit); the
// journal's hot path uses put.
func (p *callBuffers) putCold(b []byte) {
	c := cap(b)
	if c > maxPooled || c < minClass {
		return
	}
	idx, size := class(c)
	if size != c {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return
	}
	p.lent--
	if p.inSlab(b) {
		dropPages(b[:c]) // under the lock: release cannot unmap it meanwhile
	}
	p.free[idx] = append(p.free[idx], b[:0])
}

// inSlab reports whether b was cut from one of the slabs (not a heap
// buffer get fell back on). p.mu must be held.
func (p *callBuffers) inSlab(b []byte) bool {
	b = b[:cap(b)]
	if len(b) == 0 {
		return false
	}
	from := uintptr(unsafe.Pointer(&b[0]))
	to := from + uintptr(len(b))
	for _, s := range p.slabs {
		if start := uintptr(unsafe.Pointer(unsafe.SliceData(s))); from >= start && to <= start+uintptr(len(s)) {
			return true
		}
	}
	return false
}

// lentBuffers reports how many pooled buffers are handed out: held by the
// journal or by a request being recorded.
func (p *callBuffers) lentBuffers() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.lent
}

// mappedBytes reports the bytes of slab memory mapped so far.
func (p *callBuffers) mappedBytes() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.mapped
}

// release returns every slab to the system. No buffer from get may be used
// afterwards; later gets hand out heap buffers.
func (p *callBuffers) release() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	var errs []error
	for _, s := range p.slabs {
		if err := unmapSlab(s); err != nil {
			errs = append(errs, err)
		}
	}
	p.free, p.rest, p.slabs, p.mapped, p.lent, p.closed = [numClasses][][]byte{}, nil, nil, 0, 0, true
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("release call memory: %w", err)
	}
	return nil
}
