package receiver

import (
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/receiver/api"
)

var _ = Describe("responses", func() {
	It("shares one row among equal answers and keeps different ones apart", func() {
		var rs responses
		h := map[string][]string{"Content-Length": {"0"}}
		a := rs.intern(&api.Response{Status: 200, Rule: -1, Headers: h})
		b := rs.intern(&api.Response{Status: 200, Rule: -1, Headers: map[string][]string{"Content-Length": {"0"}}})
		Expect(a).NotTo(BeZero())
		Expect(b).To(Equal(a))
		for _, other := range []api.Response{
			{Status: 500, Rule: -1, Headers: h},
			{Status: 200, Rule: 0, Headers: h},
			{Status: 200, Rule: -1, Headers: h, DelayMs: 5},
			{Status: 200, Rule: -1, Headers: h, Body: "x"},
			{Status: 200, Rule: -1, Headers: h, Fault: "slow-body"},
			{Status: 200, Rule: -1, Headers: map[string][]string{"Content-Length": {"1"}}},
			{Status: 200, Rule: -1},
		} {
			i := rs.intern(&other)
			Expect(i).NotTo(Equal(a))
			Expect(*rs.get(i)).To(Equal(other))
		}
		Expect(rs.get(0)).To(BeNil())
	})

	It("drops a row when its last holder goes, and reuses its slot", func() {
		var rs responses
		r := api.Response{Status: 503, Rule: 0}
		i := rs.intern(&r)
		Expect(rs.intern(&r)).To(Equal(i))
		rs.release(i)
		Expect(rs.get(i)).To(Equal(&r), "one holder left")
		rs.release(i)
		Expect(rs.get(i)).To(BeNil())
		Expect(rs.held()).To(BeZero())
		j := rs.intern(&api.Response{Status: 200})
		Expect(j).To(Equal(i), "the slot is reused")
		Expect(rs.get(j).Status).To(Equal(200))
		rs.release(0) // no row: nothing happens
		Expect(rs.held()).To(Equal(1))
	})
})
