package receiver

import (
	"errors"
	"fmt"
	"math/bits"
	"sync"
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
// receiver closes. Buffers come in size classes, four per doubling from
// 256 bytes to maxPooled (at most a fifth of a buffer is slack); bigger
// ones are ordinary heap allocations left to the garbage collector.
// callBuffers is safe for concurrent use.
type callBuffers struct {
	mu     sync.Mutex
	free   [numClasses][][]byte
	rest   []byte   // the uncut end of the newest slab
	slabs  [][]byte // every slab mapped, for release
	mapped int      // bytes in slabs
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
// to a bigger buffer (and handing b back) when it is full.
func (p *callBuffers) grow(b []byte, n int) []byte {
	if cap(b)-len(b) >= n {
		return b
	}
	nb := append(p.get(max(len(b)+n, 2*cap(b))), b...)
	p.put(b)
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
		p.free[idx] = append(p.free[idx], b[:0])
	}
	p.mu.Unlock()
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
	p.free, p.rest, p.slabs, p.mapped, p.closed = [numClasses][][]byte{}, nil, nil, 0, true
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("release call memory: %w", err)
	}
	return nil
}
