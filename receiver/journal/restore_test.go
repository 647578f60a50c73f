package journal_test

import (
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/receiver/journal"
)

var _ = Describe("Restore and Resume", func() {
	It("refills a log under the entries' own seqs and goes on numbering after them", func() {
		b := journal.NewBound(100)
		l := journal.New[uint64](b)
		Expect(l.Restore(7, 7)).To(BeTrue())
		Expect(l.Restore(8, 8)).To(BeTrue())
		Expect(l.Restore(10, 10)).To(BeFalse(), "held entries stay consecutive")
		Expect(l.Restore(8, 8)).To(BeFalse(), "a seq is never taken twice")
		l.Resume(20, 4)
		Expect(seqs(l, 0)).To(Equal([]uint64{7, 8}))
		Expect(l.Append(func(seq uint64) uint64 { return seq })).To(Equal(uint64(20)))
		held, last, evicted := l.Stats()
		Expect([]any{held, last, evicted}).To(Equal([]any{3, uint64(20), uint64(4)}))
		Expect(b.Held()).To(Equal(3))
	})

	It("lets a restored log be evicted in the order it was restored", func() {
		b := journal.NewBound(2)
		x, y := journal.New[uint64](b), journal.New[uint64](b)
		Expect(x.Restore(1, 1)).To(BeTrue())
		Expect(y.Restore(5, 5)).To(BeTrue())
		Expect(x.Restore(2, 2)).To(BeTrue()) // over the bound: x's 1 goes
		Expect(seqs(x, 0)).To(Equal([]uint64{2}))
		Expect(seqs(y, 0)).To(Equal([]uint64{5}))
		b.SetEvicted(41)
		Expect(b.Evicted()).To(Equal(uint64(41)))
	})

	It("snapshots the numbering with fn run under the log's lock", func() {
		l := journal.New[uint64](nil)
		fill(l, 3)
		l.Update(2, func(*uint64) {})
		ran := false
		st := l.Snapshot(func() { ran = true })
		Expect(ran).To(BeTrue())
		Expect(st).To(Equal(journal.State{First: 1, Next: 4, Evicted: 0, Rev: 1}))
	})
})
