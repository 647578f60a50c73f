package reference

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
)

// CertVerifier judges the certificate chain a webhook target presents in
// the TLS handshake (spec §3: "Its TLS certificate must be valid. A
// self-signed, expired, wrong-host or revoked certificate gets the hook
// rejected"). chain is as presented, leaf first; host is the TargetUrl's
// host. A non-nil error fails the handshake, so nothing is sent and the
// save or delivery fails.
type CertVerifier interface {
	VerifyCertificate(ctx context.Context, host string, chain []*x509.Certificate) error
}

// StandardCertVerifier is the default CertVerifier: the leaf must chain,
// through the intermediates presented beside it, to a root of one of
// Roots, be within its validity window (and so must every certificate of
// the chain), be for host and, with Revocation, not be revoked.
type StandardCertVerifier struct {
	// Roots are the trusted root pools; a nil pool is the system roots.
	// No pools at all means the system roots alone.
	Roots []*x509.CertPool
	// Revocation, when set, checks every certificate of the verified
	// chain but its root. Nil: revocation is not checked.
	Revocation RevocationChecker
}

// NewStandardCertVerifier returns the StandardCertVerifier that trusts the
// system roots, pool (when not nil) and the certificates of pemRoots (when
// given), and checks revocation with rev (nil: not at all).
func NewStandardCertVerifier(pool *x509.CertPool, pemRoots []byte, rev RevocationChecker) (StandardCertVerifier, error) {
	v := StandardCertVerifier{Roots: []*x509.CertPool{nil}, Revocation: rev}
	if pool != nil {
		v.Roots = append(v.Roots, pool)
	}
	if len(pemRoots) > 0 {
		p := x509.NewCertPool()
		if !p.AppendCertsFromPEM(pemRoots) {
			return v, errors.New("reference: TrustCAPEM holds no PEM certificate")
		}
		v.Roots = append(v.Roots, p)
	}
	return v, nil
}

// VerifyCertificate implements CertVerifier.
func (v StandardCertVerifier) VerifyCertificate(ctx context.Context, host string, chain []*x509.Certificate) error {
	if len(chain) == 0 {
		return errors.New("the target presented no certificate")
	}
	inter := x509.NewCertPool()
	for _, c := range chain[1:] {
		inter.AddCert(c)
	}
	roots := v.Roots
	if len(roots) == 0 {
		roots = []*x509.CertPool{nil}
	}
	var first error
	for _, pool := range roots {
		chains, err := chain[0].Verify(x509.VerifyOptions{DNSName: host, Roots: pool, Intermediates: inter})
		if err == nil {
			return v.checkRevocation(ctx, host, chains[0])
		}
		if first == nil {
			first = err
		}
	}
	return fmt.Errorf("certificate of %s is not trusted: %w", host, first)
}

// checkRevocation asks Revocation about every certificate of a verified
// chain but its root.
func (v StandardCertVerifier) checkRevocation(ctx context.Context, host string, verified []*x509.Certificate) error {
	if v.Revocation == nil {
		return nil
	}
	for i := 0; i+1 < len(verified); i++ {
		if err := v.Revocation.CheckRevocation(ctx, verified[i], verified[i+1]); err != nil {
			return fmt.Errorf("certificate of %s: %w", host, err)
		}
	}
	return nil
}
