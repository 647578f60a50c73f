package fault_test

import (
	"errors"
	"io"
	"syscall"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/receiver/fault"
)

var _ = Describe("close", func() {
	for _, useTLS := range []bool{false, true} {
		It("closes cleanly before any response, so the client sees EOF", func() {
			h := newHarness(`[{"fault":"close"}]`, fault.Limits{}, useTLS)
			o := h.post(h.client(5*time.Second), nil)
			Expect(o.err).To(HaveOccurred())
			Expect(errors.Is(o.err, io.EOF)).To(BeTrue(), "want EOF, got %v", o.err)
			Expect(errors.Is(o.err, syscall.ECONNRESET)).To(BeFalse())
			s := h.result(time.Second)
			Expect(s.err).NotTo(HaveOccurred())
			Expect(s.resp.Status).To(BeZero())
			Expect(s.resp.Fault).To(Equal("close"))
		}, Label(map[bool]string{false: "http", true: "tls"}[useTLS]))
	}
})
