package api

import "slices"

// TLS kinds a channel may be served with (ChannelRequest.TLS): the
// certificate its tlsUrl presents. Every kind but valid is one a careful
// client refuses, for the one reason its name says; everything else about
// the certificate is as valid's.
const (
	// TLSValid is signed by the receiver's CA, names the loopback
	// addresses and the receiver's TLS hosts, is in its validity window
	// and names the CA's CRL, which does not list it.
	TLSValid = "valid"
	// TLSExpired is valid's certificate whose validity ended years ago.
	TLSExpired = "expired"
	// TLSNotYetValid is valid's certificate whose validity starts years
	// from now.
	TLSNotYetValid = "not-yet-valid"
	// TLSWrongHost is valid's certificate for another host name only
	// (wrong-host.invalid).
	TLSWrongHost = "wrong-host"
	// TLSSelfSigned is signed by its own key, not by a CA.
	TLSSelfSigned = "self-signed"
	// TLSUntrustedCA is signed by a CA no one trusts, which the listener
	// presents beside it.
	TLSUntrustedCA = "untrusted-ca"
	// TLSRevoked is valid's certificate listed as revoked on the CA's CRL
	// (GET /_hookcheck/ca.crl), which it names as its CRL distribution
	// point.
	TLSRevoked = "revoked"
)

// TLSKinds are the kinds in the order the receiver lists them.
var TLSKinds = []string{TLSValid, TLSExpired, TLSNotYetValid, TLSWrongHost, TLSSelfSigned, TLSUntrustedCA, TLSRevoked}

// IsTLSKind reports whether kind is one of TLSKinds.
func IsTLSKind(kind string) bool { return slices.Contains(TLSKinds, kind) }

// TLSKindInfo describes one kind in GET /_hookcheck/tls.
type TLSKindInfo struct {
	Kind string `json:"kind"`
	// Available is false when this receiver cannot serve the kind;
	// Reason then says why (no HTTPS listener, a given certificate
	// without the CA's key).
	Available bool   `json:"available"`
	Reason    string `json:"reason,omitempty"`
	// URL is the base URL of the kind's listener once a channel asked
	// for it ("" before: listeners start on demand).
	URL string `json:"url,omitempty"`
	// Hellos counts the TLS ClientHellos the listener received: the
	// handshakes clients began, whether or not they completed them.
	Hellos uint64 `json:"hellos"`
}

// TLSKindList is the answer of GET /_hookcheck/tls.
type TLSKindList struct {
	Kinds []TLSKindInfo `json:"kinds"`
	// CRL is the URL of the CA's certificate revocation list, "" when the
	// receiver has no CA of its own.
	CRL string `json:"crl,omitempty"`
}
