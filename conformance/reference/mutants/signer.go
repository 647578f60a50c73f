package mutants

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"

	"github.com/hookcheck/hookcheck/conformance/reference"
	"github.com/hookcheck/hookcheck/conformance/reference/server"
)

// The signature clauses: deliveries, retries, test events and state events
// are all signed the same way (spec §4.6).
var signedClauses = []string{"WH-DLV-006", "WH-RTY-011", "WH-VER-005", "WH-SEV-011"}

// signerMutants are faults of the Signer (spec §4.6).
func signerMutants() []Mutant {
	return []Mutant{
		{
			Name:        "signature-reserialised",
			Component:   "Signer",
			Description: "signs the JSON re-serialised (keys sorted, HTML escaped) instead of the exact raw body bytes",
			Clauses:     clauses(signedClauses...),
			Apply:       withSigner(signerFunc(reserialisedSignature)),
		},
		{
			Name:        "signature-hex",
			Component:   "Signer",
			Description: "sends the HMAC-SHA256 as lower-case hex instead of base64",
			Clauses:     clauses(signedClauses...),
			Apply: withSigner(signerFunc(func(secret string, body []byte) string {
				if secret == "" {
					return ""
				}
				return hex.EncodeToString(mac(secret, body))
			})),
		},
		{
			Name:        "signature-unpadded",
			Component:   "Signer",
			Description: "encodes the signature as unpadded base64 (no trailing '=')",
			Clauses:     clauses(signedClauses...),
			Apply: withSigner(signerFunc(func(secret string, body []byte) string {
				if secret == "" {
					return ""
				}
				return base64.RawStdEncoding.EncodeToString(mac(secret, body))
			})),
		},
		{
			Name:        "signature-without-secret",
			Component:   "Signer",
			Description: "sends X-SuperOffice-Signature (an HMAC with an empty key) for webhooks that have no Secret",
			Clauses:     clauses("WH-SEC-004"),
			Apply: withSigner(signerFunc(func(_ string, body []byte) string {
				return base64.StdEncoding.EncodeToString(mac("", body))
			})),
		},
	}
}

// signerFunc adapts a function to reference.Signer.
type signerFunc func(secret string, body []byte) string

// Sign implements reference.Signer.
func (f signerFunc) Sign(secret string, body []byte) string { return f(secret, body) }

// withSigner returns an Apply that installs s.
func withSigner(s reference.Signer) func(*reference.Options, *[]server.HandlerOption) error {
	return func(o *reference.Options, _ *[]server.HandlerOption) error {
		o.Signer = s
		return nil
	}
}

// mac is HMAC-SHA256(secret, body).
func mac(secret string, body []byte) []byte {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return m.Sum(nil)
}

// reserialisedSignature decodes the body and signs json.Marshal's
// rendering of it, as a receiver-side helper that "normalises" first would.
func reserialisedSignature(secret string, body []byte) string {
	if secret == "" {
		return ""
	}
	var v any
	if err := json.Unmarshal(body, &v); err == nil {
		if again, err := json.Marshal(v); err == nil {
			body = again
		}
	}
	return base64.StdEncoding.EncodeToString(mac(secret, body))
}
