package framework

import (
	"fmt"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/receiver/api"
)

// WithTLS serves the channel with a certificate of a TLS kind (one of
// receiver/api.TLSKinds): its URL, and the webhooks aimed at it, are then
// the tlsUrl of the receiver's listener for that kind.
func WithTLS(kind string) ChannelOption { return func(r *api.ChannelRequest) { r.TLS = kind } }

// TLSChannel opens a channel whose URL presents a certificate of kind. It
// skips the spec, with the reason, when the run cannot judge the target's
// certificate check on it: the profile does not hold the target to TLS
// validity (--require-https=false), the target reaches the receiver
// through --receiver-public-url (and so not the kind's listener, which
// listens beside the receiver's HTTPS listener), or the receiver cannot
// serve the kind (for example a --receiver-cert without its CA's key).
func (s *Scenario) TLSChannel(kind string) *Channel {
	GinkgoHelper()
	if !s.Profile().RequireHTTPS {
		SkipBecause("the profile does not hold the target to TLS validity (--require-https=false)")
	}
	if !s.Env.Receiver.Local {
		SkipBecause("the target reaches the receiver through --receiver-public-url, so it cannot reach the receiver's listener for " + kind + " certificates")
	}
	if info := s.tlsKind(kind); !info.Available {
		SkipBecause(fmt.Sprintf("the receiver cannot serve a %s certificate: %s", kind, info.Reason))
	}
	return s.Channel(WithTLS(kind))
}

// TLSHellos returns how many TLS handshakes the receiver's listener for
// kind has seen begin, whoever began them.
func (s *Scenario) TLSHellos(kind string) uint64 {
	GinkgoHelper()
	return s.tlsKind(kind).Hellos
}

// tlsKind returns what the receiver says of kind.
func (s *Scenario) tlsKind(kind string) api.TLSKindInfo {
	GinkgoHelper()
	list, err := s.Env.RV.TLSKinds(s.ctx)
	Expect(err).NotTo(HaveOccurred(), "read the receiver's TLS kinds")
	for _, k := range list.Kinds {
		if k.Kind == kind {
			return k
		}
	}
	Fail(fmt.Sprintf("the receiver does not know the TLS kind %q", kind))
	return api.TLSKindInfo{}
}
