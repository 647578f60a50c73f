package fault_test

import (
	"errors"
	"syscall"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/receiver/fault"
)

var _ = Describe("reset", func() {
	for _, useTLS := range []bool{false, true} {
		It("makes the client see connection reset by peer", func() {
			h := newHarness(`[{"fault":"reset"}]`, fault.Limits{}, useTLS)
			o := h.post(h.client(5*time.Second), nil)
			Expect(o.err).To(HaveOccurred())
			Expect(errors.Is(o.err, syscall.ECONNRESET)).To(BeTrue(), "want ECONNRESET, got %v", o.err)
			s := h.result(time.Second)
			Expect(s.err).NotTo(HaveOccurred())
			Expect(s.resp.Status).To(BeZero())
			Expect(s.resp.Fault).To(Equal("reset"))
		}, Label(map[bool]string{false: "http", true: "tls"}[useTLS]))
	}
})
