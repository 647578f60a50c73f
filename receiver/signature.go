package receiver

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"

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
	switch {
	case secret == "":
		return api.SignatureUnchecked
	case !present:
		return api.SignatureMissing
	}
	got, err := base64.StdEncoding.DecodeString(header)
	if err != nil || len(got) != sha256.Size {
		return api.SignatureInvalid
	}
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	if hmac.Equal(got, m.Sum(nil)) {
		return api.SignatureValid
	}
	return api.SignatureInvalid
}
