package journal_test

import (
	"context"
	"sync/atomic"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/receiver/journal"
)

var _ = Describe("Release and FindMap", func() {
	It("hands every evicted or forgotten entry to Release, once, oldest first", func() {
		var released []uint64
		b := journal.NewBound(1500)
		l := journal.New(b, journal.Release(func(v *uint64) { released = append(released, *v) }))
		fill(l, 3000) // crosses chunk boundaries while evicting
		Expect(released).To(HaveLen(1500))
		for i, v := range released {
			Expect(v).To(Equal(uint64(i + 1)))
		}
		journal.Forget(b, l)
		Expect(released).To(HaveLen(3000))
		Expect(released[1500]).To(Equal(uint64(1501)))
		Expect(released[2999]).To(Equal(uint64(3000)))
	})

	It("keeps entries right when a full log reuses its emptied chunks", func() {
		b := journal.NewBound(2048)
		l := journal.New[uint64](b)
		for range 5 {
			fill(l, 1500)
		}
		all := seqs(l, 0)
		Expect(all).To(HaveLen(2048))
		for i, v := range all {
			Expect(v).To(Equal(uint64(7500 - 2048 + 1 + i)))
		}
	})

	It("converts only the entries it returns, under the log's lock", func() {
		l := journal.New[uint64](nil)
		fill(l, 10)
		var conv atomic.Int32
		double := func(v *uint64) uint64 { conv.Add(1); return 2 * *v }
		got := journal.FindMap(context.Background(), l, journal.Query[uint64]{After: 3, Limit: 2}, double)
		Expect(got).To(Equal([]uint64{8, 10}))
		Expect(conv.Load()).To(Equal(int32(2)))

		conv.Store(0)
		done := make(chan []uint64)
		go func() {
			done <- journal.FindMap(context.Background(), l, journal.Query[uint64]{After: 10, Min: 3, Wait: time.Minute}, double)
		}()
		for range 3 {
			Consistently(done).ShouldNot(Receive())
			fill(l, 1)
		}
		Eventually(done).Should(Receive(Equal([]uint64{22, 24, 26})))
		Expect(conv.Load()).To(Equal(int32(3)), "waking for the first two converted nothing")
	})
})
