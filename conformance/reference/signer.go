package reference

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
)

// Signer computes the X-SuperOffice-Signature value of a request body
// (spec §4.6). An empty result means "send no signature header".
type Signer interface {
	Sign(secret string, body []byte) string
}

// HMACSigner is the documented signer: base64(HMAC-SHA256(UTF-8(secret),
// exact body bytes)) with standard padded base64, and no signature at all
// when the secret is empty.
type HMACSigner struct{}

// Sign implements Signer.
func (HMACSigner) Sign(secret string, body []byte) string {
	if secret == "" {
		return ""
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}
