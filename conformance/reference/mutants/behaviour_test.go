package mutants_test

import (
	"context"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/conformance/reference"
	"github.com/hookcheck/hookcheck/conformance/reference/mutants"
	"github.com/hookcheck/hookcheck/conformance/reference/server"
	"github.com/hookcheck/hookcheck/receiver"
	"github.com/hookcheck/hookcheck/receiver/api"
	"github.com/hookcheck/hookcheck/receiver/client"
)

var _ = Describe("a mutant against the receiver", func() {
	const secret = "hookcheck-s3cret"
	var (
		rv *receiver.Receiver
		rc *client.Client
	)
	BeforeEach(func() {
		var err error
		rv, err = receiver.Start(receiver.Config{TLSListen: receiver.Off, SMTPListen: receiver.Off})
		Expect(err).NotTo(HaveOccurred())
		DeferCleanup(rv.Close)
		rc = client.New(rv.URL())
	})

	// deliver builds the service from opts and h, saves a webhook with the
	// secret on a new channel (the save sends the test event), signals one
	// event and returns the two calls the channel got.
	deliver := func(ctx context.Context, opts reference.Options, h []server.HandlerOption) []api.Call {
		GinkgoHelper()
		ch, err := rc.CreateChannel(ctx, api.ChannelRequest{Secret: secret})
		Expect(err).NotTo(HaveOccurred())
		opts.AllowHTTP = true
		svc, err := reference.New(opts)
		Expect(err).NotTo(HaveOccurred())
		DeferCleanup(svc.Close)
		Expect(server.NewHandler(svc, reference.Auth{Ticket: "7T:x"}, h...)).NotTo(BeNil())
		_, err = svc.Save(ctx, reference.Caller{}, reference.Webhook{
			Name: "signed", Events: []string{"hookcheck.changed"}, TargetURL: ch.URL, Secret: secret,
		})
		Expect(err).NotTo(HaveOccurred())
		Expect(svc.Signal(ctx, reference.Caller{}, "hookcheck.changed", 1, map[string]any{"name": "x"})).To(Succeed())
		calls, err := rc.WaitCalls(ctx, ch.ID, 0, 2, 10*time.Second)
		Expect(err).NotTo(HaveOccurred())
		Expect(calls).To(HaveLen(2))
		Expect(calls[0].Event).To(Equal("test"))
		Expect(calls[1].Event).To(Equal("hookcheck.changed"))
		return calls
	}

	It("the pristine reference signs with base64 HMAC-SHA256, which the receiver accepts", func(ctx SpecContext) {
		for _, c := range deliver(ctx, reference.Options{}, nil) {
			Expect(c.Signature).To(Equal(api.SignatureValid), "call #%d %s", c.Seq, c.Event)
		}
	})

	It("signature-hex signs in hex, which the receiver rejects", func(ctx SpecContext) {
		m, ok := mutants.Lookup("signature-hex")
		Expect(ok).To(BeTrue())
		opts, h, err := m.Build(reference.Options{})
		Expect(err).NotTo(HaveOccurred())
		for _, c := range deliver(ctx, opts, h) {
			Expect(c.Signature).To(Equal(api.SignatureInvalid), "call #%d %s", c.Seq, c.Event)
			Expect(c.Headers["X-Superoffice-Signature"]).To(ConsistOf(MatchRegexp(`^[0-9a-f]{64}$`)), "call #%d carries a hex digest", c.Seq)
		}
	})
})
