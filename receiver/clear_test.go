package receiver_test

import (
	"net/http"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/receiver"
	"github.com/hookcheck/hookcheck/receiver/api"
	"github.com/hookcheck/hookcheck/receiver/client"
)

var _ = Describe("Clearing a channel's calls", func() {
	It("lets go of the held calls and keeps the channel, its secret, its script and its numbering", func() {
		_, c := startReceiver(receiver.Config{TLSListen: receiver.Off, SMTPListen: receiver.Off})
		ch := newChannel(c, api.ChannelRequest{Secret: "s3cret", Script: []api.Rule{{Respond: &api.Respond{Status: 503}}}})
		other := newChannel(c, api.ChannelRequest{})
		hc := freshClient(callWait)
		for range 3 {
			Expect(post(hc, ch.URL, []byte(`{}`), nil)).To(Equal(503))
		}
		Expect(post(hc, other.URL, []byte(`{}`), nil)).To(Equal(200))
		waitCalls(c, ch.ID, 0, 3)

		got, err := c.ClearCalls(specCtx(), ch.ID)
		Expect(err).NotTo(HaveOccurred())
		Expect(got).To(Equal(api.Cleared{Cleared: 3, Last: 3}))
		Expect(allCalls(c, ch.ID).Calls).To(BeEmpty())
		info, err := c.Channel(specCtx(), ch.ID)
		Expect(err).NotTo(HaveOccurred())
		Expect(info.Calls).To(BeZero())
		Expect(info.Evicted).To(BeZero(), "cleared calls are not evicted ones")
		Expect(info.HasSecret).To(BeTrue())
		Expect(info.Rules).To(Equal(1))
		Expect(allCalls(c, other.ID).Calls).To(HaveLen(1), "another channel keeps its calls")
		health, err := c.Health(specCtx())
		Expect(err).NotTo(HaveOccurred())
		Expect(health.Calls).To(Equal(1), "the cleared calls no longer count against --max-calls")

		Expect(post(hc, ch.URL, []byte(`{}`), nil)).To(Equal(503), "the script still runs")
		Expect(callNo(c, ch.ID, 4).Signature).To(Equal(api.SignatureMissing), "the secret is kept; seqs go on")
	})

	It("answers 404 for an unknown channel and 405 for another method", func() {
		rv, c := startReceiver(receiver.Config{TLSListen: receiver.Off, SMTPListen: receiver.Off})
		_, err := c.ClearCalls(specCtx(), "nope")
		Expect(errStatus(err)).To(Equal(http.StatusNotFound))
		status, _, _ := control(http.MethodPut, rv.URL()+"/_hookcheck/channels/nope/calls", nil, nil)
		Expect(status).To(Equal(http.StatusMethodNotAllowed))
	})

	It("needs the control token and refuses a cross-site request", func() {
		rv, _ := startReceiver(receiver.Config{TLSListen: receiver.Off, SMTPListen: receiver.Off, ControlToken: "tok"})
		c := client.New(rv.URL(), client.WithToken("tok"))
		ch := newChannel(c, api.ChannelRequest{})
		Expect(post(freshClient(callWait), ch.URL, []byte(`{}`), nil)).To(Equal(200))
		target := rv.URL() + "/_hookcheck/channels/" + ch.ID + "/calls"
		status, _, _ := control(http.MethodDelete, target, nil, nil)
		Expect(status).To(Equal(http.StatusUnauthorized))
		status, _, _ = control(http.MethodDelete, target, nil, hdr("Authorization", "Bearer tok", "Origin", "https://evil.example"))
		Expect(status).To(Equal(http.StatusForbidden))
		Expect(allCalls(c, ch.ID).Calls).To(HaveLen(1))
	})
})
