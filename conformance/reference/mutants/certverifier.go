package mutants

import (
	"context"
	"crypto/x509"
	"fmt"
	"time"

	"github.com/hookcheck/hookcheck/conformance/reference"
	"github.com/hookcheck/hookcheck/conformance/reference/server"
)

// revocationFlags are the run flags under which the suite checks
// revocation: the profile says the target does, and the embedded
// reference then does.
var revocationFlags = []string{"--check-revocation"}

// certVerifierMutants are faults of the target certificate check (spec
// §3: "A self-signed, expired, wrong-host or revoked certificate gets the
// hook rejected"), one per refusal, each letting exactly one kind of bad
// certificate through, and one that refuses a good one.
func certVerifierMutants() []Mutant {
	return []Mutant{
		{
			Name:        "tls-accepts-expired",
			Component:   "CertVerifier",
			Description: "ignores the end of a target certificate's validity, so an expired certificate passes",
			Clauses:     clauses("WH-TLS-002"),
			Apply: withCertVerifier(func(ctx context.Context, std reference.StandardCertVerifier, host string, chain []*x509.Certificate) error {
				return std.VerifyCertificate(ctx, host, withLeaf(chain, func(leaf *x509.Certificate) {
					if time.Now().After(leaf.NotAfter) {
						leaf.NotAfter = time.Now().Add(time.Hour)
					}
				}))
			}),
		},
		{
			Name:        "tls-accepts-not-yet-valid",
			Component:   "CertVerifier",
			Description: "ignores the start of a target certificate's validity, so a not-yet-valid certificate passes",
			Clauses:     clauses("WH-TLS-003"),
			Apply: withCertVerifier(func(ctx context.Context, std reference.StandardCertVerifier, host string, chain []*x509.Certificate) error {
				return std.VerifyCertificate(ctx, host, withLeaf(chain, func(leaf *x509.Certificate) {
					if time.Now().Before(leaf.NotBefore) {
						leaf.NotBefore = time.Now().Add(-time.Hour)
					}
				}))
			}),
		},
		{
			Name:        "tls-accepts-wrong-host",
			Component:   "CertVerifier",
			Description: "verifies a target certificate's chain and dates but not that it names the TargetUrl's host",
			Clauses:     clauses("WH-TLS-004"),
			Apply: withCertVerifier(func(ctx context.Context, std reference.StandardCertVerifier, _ string, chain []*x509.Certificate) error {
				return std.VerifyCertificate(ctx, "", chain) // no DNSName: x509 skips the host check
			}),
		},
		{
			Name:        "tls-accepts-self-signed",
			Component:   "CertVerifier",
			Description: "takes a self-signed target certificate as its own root, so it passes when its dates and host are right",
			Clauses:     clauses("WH-VER-012"),
			Apply: withCertVerifier(func(ctx context.Context, std reference.StandardCertVerifier, host string, chain []*x509.Certificate) error {
				if len(chain) > 0 && chain[0].CheckSignature(chain[0].SignatureAlgorithm, chain[0].RawTBSCertificate, chain[0].Signature) == nil {
					std.Roots = append(std.Roots, poolOf(chain[0]))
				}
				return std.VerifyCertificate(ctx, host, chain)
			}),
		},
		{
			Name:        "tls-accepts-untrusted-ca",
			Component:   "CertVerifier",
			Description: "trusts the CA certificates a target presents beside its own, so a chain to an unknown CA passes",
			Clauses:     clauses("WH-TLS-005"),
			Apply: withCertVerifier(func(ctx context.Context, std reference.StandardCertVerifier, host string, chain []*x509.Certificate) error {
				presented := x509.NewCertPool()
				for _, c := range chain[min(1, len(chain)):] {
					if c.IsCA {
						presented.AddCert(c)
					}
				}
				std.Roots = append(std.Roots, presented)
				return std.VerifyCertificate(ctx, host, chain)
			}),
		},
		{
			Name:        "tls-ignores-revocation",
			Component:   "CertVerifier",
			Description: "never checks revocation, so a certificate its CA's CRL lists passes",
			Clauses:     clauses("WH-TLS-006"),
			RunFlags:    revocationFlags,
			Apply: withCertVerifier(func(ctx context.Context, std reference.StandardCertVerifier, host string, chain []*x509.Certificate) error {
				std.Revocation = nil
				return std.VerifyCertificate(ctx, host, chain)
			}),
		},
		{
			Name:        "tls-crl-any-entry-revokes",
			Component:   "CertVerifier",
			Description: "refuses every certificate whose CRL lists any certificate, so a valid one of a CA that revoked another fails",
			Clauses:     clauses("WH-TLS-001"),
			RunFlags:    revocationFlags,
			Apply: withCertVerifier(func(ctx context.Context, std reference.StandardCertVerifier, host string, chain []*x509.Certificate) error {
				if std.Revocation != nil {
					std.Revocation = anyEntryRevokes{}
				}
				return std.VerifyCertificate(ctx, host, chain)
			}),
		},
	}
}

// certVerifierFunc is a CertVerifier built on the configured default.
type certVerifierFunc struct {
	std reference.StandardCertVerifier
	fn  func(ctx context.Context, std reference.StandardCertVerifier, host string, chain []*x509.Certificate) error
}

// VerifyCertificate implements reference.CertVerifier. fn gets its own
// copy of the default's root list, to change as it likes.
func (v certVerifierFunc) VerifyCertificate(ctx context.Context, host string, chain []*x509.Certificate) error {
	std := v.std
	std.Roots = append([]*x509.CertPool(nil), v.std.Roots...)
	return v.fn(ctx, std, host, chain)
}

// withCertVerifier returns an Apply that installs fn around the
// configured StandardCertVerifier.
func withCertVerifier(fn func(ctx context.Context, std reference.StandardCertVerifier, host string, chain []*x509.Certificate) error) func(*reference.Options, *[]server.HandlerOption) error {
	return func(o *reference.Options, _ *[]server.HandlerOption) error {
		std, err := o.DefaultCertVerifier()
		if err != nil {
			return fmt.Errorf("building the certificate verifier: %w", err)
		}
		o.CertVerifier = certVerifierFunc{std: std, fn: fn}
		return nil
	}
}

// withLeaf returns chain with a copy of its leaf that change altered. The
// copy's signature still covers the original's raw bytes, which x509
// verifies; only the dates it reads from the parsed fields change.
func withLeaf(chain []*x509.Certificate, change func(*x509.Certificate)) []*x509.Certificate {
	if len(chain) == 0 {
		return chain
	}
	leaf := *chain[0]
	change(&leaf)
	return append([]*x509.Certificate{&leaf}, chain[1:]...)
}

// poolOf returns a pool holding cert.
func poolOf(cert *x509.Certificate) *x509.CertPool {
	p := x509.NewCertPool()
	p.AddCert(cert)
	return p
}

// anyEntryRevokes is a revocation check that refuses a certificate when
// its CRL lists any certificate at all, not the certificate's serial.
type anyEntryRevokes struct{ crl reference.CRLChecker }

// CheckRevocation implements reference.RevocationChecker.
func (a anyEntryRevokes) CheckRevocation(ctx context.Context, cert, issuer *x509.Certificate) error {
	for _, point := range cert.CRLDistributionPoints {
		list, err := a.crl.Fetch(ctx, point, issuer)
		if err != nil {
			return fmt.Errorf("revocation status unknown: %w", err)
		}
		if len(list.RevokedCertificateEntries) > 0 {
			return fmt.Errorf("%w: the CRL %s lists %d certificates", reference.ErrRevoked, point, len(list.RevokedCertificateEntries))
		}
	}
	return nil
}
