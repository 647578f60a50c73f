package receiver

import (
	"bytes"
	"net/http"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

var _ = Describe("Receiver memory", func() {
	It("maps no new call memory once the journal is at its bound, however many calls follow", func() {
		rv, err := Start(Config{MaxCalls: 500, TLSListen: Off, SMTPListen: Off})
		Expect(err).NotTo(HaveOccurred())
		DeferCleanup(rv.Close)
		body := []byte(`{"Event":"contact.changed","pad":"` + strings.Repeat("x", 1000) + `"}`)
		send := func(n int) {
			GinkgoHelper()
			for range n {
				resp, err := http.Post(rv.URL()+"/hooks/mem", "application/json", bytes.NewReader(body))
				Expect(err).NotTo(HaveOccurred())
				resp.Body.Close()
				Expect(resp.StatusCode).To(Equal(http.StatusOK))
			}
		}
		send(500)
		atBound := rv.channels.bufs.mappedBytes()
		Expect(atBound).To(BeNumerically(">", 0))
		send(3000)
		Expect(rv.channels.bufs.mappedBytes()).To(Equal(atBound))
		Expect(rv.channels.bound.Held()).To(Equal(500))
	})

	It("releases the call memory when it closes", func() {
		rv, err := Start(Config{TLSListen: Off, SMTPListen: Off})
		Expect(err).NotTo(HaveOccurred())
		resp, err := http.Post(rv.URL()+"/hooks/mem", "application/json", strings.NewReader("{}"))
		Expect(err).NotTo(HaveOccurred())
		resp.Body.Close()
		Expect(rv.channels.bufs.mappedBytes()).To(BeNumerically(">", 0))
		Expect(rv.Close()).To(Succeed())
		Expect(rv.channels.bufs.mappedBytes()).To(BeZero())
		Expect(rv.channels.bound.Held()).To(BeZero())
	})
})
