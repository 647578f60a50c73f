package journal_test

import (
	"context"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/receiver/journal"
)

var _ = Describe("Forget", func() {
	It("wakes a waiting reader at once, with nothing, and says the log is forgotten", func() {
		b := journal.NewBound(100)
		l := journal.New[uint64](b)
		fill(l, 2)
		done := make(chan []uint64, 1)
		go func() { done <- l.Find(context.Background(), journal.Query[uint64]{After: 2, Wait: time.Hour}) }()
		Eventually(l.Waiters, 5*time.Second, time.Millisecond).Should(Equal(1))
		Expect(l.Forgotten()).To(BeFalse())

		journal.Forget(b, l)
		var got []uint64
		Eventually(done, 5*time.Second).Should(Receive(&got), "the reader waits for its hour")
		Expect(got).To(BeEmpty())
		Expect(l.Forgotten()).To(BeTrue())
		Expect(l.Waiters()).To(BeZero())
		Expect(l.Find(context.Background(), journal.Query[uint64]{Wait: time.Hour})).To(BeEmpty(), "a later wait ends at once too")
	})

	It("lets go of an append that comes after, without holding or counting it", func() {
		var released []uint64
		b := journal.NewBound(100)
		l := journal.New(b, journal.Release(func(v *uint64) { released = append(released, *v) }))
		fill(l, 1)
		journal.Forget(b, l)
		seq := l.Append(func(seq uint64) uint64 { return seq })
		Expect(seq).To(Equal(uint64(2)))
		Expect(released).To(Equal([]uint64{1, 2}))
		held, last, _ := l.Stats()
		Expect(held).To(BeZero())
		Expect(last).To(Equal(uint64(2)))
		Expect(b.Held()).To(BeZero())
	})
})
