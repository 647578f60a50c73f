package specs

import (
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/conformance/driver"
	. "github.com/hookcheck/hookcheck/conformance/framework"
	"github.com/hookcheck/hookcheck/receiver/api"
)

// badCertificates are the certificates spec §3 says get a hook rejected
// ("A self-signed, expired, wrong-host or revoked certificate"), and one
// of a CA the target does not trust, each with its clause. The receiver
// serves each on a listener of its own; everything about one but its
// fault is as the valid certificate's.
var badCertificates = []struct{ clause, kind, what string }{
	{"WH-TLS-002", api.TLSExpired, "an expired certificate"},
	{"WH-TLS-003", api.TLSNotYetValid, "a certificate that is not yet valid"},
	{"WH-TLS-004", api.TLSWrongHost, "a certificate for another host"},
	{"WH-VER-012", api.TLSSelfSigned, "a self-signed certificate"},
	{"WH-TLS-005", api.TLSUntrustedCA, "a certificate of an untrusted CA"},
	{"WH-TLS-006", api.TLSRevoked, "a revoked certificate"},
}

// Spec area "verification", the TargetUrl's TLS certificate at save time
// (spec §3: "Its TLS certificate must be valid. A self-signed, expired,
// wrong-host or revoked certificate gets the hook rejected"), through
// every front end.
var _ = Describe("verification", func() {
	if !Area() {
		return
	}
	ForStyles(driver.Styles, func(st driver.Style) {
		It("accepts a TargetUrl with a valid certificate", Clause("WH-TLS-001", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			ch := s.TLSChannel(api.TLSValid)
			in := s.Hook(ch)
			s.Create(in)
			Expect(s.Stored(in.Name)).To(BeTrue(), "the webhook with a valid certificate is stored")
			calls := ch.Events(TestEvent, 0)
			Expect(calls).To(HaveLen(1), "one test event reached the target by the time the save answered%s", DescribeCalls(ch.All()))
			Expect(calls[0].TLS).To(BeTrue(), "the test event came over TLS")
		})

		for _, bad := range badCertificates {
			It("refuses a TargetUrl with "+bad.what, Clause(bad.clause, st), func(ctx SpecContext) {
				s := Begin(ctx, st)
				if bad.kind == api.TLSRevoked && !s.Profile().CheckRevocation {
					SkipBecause("the profile does not say the target checks revocation (--check-revocation): the docs list revoked certificates among the refused ones but not how revocation is checked")
				}
				ch := s.TLSChannel(bad.kind)
				s.Expecting("the save of a webhook whose TargetUrl presents %s (%s) fails, nothing is stored and no request reaches %s", bad.what, bad.kind, ch.URL)
				hellos := s.TLSHellos(bad.kind)
				in := s.Hook(ch)
				_, err := s.TryCreate(nil, in)
				ExpectRefused(err, "save with "+bad.what+" at "+ch.URL)
				Expect(s.Stored(in.Name)).To(BeFalse(), "the webhook with %s was stored", bad.what)
				Expect(ch.All()).To(BeEmpty(), "a request reached the target over the connection with %s", bad.what)
				Expect(s.TLSHellos(bad.kind)).To(BeNumerically(">", hellos),
					"the target refused without beginning a TLS handshake with %s, so its refusal says nothing of the certificate", ch.URL)
			})
		}
	})
})
