package journal_test

import (
	"context"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/receiver/journal"
)

// fill appends n entries holding their own seq.
func fill(l *journal.Log[uint64], n int) {
	for range n {
		l.Append(func(seq uint64) uint64 { return seq })
	}
}

// seqs returns every held entry after after.
func seqs(l *journal.Log[uint64], after uint64) []uint64 {
	return l.Find(context.Background(), journal.Query[uint64]{After: after})
}

var _ = Describe("Log", func() {
	It("numbers entries from 1 and finds those after a seq, across storage chunks", func() {
		l := journal.New[uint64](nil)
		fill(l, 2500) // spans three chunks of 1024
		all := seqs(l, 0)
		Expect(all).To(HaveLen(2500))
		for i, s := range all {
			Expect(s).To(Equal(uint64(i + 1)))
		}
		Expect(seqs(l, 1023)).To(HaveLen(2500 - 1023))
		Expect(seqs(l, 1023)[0]).To(Equal(uint64(1024)))
		Expect(seqs(l, 2500)).To(BeEmpty())
		Expect(l.Next()).To(Equal(uint64(2501)))
	})

	It("filters, limits and updates entries in place", func() {
		l := journal.New[uint64](nil)
		fill(l, 10)
		even := l.Find(context.Background(), journal.Query[uint64]{Match: func(v *uint64) bool { return *v%2 == 0 }, Limit: 3})
		Expect(even).To(Equal([]uint64{2, 4, 6}))
		Expect(l.Update(7, func(v *uint64) { *v = 70 })).To(BeTrue())
		Expect(seqs(l, 6)[0]).To(Equal(uint64(70)))
		Expect(l.Update(11, func(v *uint64) {})).To(BeFalse())
	})

	It("wakes a waiting reader on the append itself", func() {
		l := journal.New[uint64](nil)
		got := make(chan []uint64, 1)
		go func() {
			got <- l.Find(context.Background(), journal.Query[uint64]{Min: 2, Wait: time.Minute})
		}()
		fill(l, 1)
		Consistently(got, 50*time.Millisecond).ShouldNot(Receive(), "one entry is not enough")
		fill(l, 1)
		Eventually(got, 5*time.Second).Should(Receive(Equal([]uint64{1, 2})))
	})

	It("returns what matches when the wait or the context ends", func() {
		l := journal.New[uint64](nil)
		fill(l, 1)
		Expect(l.Find(context.Background(), journal.Query[uint64]{Min: 5, Wait: 20 * time.Millisecond})).To(Equal([]uint64{1}))
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		Expect(l.Find(ctx, journal.Query[uint64]{Min: 5, Wait: time.Hour})).To(Equal([]uint64{1}))
	})
})

var _ = Describe("Bound", func() {
	It("evicts the oldest entry across logs and counts evictions", func() {
		b := journal.NewBound(1500)
		a, c := journal.New[uint64](b), journal.New[uint64](b)
		fill(a, 1000)
		fill(c, 1000) // 500 over: a's oldest 500 go
		held, last, evicted := a.Stats()
		Expect([]any{held, last, evicted}).To(Equal([]any{500, uint64(1000), uint64(500)}))
		Expect(seqs(a, 0)[0]).To(Equal(uint64(501)), "seqs are never reused")
		held, _, evicted = c.Stats()
		Expect([]any{held, evicted}).To(Equal([]any{1000, uint64(0)}))
		Expect(b.Held()).To(Equal(1500))
		Expect(b.Evicted()).To(Equal(uint64(500)))
		Expect(a.Update(500, func(*uint64) {})).To(BeFalse(), "an evicted entry is gone")
	})

	It("releases a forgotten log's share without counting it as evicted", func() {
		b := journal.NewBound(100)
		a, c := journal.New[uint64](b), journal.New[uint64](b)
		fill(a, 60)
		journal.Forget(b, a)
		Expect(b.Held()).To(Equal(0))
		fill(c, 100)
		held, _, evicted := c.Stats()
		Expect(held).To(Equal(100), "room freed by the forgotten log is used first")
		Expect(evicted).To(BeZero())
		Expect(b.Evicted()).To(BeZero())
		fill(c, 1)
		_, _, evicted = c.Stats()
		Expect(evicted).To(Equal(uint64(1)))
	})
})

var _ = Describe("Log updates", func() {
	It("wakes followers and names the updated seqs since a revision", func() {
		l := journal.New[uint64](nil)
		fill(l, 5)
		rev := l.Rev()
		changed := l.Changed()
		Expect(l.Update(2, func(v *uint64) { *v = 20 })).To(BeTrue())
		Expect(changed).To(BeClosed(), "an update wakes followers")
		Expect(l.Update(4, func(v *uint64) { *v = 40 })).To(BeTrue())
		seqs, now, complete := l.UpdatedSince(rev)
		Expect(seqs).To(Equal([]uint64{2, 4}))
		Expect(complete).To(BeTrue())
		seqs, _, _ = l.UpdatedSince(now)
		Expect(seqs).To(BeEmpty())
	})

	It("says when its bounded history no longer covers a revision", func() {
		l := journal.New[uint64](nil)
		fill(l, 1)
		for range 1500 {
			l.Update(1, func(*uint64) {})
		}
		seqs, now, complete := l.UpdatedSince(0)
		Expect(complete).To(BeFalse())
		Expect(seqs).To(HaveLen(1024))
		Expect(now).To(Equal(uint64(1500)))
		seqs, _, complete = l.UpdatedSince(now - 3)
		Expect(seqs).To(Equal([]uint64{1, 1, 1}))
		Expect(complete).To(BeTrue())
	})
})
