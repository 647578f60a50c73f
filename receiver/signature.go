package receiver

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"hash"

	"github.com/hookcheck/hookcheck/receiver/api"
)

// SignatureHeader carries the webhook signature (spec §4.6).
const SignatureHeader = "X-Superoffice-Signature"

// Sign returns base64(HMAC-SHA256(secret, body)), the value a sender puts in
// X-SuperOffice-Signature.
func Sign(secret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// Verify judges a signature header value against the raw body. An empty
// secret gives unchecked, an absent header missing, and a value that is not
// standard base64 of 32 bytes, or that does not match, invalid. The
// comparison takes constant time.
func Verify(secret string, present bool, header string, body []byte) string {
	if secret == "" {
		return api.SignatureUnchecked
	}
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return verdict(present, header, m, nil).String()
}

// newMAC returns the HMAC-SHA256 of secret for a body to be written into
// as it is read, or nil for an empty secret (nothing to check).
func newMAC(secret string) hash.Hash {
	if secret == "" {
		return nil
	}
	return hmac.New(sha256.New, []byte(secret))
}

// verdict judges a signature header value against mac, which has seen the
// whole raw body; a nil mac (no secret) gives unchecked. It is Verify for
// a body that was hashed while it was read. The sum is appended to
// scratch, so a caller with room there allocates nothing.
func verdict(present bool, header string, mac hash.Hash, scratch []byte) signature {
	switch {
	case mac == nil:
		return sigUnchecked
	case !present:
		return sigMissing
	}
	// Decode and hash into stack buffers: this runs for every call.
	var src [64]byte
	var got [48]byte
	if len(header) > len(src) { // 32 bytes take 44 characters
		return sigInvalid
	}
	n, err := base64.StdEncoding.Decode(got[:], src[:copy(src[:], header)])
	if err != nil || n != sha256.Size {
		return sigInvalid
	}
	if hmac.Equal(got[:n], mac.Sum(scratch)) {
		return sigValid
	}
	return sigInvalid
}

// signature is an api.Signature* verdict in one byte, as a storedCall
// keeps it.
type signature uint8

const (
	sigUnchecked signature = iota
	sigValid
	sigInvalid
	sigMissing
)

var signatureNames = [...]string{sigUnchecked: api.SignatureUnchecked, sigValid: api.SignatureValid, sigInvalid: api.SignatureInvalid, sigMissing: api.SignatureMissing}

// String returns the api.Signature* verdict.
func (s signature) String() string { return signatureNames[s] }

// macState is a keyed HMAC-SHA256 of a channel's secret with room for its
// sum, so checking a signature allocates nothing.
type macState struct {
	h   hash.Hash
	sum [sha256.Size]byte
}

// hash returns the HMAC to write the body into, or nil without a secret.
func (m *macState) hash() hash.Hash {
	if m == nil {
		return nil
	}
	return m.h
}

// verdict judges the signature header value against the body written
// into the MAC; without a secret it is unchecked.
func (m *macState) verdict(present bool, header string) signature {
	if m == nil {
		return sigUnchecked
	}
	return verdict(present, header, m.h, m.sum[:0])
}
