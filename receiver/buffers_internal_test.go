package receiver

import (
	"sync"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

// sameMemory reports whether a and b start at the same byte.
func sameMemory(a, b []byte) bool {
	return cap(a) > 0 && cap(b) > 0 && &a[:1][0] == &b[:1][0]
}

var _ = Describe("callBuffers", func() {
	It("sizes classes to fit with at most a fifth of slack, and names each size once", func() {
		seen := map[int]int{}
		for n := 1; n <= maxPooled; n += 1 + n/97 {
			idx, size := class(n)
			Expect(size).To(BeNumerically(">=", n), "n=%d", n)
			if n > minClass {
				Expect(float64(size-n)/float64(size)).To(BeNumerically("<", 0.2), "n=%d size=%d", n, size)
			}
			Expect(classSize(idx)).To(Equal(size), "n=%d", n)
			if prev, ok := seen[idx]; ok {
				Expect(prev).To(Equal(size))
			}
			seen[idx] = size
		}
		last, _ := class(maxPooled)
		Expect(last).To(Equal(numClasses - 1))
		for idx := range numClasses {
			got, size := class(classSize(idx))
			Expect(got).To(Equal(idx))
			Expect(size).To(Equal(classSize(idx)))
		}
	})

	It("hands a returned buffer to the next call of its class", func() {
		p := &callBuffers{}
		DeferCleanup(p.release)
		a := p.get(1000)
		Expect(a).To(BeEmpty())
		Expect(cap(a)).To(BeNumerically(">=", 1000))
		p.put(append(a, "abc"...))
		b := p.get(1000)
		Expect(sameMemory(a, b)).To(BeTrue())
		Expect(b).To(BeEmpty(), "a recycled buffer comes back empty")
		Expect(p.mappedBytes()).To(Equal(slabSize))
	})

	It("lends a slightly bigger free buffer before cutting a new one", func() {
		p := &callBuffers{}
		DeferCleanup(p.release)
		big := p.get(1200)
		p.put(big)
		small := p.get(1000) // one class below
		Expect(sameMemory(big, small)).To(BeTrue())
		p.put(small)
		Expect(sameMemory(p.get(1200), big)).To(BeTrue(), "it goes back to its own class")
	})

	It("leaves oversized buffers, and buffers it did not hand out, to the garbage collector", func() {
		p := &callBuffers{}
		DeferCleanup(p.release)
		huge := p.get(maxPooled + 1)
		Expect(cap(huge)).To(Equal(maxPooled + 1))
		p.put(huge)
		odd := make([]byte, 0, 1001)
		p.put(odd)
		Expect(sameMemory(p.get(1001), odd)).To(BeFalse())
		Expect(p.mappedBytes()).To(Equal(slabSize))
	})

	It("grows a buffer by moving it, keeping its bytes and recycling the old one", func() {
		p := &callBuffers{}
		DeferCleanup(p.release)
		a := append(p.get(300), make([]byte, 300)...)
		a[0], a[299] = 'x', 'y'
		b := p.grow(a[:cap(a)], 1000)
		Expect(cap(b) - len(b)).To(BeNumerically(">=", 1000))
		Expect(b[0]).To(Equal(byte('x')))
		Expect(b[299]).To(Equal(byte('y')))
		Expect(sameMemory(p.get(cap(a)), a)).To(BeTrue())
		Expect(p.grow(b, 1)).To(HaveLen(len(b)), "room enough: the same buffer")
	})

	It("fits a mostly empty buffer into a right-sized one and takes the big one back", func() {
		p := &callBuffers{}
		DeferCleanup(p.release)
		big := append(p.get(20<<10), "abc"...)
		small := p.fit(big)
		Expect(string(small)).To(Equal("abc"))
		_, want := class(3)
		Expect(cap(small)).To(Equal(want))
		Expect(p.lentBuffers()).To(Equal(1), "the big one is back")
		Expect(sameMemory(p.get(20<<10), big)).To(BeTrue(), "and lent again")
		full := append(p.get(1000), make([]byte, 1000)...)
		Expect(sameMemory(p.fit(full), full)).To(BeTrue(), "a buffer of its own class stays")
	})

	It("cuts the end of a full slab into free buffers instead of wasting it", func() {
		p := &callBuffers{}
		DeferCleanup(p.release)
		_, size := class(600 << 10) // 640 KiB: six fill a slab but for 256 KiB
		Expect(size).To(Equal(640 << 10))
		for range 7 {
			p.get(600 << 10)
		}
		Expect(p.mappedBytes()).To(Equal(2 * slabSize))
		idx, _ := class(256 << 10)
		Expect(p.free[idx]).To(HaveLen(1))
		tail := p.free[idx][0]
		Expect(cap(tail)).To(Equal(256 << 10))
		Expect(sameMemory(p.get(250<<10), tail)).To(BeTrue(), "the next call of its size gets it")
	})

	It("hands out heap buffers once released", func() {
		p := &callBuffers{}
		a := p.get(500)
		p.put(a)
		Expect(p.release()).To(Succeed())
		Expect(p.mappedBytes()).To(BeZero())
		b := p.get(500)
		Expect(cap(b)).To(BeNumerically(">=", 500))
		Expect(sameMemory(a, b)).To(BeFalse())
		p.put(b) // ignored, not kept
		Expect(p.free[0]).To(BeEmpty())
	})

	It("is safe for concurrent use, and no buffer is handed to two holders at once", func() {
		p := &callBuffers{}
		DeferCleanup(p.release)
		var mu sync.Mutex
		held := map[*byte]bool{}
		var wg sync.WaitGroup
		for g := range 8 {
			wg.Add(1)
			go func() {
				defer GinkgoRecover()
				defer wg.Done()
				for i := range 500 {
					b := p.get(256 + (g*131+i*17)%5000)
					mu.Lock()
					Expect(held[&b[:1][0]]).To(BeFalse())
					held[&b[:1][0]] = true
					mu.Unlock()
					mu.Lock()
					delete(held, &b[:1][0])
					mu.Unlock()
					p.put(b)
				}
			}()
		}
		wg.Wait()
	})
})
