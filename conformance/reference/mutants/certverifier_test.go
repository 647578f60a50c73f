package mutants_test

import (
	"context"
	"slices"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/conformance/reference"
	"github.com/hookcheck/hookcheck/conformance/reference/mutants"
	"github.com/hookcheck/hookcheck/receiver"
	"github.com/hookcheck/hookcheck/receiver/api"
	"github.com/hookcheck/hookcheck/receiver/client"
)

var _ = Describe("the certificate mutants against the receiver's TLS kinds", func() {
	var (
		rv *receiver.Receiver
		rc *client.Client
	)
	BeforeEach(func() {
		var err error
		rv, err = receiver.Start(receiver.Config{SMTPListen: receiver.Off})
		Expect(err).NotTo(HaveOccurred())
		DeferCleanup(rv.Close)
		rc = client.New(rv.URL())
	})

	// accepted returns the kinds whose save a service built from opts
	// (and the mutant, when named) accepts, in api.TLSKinds order.
	accepted := func(ctx context.Context, mutant string, checkRevocation bool) []string {
		GinkgoHelper()
		opts := reference.Options{TrustCAPEM: rv.CAPEM(), CheckRevocation: checkRevocation, HTTPTimeout: 5 * time.Second}
		if mutant != "" {
			m, err := mutants.Find(mutant)
			Expect(err).NotTo(HaveOccurred())
			opts, _, err = m.Build(opts)
			Expect(err).NotTo(HaveOccurred())
		}
		svc, err := reference.New(opts)
		Expect(err).NotTo(HaveOccurred())
		DeferCleanup(svc.Close)
		var out []string
		for _, kind := range api.TLSKinds {
			ch, err := rc.CreateChannel(ctx, api.ChannelRequest{TLS: kind})
			Expect(err).NotTo(HaveOccurred())
			_, err = svc.Create(ctx, reference.Caller{}, reference.Webhook{Name: kind, Events: []string{"a.b"}, TargetURL: ch.TLSURL})
			if err == nil {
				out = append(out, kind)
			}
		}
		return out
	}

	It("the pristine reference accepts only the valid certificate, and the revoked one without a revocation check", func(ctx SpecContext) {
		Expect(accepted(ctx, "", true)).To(Equal([]string{api.TLSValid}))
		Expect(accepted(ctx, "", false)).To(Equal([]string{api.TLSValid, api.TLSRevoked}))
	})

	DescribeTable("each mutant changes the verdict on its one kind only",
		func(ctx SpecContext, mutant string, want []string) {
			// Without --check-revocation the pristine reference accepts
			// valid and revoked, with it valid alone; want is the mutant's
			// verdict under its own run flags.
			m, err := mutants.Find(mutant)
			Expect(err).NotTo(HaveOccurred())
			check := slices.Contains(m.RunFlags, "--check-revocation") // as the selftest runs it
			Expect(accepted(ctx, mutant, check)).To(Equal(want))
		},
		Entry(nil, "tls-accepts-expired", []string{api.TLSValid, api.TLSExpired, api.TLSRevoked}),
		Entry(nil, "tls-accepts-not-yet-valid", []string{api.TLSValid, api.TLSNotYetValid, api.TLSRevoked}),
		Entry(nil, "tls-accepts-wrong-host", []string{api.TLSValid, api.TLSWrongHost, api.TLSRevoked}),
		Entry(nil, "tls-accepts-self-signed", []string{api.TLSValid, api.TLSSelfSigned, api.TLSRevoked}),
		Entry(nil, "tls-accepts-untrusted-ca", []string{api.TLSValid, api.TLSUntrustedCA, api.TLSRevoked}),
		Entry(nil, "tls-ignores-revocation", []string{api.TLSValid, api.TLSRevoked}),
		Entry(nil, "tls-crl-any-entry-revokes", nil),
	)
})
