package receiver

import (
	"context"
	"errors"
	"net/http"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/receiver/api"
	"github.com/hookcheck/hookcheck/receiver/client"
)

var _ = Describe("Deleting a channel with waiting queries", func() {
	It("ends a waiting calls query at once with 410 Gone, and so the Go client's wait", func() {
		rv, err := Start(Config{TLSListen: Off, SMTPListen: Off})
		Expect(err).NotTo(HaveOccurred())
		DeferCleanup(rv.Close)
		c := client.New(rv.URL())
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		DeferCleanup(cancel)
		_, err = c.CreateChannel(ctx, api.ChannelRequest{ID: "doomed"})
		Expect(err).NotTo(HaveOccurred())
		ch := rv.channels.get("doomed")

		type result struct {
			calls []api.Call
			err   error
			took  time.Duration
		}
		query, wait := make(chan result, 1), make(chan result, 1)
		go func() {
			start := time.Now()
			list, err := c.Calls(ctx, "doomed", client.CallQuery{Wait: 45 * time.Second})
			query <- result{list.Calls, err, time.Since(start)}
		}()
		go func() {
			start := time.Now()
			calls, err := c.WaitCalls(ctx, "doomed", 0, 1, 45*time.Second)
			wait <- result{calls, err, time.Since(start)}
		}()
		Eventually(ch.log.Waiters, 10*time.Second, time.Millisecond).Should(Equal(2), "both are parked on the server")

		Expect(c.DeleteChannel(ctx, "doomed")).To(Succeed())
		for _, done := range []chan result{query, wait} {
			var res result
			Eventually(done, 10*time.Second).Should(Receive(&res), "the wait ends when the channel goes, not after 45s")
			Expect(res.took).To(BeNumerically("<", 45*time.Second))
			var e *api.Error
			Expect(errors.As(res.err, &e)).To(BeTrue(), "got %v", res.err)
			Expect(e.Status).To(Equal(http.StatusGone))
			Expect(e.Message).To(ContainSubstring(`channel "doomed" deleted while waiting`))
			Expect(res.calls).To(BeEmpty())
		}
	})
})
