package fault_test

import (
	"bufio"
	"io"
	"net"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/receiver/fault"
)

var _ = Describe("garbage", func() {
	It("makes the client fail with a protocol error", func() {
		h := newHarness(`[{"fault":"garbage"}]`, fault.Limits{}, false)
		c := h.client(5 * time.Second)
		for range 5 {
			o := h.post(c, nil)
			Expect(o.err).To(MatchError(ContainSubstring("malformed HTTP")))
			s := h.result(time.Second)
			Expect(s.err).NotTo(HaveOccurred())
			Expect(s.resp.Status).To(BeZero())
			Expect(s.resp.Fault).To(Equal("garbage"))
		}
	})

	It("writes exactly the drawn bytes, not HTTP, then closes", func() {
		h := newHarness(`[{"seed":1,"fault":{"type":"garbage","bytes":10}}]`, fault.Limits{}, false)
		conn, err := net.Dial("tcp", h.srv.Listener.Addr().String())
		Expect(err).NotTo(HaveOccurred())
		defer conn.Close()
		Expect(conn.SetDeadline(time.Now().Add(5 * time.Second))).To(Succeed())
		_, err = io.WriteString(conn, "POST /hooks/x HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}")
		Expect(err).NotTo(HaveOccurred())
		got, err := io.ReadAll(bufio.NewReader(conn))
		Expect(err).NotTo(HaveOccurred())
		s := h.result(time.Second)
		Expect(got).To(Equal(s.plan.Data))
		Expect(got).To(HaveLen(10))
		Expect(string(got)).NotTo(HavePrefix("HTTP/"))
	})
})
