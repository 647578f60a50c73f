package receiver

import (
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

var _ = Describe("hostPolicy", func() {
	DescribeTable("accepts a Host by the listen addresses",
		func(listeners []string, host string, want bool) {
			Expect(newHostPolicy(listeners, "", nil).hostOK(host)).To(Equal(want))
		},
		Entry("the address of a listener on one interface", []string{"192.168.1.5:8088"}, "192.168.1.5:8088", true),
		Entry("another address", []string{"192.168.1.5:8088"}, "192.168.1.6:8088", false),
		Entry("any address of a wildcard IPv4 listener", []string{"0.0.0.0:8088"}, "10.1.2.3:8088", true),
		Entry("any address of a wildcard IPv6 listener", []string{"[::]:8088"}, "[2001:db8::1]:8088", true),
		Entry("but never a name it was not given", []string{"0.0.0.0:8088"}, "rebind.attacker.example:8088", false),
		Entry("IPv4-mapped loopback", []string{"127.0.0.1:8088"}, "[::ffff:127.0.0.1]:8088", true),
		Entry("a name that only starts like localhost", []string{"127.0.0.1:8088"}, "localhost.attacker.example", false),
	)

	It("takes the public URL's Origin as the receiver's own, whatever Host the tunnel sends", func() {
		p := newHostPolicy([]string{"127.0.0.1:8088"}, "https://Hooks.Example.net", nil)
		Expect(p.originOK("https://hooks.example.net", "127.0.0.1:8088")).To(BeTrue())
		Expect(p.originOK("http://hooks.example.net", "127.0.0.1:8088")).To(BeFalse(), "another scheme is another origin")
		Expect(p.originOK("http://127.0.0.1:8088", "127.0.0.1:8088")).To(BeTrue())
		Expect(p.originOK("http://127.0.0.1:8089", "127.0.0.1:8088")).To(BeFalse())
	})
})
