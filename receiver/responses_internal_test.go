package receiver

import (
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/receiver/api"
)

var _ = Describe("responses", func() {
	It("shares one record among equal answers and keeps different ones apart", func() {
		var rs responses
		h := map[string][]string{"Content-Length": {"0"}}
		a := rs.intern(api.Response{Status: 200, Rule: -1, Headers: h})
		b := rs.intern(api.Response{Status: 200, Rule: -1, Headers: map[string][]string{"Content-Length": {"0"}}})
		Expect(b).To(BeIdenticalTo(a))
		for _, other := range []api.Response{
			{Status: 500, Rule: -1, Headers: h},
			{Status: 200, Rule: 0, Headers: h},
			{Status: 200, Rule: -1, Headers: h, DelayMs: 5},
			{Status: 200, Rule: -1, Headers: h, Body: "x"},
			{Status: 200, Rule: -1, Headers: h, Fault: "slow-body"},
			{Status: 200, Rule: -1, Headers: map[string][]string{"Content-Length": {"1"}}},
			{Status: 200, Rule: -1},
		} {
			p := rs.intern(other)
			Expect(p).NotTo(BeIdenticalTo(a))
			Expect(*p).To(Equal(other))
		}
	})
})
