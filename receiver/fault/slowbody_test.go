package fault_test

import (
	"io"
	"net/http"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/receiver/fault"
)

var _ = Describe("slow-body", func() {
	body := strings.Repeat("0123456789", 10)

	It("sends status and headers at once, then the full body over the duration", func() {
		h := newHarness(`[{"respond":{"status":202,"headers":{"X-Slow":"yes"},"body":"`+body+`"},"fault":{"type":"slow-body","duration":"300ms"}}]`, fault.Limits{}, false)
		req, err := http.NewRequest(http.MethodPost, h.srv.URL+"/hooks/x", strings.NewReader("{}"))
		Expect(err).NotTo(HaveOccurred())
		start := time.Now()
		resp, err := h.client(5 * time.Second).Do(req)
		Expect(err).NotTo(HaveOccurred())
		defer resp.Body.Close()
		Expect(time.Since(start)).To(BeNumerically("<", 250*time.Millisecond), "headers should not wait for the 300 ms body")
		Expect(resp.StatusCode).To(Equal(202))
		Expect(resp.Header.Get("X-Slow")).To(Equal("yes"))
		Expect(resp.ContentLength).To(Equal(int64(len(body))))
		got, err := io.ReadAll(resp.Body)
		Expect(err).NotTo(HaveOccurred())
		elapsed := time.Since(start)
		Expect(string(got)).To(Equal(body))
		Expect(elapsed).To(BeNumerically(">=", 300*time.Millisecond))
		Expect(elapsed).To(BeNumerically("<", 300*time.Millisecond+slack))
		s := h.result(time.Second)
		Expect(s.err).NotTo(HaveOccurred())
		Expect(s.resp.Status).To(Equal(202))
		Expect(s.resp.Fault).To(Equal("slow-body"))
		Expect(s.resp.Body).To(Equal(body))
	})

	It("stops dribbling when the client goes away and records the part sent", func() {
		h := newHarness(`[{"respond":{"body":"`+body+`"},"fault":{"type":"slow-body","duration":"5s"}}]`, fault.Limits{}, false)
		resp, err := h.client(0).Post(h.srv.URL+"/hooks/x", "application/json", strings.NewReader("{}"))
		Expect(err).NotTo(HaveOccurred())
		first := make([]byte, 1)
		_, err = io.ReadFull(resp.Body, first)
		Expect(err).NotTo(HaveOccurred())
		Expect(resp.Body.Close()).To(Succeed())
		s := h.result(2 * time.Second)
		Expect(s.err).To(MatchError(ContainSubstring("client went away")))
		Expect(s.resp.Status).To(Equal(200))
		Expect(len(s.resp.Body)).To(BeNumerically("<", len(body)))
		Expect(body).To(HavePrefix(s.resp.Body))
	})
})
