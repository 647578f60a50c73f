package receiver

import (
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/receiver/api"
	"github.com/hookcheck/hookcheck/receiver/client"
)

var _ = Describe("A data directory that fails at run time", func() {
	It("keeps answering and recording calls in memory, warns on the control API, and writes them once it works again", func() {
		cfg := Config{DataDir: filepath.Join(GinkgoT().TempDir(), "data"), TLSListen: Off, SMTPListen: Off}
		rv, err := Start(cfg)
		Expect(err).NotTo(HaveOccurred())
		DeferCleanup(rv.Close)
		c := client.New(rv.URL())
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		DeferCleanup(cancel)
		ch, err := c.CreateChannel(ctx, api.ChannelRequest{ID: "failing"})
		Expect(err).NotTo(HaveOccurred())

		full := func() error { return fmt.Errorf("write: %w", syscall.ENOSPC) }
		rv.persist.beforeCommit.Store(&full)
		hc := &http.Client{Timeout: 10 * time.Second}
		for i := range 20 {
			resp, err := hc.Post(ch.URL, "text/plain", strings.NewReader(fmt.Sprint(i)))
			Expect(err).NotTo(HaveOccurred())
			resp.Body.Close()
			Expect(resp.StatusCode).To(Equal(http.StatusOK))
		}
		calls, err := c.Calls(ctx, ch.ID, client.CallQuery{})
		Expect(err).NotTo(HaveOccurred())
		Expect(calls.Calls).To(HaveLen(20), "recorded in memory")
		Eventually(func(g Gomega) {
			h, err := c.Health(ctx)
			g.Expect(err).NotTo(HaveOccurred())
			g.Expect(h.Storage.Failing).To(BeTrue())
			g.Expect(h.Storage.Error).To(ContainSubstring("no space left on device"))
			g.Expect(h.Warnings).To(ContainElement(ContainSubstring("in memory only")))
			list, err := c.Channels(ctx)
			g.Expect(err).NotTo(HaveOccurred())
			g.Expect(list.Warnings).To(Equal(h.Warnings), "the inspector polls the channel list")
		}, 10*time.Second, 10*time.Millisecond).Should(Succeed())

		// A script change is answered while the disk fails, too.
		_, err = c.SetScript(ctx, ch.ID, []api.Rule{{Respond: &api.Respond{Status: 202}}})
		Expect(err).NotTo(HaveOccurred())

		rv.persist.beforeCommit.Store(nil)
		Eventually(func(g Gomega) {
			h, err := c.Health(ctx)
			g.Expect(err).NotTo(HaveOccurred())
			g.Expect(h.Storage.Failing).To(BeFalse())
			g.Expect(h.Storage.Calls).To(Equal(20), "every call still held is written on recovery")
			g.Expect(h.Storage.Failures).To(BeNumerically(">=", 1))
			g.Expect(h.Warnings).To(BeEmpty())
		}, 10*time.Second, 10*time.Millisecond).Should(Succeed())

		Expect(rv.Close()).To(Succeed())
		rv2, err := Start(cfg)
		Expect(err).NotTo(HaveOccurred())
		DeferCleanup(rv2.Close)
		c2 := client.New(rv2.URL())
		calls, err = c2.Calls(ctx, ch.ID, client.CallQuery{})
		Expect(err).NotTo(HaveOccurred())
		Expect(calls.Calls).To(HaveLen(20))
		script, err := c2.Script(ctx, ch.ID)
		Expect(err).NotTo(HaveOccurred())
		Expect(script.Script).To(HaveLen(1))
	})
})
