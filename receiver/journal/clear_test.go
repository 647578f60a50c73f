package journal_test

import (
	"context"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/receiver/journal"
)

var _ = Describe("Clear", func() {
	It("lets go of every held entry and keeps the log in use, seqs going on", func() {
		var released []uint64
		b := journal.NewBound(100)
		l := journal.New(b, journal.Release(func(v *uint64) { released = append(released, *v) }))
		fill(l, 3)
		Expect(journal.Clear(b, l)).To(Equal(3))
		Expect(released).To(Equal([]uint64{1, 2, 3}))
		held, last, evicted := l.Stats()
		Expect(held).To(BeZero())
		Expect(last).To(Equal(uint64(3)))
		Expect(evicted).To(BeZero(), "cleared is not evicted")
		Expect(b.Held()).To(BeZero())
		Expect(l.Forgotten()).To(BeFalse())

		fill(l, 2)
		Expect(seqs(l, 0)).To(Equal([]uint64{4, 5}))
		Expect(b.Held()).To(Equal(2))
	})

	It("wakes a waiting reader, which goes on waiting for new entries", func() {
		b := journal.NewBound(100)
		l := journal.New[uint64](b)
		fill(l, 2)
		done := make(chan []uint64, 1)
		go func() {
			done <- l.Find(context.Background(), journal.Query[uint64]{After: 2, Wait: time.Hour})
		}()
		Eventually(l.Waiters, 5*time.Second, time.Millisecond).Should(Equal(1))
		journal.Clear(b, l)
		fill(l, 1)
		var got []uint64
		Eventually(done, 5*time.Second).Should(Receive(&got))
		Expect(got).To(Equal([]uint64{3}), "the reader woke by the clear must wait on, not return empty")
	})

	It("does not let the bound evict a newer entry in place of a cleared one", func() {
		b := journal.NewBound(3)
		a := journal.New[uint64](b)
		other := journal.New[uint64](b)
		fill(a, 2)
		fill(other, 1)
		journal.Clear(b, a)
		fill(a, 2) // seqs 3, 4: the bound holds 3 of 3 (other's 1, a's 3 and 4)
		Expect(b.Held()).To(Equal(3))
		Expect(seqs(a, 0)).To(Equal([]uint64{3, 4}))
		fill(a, 1) // seq 5: over the bound, so the oldest held entry (other's) goes
		Expect(seqs(a, 0)).To(Equal([]uint64{3, 4, 5}))
		Expect(seqs(other, 0)).To(BeEmpty())
		Expect(b.Held()).To(Equal(3))
		Expect(b.Evicted()).To(Equal(uint64(1)))
	})
})
