package receiver

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"math/big"
	"net"
	"time"

	"github.com/hookcheck/hookcheck/receiver/api"
)

// Validity windows of the TLS kinds. The expired and not-yet-valid
// windows lie years away from now, so no clock a test can meet, skewed or
// slow, takes a certificate across its edge.
const (
	kindYear = 365 * 24 * time.Hour
	// kindLifetime is how long a valid kind certificate is valid (at most
	// until its CA expires).
	kindLifetime = kindYear
)

// wrongHost is the only name the wrong-host certificate is for: a name
// under .invalid (RFC 2606) that no receiver is reached by.
const wrongHost = "wrong-host.invalid"

// kindCerts are the certificates of every TLS kind one receiver serves,
// made together so the CRL (which lists the revoked one) never changes
// while the receiver runs.
type kindCerts struct {
	certs map[string]tls.Certificate
	// ca signs the kinds that chain to the receiver's CA; nil when the
	// receiver was given a certificate without its CA.
	ca *CA
	// revokedSerial and revokedAt are the revoked certificate's serial and
	// the revocation time the CRL states.
	revokedSerial *big.Int
	revokedAt     time.Time
}

// needsCA reports whether a kind chains to the receiver's CA (every kind
// but self-signed and untrusted-ca).
func needsCA(kind string) bool { return kind != api.TLSSelfSigned && kind != api.TLSUntrustedCA }

// makeKindCerts makes the certificate of every kind it can: all of them
// with ca, only self-signed and untrusted-ca without. Leaves name the
// loopback addresses and hosts (wrong-host excepted) and, when ca signs
// them, crlURL as their CRL distribution point.
func makeKindCerts(ca *CA, hosts []string, crlURL string) (*kindCerts, error) {
	now := time.Now()
	kc := &kindCerts{certs: map[string]tls.Certificate{}, ca: ca, revokedAt: now.Add(-time.Hour)}
	validFrom, validTo := now.Add(-time.Hour), now.Add(kindLifetime)

	self, err := selfSigned(leafTemplate("hookcheck self-signed", hosts, validFrom, validTo))
	if err != nil {
		return nil, err
	}
	kc.certs[api.TLSSelfSigned] = self
	other, err := newNamedCA("hookcheck untrusted CA", kindYear)
	if err != nil {
		return nil, fmt.Errorf("tls: untrusted CA: %w", err)
	}
	untrusted, err := signLeaf(other, leafTemplate("hookcheck untrusted-ca", hosts, validFrom, validTo))
	if err != nil {
		return nil, err
	}
	kc.certs[api.TLSUntrustedCA] = untrusted
	if ca == nil {
		return kc, nil
	}

	if validTo.After(ca.Cert.NotAfter) {
		validTo = ca.Cert.NotAfter
	}
	templates := map[string]*x509.Certificate{
		api.TLSValid:       leafTemplate("hookcheck valid", hosts, validFrom, validTo),
		api.TLSExpired:     leafTemplate("hookcheck expired", hosts, now.Add(-10*kindYear), now.Add(-5*kindYear)),
		api.TLSNotYetValid: leafTemplate("hookcheck not-yet-valid", hosts, now.Add(5*kindYear), now.Add(10*kindYear)),
		api.TLSWrongHost:   leafTemplate("hookcheck wrong-host", nil, validFrom, validTo),
		api.TLSRevoked:     leafTemplate("hookcheck revoked", hosts, validFrom, validTo),
	}
	wh := templates[api.TLSWrongHost]
	wh.DNSNames, wh.IPAddresses = []string{wrongHost}, nil
	kc.revokedSerial = templates[api.TLSRevoked].SerialNumber
	for kind, tmpl := range templates {
		if crlURL != "" {
			tmpl.CRLDistributionPoints = []string{crlURL}
		}
		cert, err := signLeaf(ca, tmpl)
		if err != nil {
			return nil, fmt.Errorf("tls: %s certificate: %w", kind, err)
		}
		kc.certs[kind] = cert
	}
	return kc, nil
}

// leafTemplate is a server certificate for localhost, 127.0.0.1, ::1 and
// hosts, valid from notBefore to notAfter, with a fresh serial.
func leafTemplate(cn string, hosts []string, notBefore, notAfter time.Time) *x509.Certificate {
	t := &x509.Certificate{
		SerialNumber:          serial(),
		Subject:               pkix.Name{CommonName: cn, Organization: []string{"hookcheck"}},
		NotBefore:             notBefore,
		NotAfter:              notAfter,
		KeyUsage:              x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		DNSNames:              []string{"localhost"},
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
	}
	for _, h := range hosts {
		if ip := net.ParseIP(h); ip != nil {
			t.IPAddresses = append(t.IPAddresses, ip)
		} else if h != "" {
			t.DNSNames = append(t.DNSNames, h)
		}
	}
	return t
}

// signLeaf signs tmpl with ca under a new key; the chain presented is the
// leaf and ca's certificate.
func signLeaf(ca *CA, tmpl *x509.Certificate) (tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("tls: leaf key: %w", err)
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.Cert, &key.PublicKey, ca.Key)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("tls: leaf certificate: %w", err)
	}
	return tls.Certificate{Certificate: [][]byte{der, ca.Cert.Raw}, PrivateKey: key}, nil
}

// selfSigned signs tmpl with its own new key; the chain is the leaf alone.
func selfSigned(tmpl *x509.Certificate) (tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("tls: self-signed key: %w", err)
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("tls: self-signed certificate: %w", err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, nil
}

// errNoCA is the CRL's answer on a receiver without a CA of its own.
var errNoCA = errors.New("this receiver serves a given certificate (--tls-cert) and has no CA of its own")

// crl returns the CA's certificate revocation list, DER-encoded, signed
// now: it lists the revoked kind's certificate and is good for a day.
func (kc *kindCerts) crl() ([]byte, error) {
	if kc.ca == nil {
		return nil, errNoCA
	}
	now := time.Now()
	der, err := x509.CreateRevocationList(rand.Reader, &x509.RevocationList{
		Number:     big.NewInt(now.UnixNano()),
		ThisUpdate: now.Add(-time.Hour),
		NextUpdate: now.Add(24 * time.Hour),
		RevokedCertificateEntries: []x509.RevocationListEntry{
			{SerialNumber: kc.revokedSerial, RevocationTime: kc.revokedAt},
		},
	}, kc.ca.Cert, kc.ca.Key)
	if err != nil {
		return nil, fmt.Errorf("tls: CRL: %w", err)
	}
	return der, nil
}
