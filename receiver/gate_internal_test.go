package receiver

import (
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

var _ = Describe("gate", func() {
	It("turns requests away once shut, and waits for the ones inside", func() {
		var g gate
		Expect(g.enter()).To(BeTrue())
		Expect(g.close(time.Millisecond)).To(BeFalse(), "one request is still inside")
		Expect(g.enter()).To(BeFalse())
		done := make(chan bool)
		go func() { done <- g.close(time.Minute) }()
		g.exit()
		Eventually(done).Should(Receive(BeTrue()))
		Expect(g.close(0)).To(BeTrue(), "closing again reports the same")
	})

	It("closes at once when nothing is inside", func() {
		var g gate
		Expect(g.close(time.Minute)).To(BeTrue())
	})
})
