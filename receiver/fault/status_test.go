package fault_test

import (
	"net/http"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/receiver/fault"
)

var _ = Describe("status", func() {
	It("answers 200 OK with an empty body by default and records it", func() {
		h := newHarness(`[]`, fault.Limits{}, false)
		o := h.post(h.client(0), nil)
		Expect(o.err).NotTo(HaveOccurred())
		Expect(o.resp.StatusCode).To(Equal(http.StatusOK))
		Expect(o.body).To(BeEmpty())
		s := h.result(time.Second)
		Expect(s.err).NotTo(HaveOccurred())
		Expect(s.resp.Status).To(Equal(200))
		Expect(s.resp.Fault).To(BeEmpty())
		Expect(s.resp.Rule).To(Equal(-1))
	})

	It("sends 429 with Retry-After and a body, and records what it sent", func() {
		h := newHarness(`[{"respond":{"status":429,"headers":{"retry-after":"30","Content-Type":"application/json"},"body":"{\"error\":\"slow down\"}"}}]`, fault.Limits{}, false)
		o := h.post(h.client(0), nil)
		Expect(o.err).NotTo(HaveOccurred())
		Expect(o.resp.StatusCode).To(Equal(http.StatusTooManyRequests))
		Expect(o.resp.Header.Get("Retry-After")).To(Equal("30"))
		Expect(o.resp.Header.Get("Content-Type")).To(Equal("application/json"))
		Expect(string(o.body)).To(Equal(`{"error":"slow down"}`))
		s := h.result(time.Second)
		Expect(s.err).NotTo(HaveOccurred())
		Expect(s.resp.Status).To(Equal(429))
		Expect(s.resp.Rule).To(Equal(0))
		Expect(s.resp.Fault).To(BeEmpty())
		Expect(s.resp.Headers).To(HaveKeyWithValue("Retry-After", []string{"30"}))
		Expect(s.resp.Body).To(Equal(`{"error":"slow down"}`))
	})

	It("sends 410 Gone, then 204 without a body", func() {
		h := newHarness(`[{"times":1,"respond":{"status":410,"body":"gone"}},{"respond":{"status":204,"body":"dropped"}}]`, fault.Limits{}, true)
		c := h.client(0)
		o := h.post(c, nil)
		Expect(o.err).NotTo(HaveOccurred())
		Expect(o.resp.StatusCode).To(Equal(http.StatusGone))
		Expect(string(o.body)).To(Equal("gone"))
		o = h.post(c, nil)
		Expect(o.err).NotTo(HaveOccurred())
		Expect(o.resp.StatusCode).To(Equal(http.StatusNoContent))
		Expect(o.body).To(BeEmpty())
		Expect(h.result(time.Second).resp.Status).To(Equal(410))
		Expect(h.result(time.Second).resp.Body).To(BeEmpty())
	})
})
