package receiver

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// Files of a persistent receiver CA in its directory (see InitCA).
const (
	// CAFile is the CA certificate a target trusts once.
	CAFile = "ca.pem"
	// CAKeyFile is the CA's private key, readable by its owner only.
	CAKeyFile = "ca-key.pem"
)

// caLifetime is how long a CA made by InitCA is valid.
const caLifetime = 10 * 365 * 24 * time.Hour

// CA is a certificate authority that signs the receiver's HTTPS
// certificates.
type CA struct {
	// Cert is the CA certificate.
	Cert *x509.Certificate
	// Key signs the leaf certificates.
	Key crypto.Signer
	// PEM is Cert, PEM-encoded: what a target trusts.
	PEM []byte
}

// HasCA reports whether dir holds the two files of a persistent CA.
func HasCA(dir string) bool {
	for _, name := range []string{CAFile, CAKeyFile} {
		if st, err := os.Stat(filepath.Join(dir, name)); err != nil || !st.Mode().IsRegular() {
			return false
		}
	}
	return true
}

// InitCA makes a persistent CA in dir (created 0700 if missing): ca.pem,
// and ca-key.pem written 0600. A CA already there is kept, so trusting
// ca.pem once lasts; created says whether a new one was made. It returns
// the path of ca.pem.
func InitCA(dir string) (path string, created bool, err error) {
	path = filepath.Join(dir, CAFile)
	if HasCA(dir) {
		if _, err := LoadCA(dir); err != nil {
			return path, false, err
		}
		return path, false, nil
	}
	for _, name := range []string{CAFile, CAKeyFile} {
		if _, err := os.Lstat(filepath.Join(dir, name)); !errors.Is(err, fs.ErrNotExist) {
			return path, false, fmt.Errorf("tls: %s holds %s but not both of %s and %s; remove it or choose another directory", dir, name, CAFile, CAKeyFile)
		}
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return path, false, fmt.Errorf("tls: CA directory: %w", err)
	}
	ca, err := newCA(caLifetime)
	if err != nil {
		return path, false, err
	}
	der, err := x509.MarshalPKCS8PrivateKey(ca.Key)
	if err != nil {
		return path, false, fmt.Errorf("tls: CA key: %w", err)
	}
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
	// The key first, exclusively: a concurrent InitCA loses here instead of
	// pairing its certificate with another key.
	if err := writeNew(filepath.Join(dir, CAKeyFile), keyPEM, 0o600); err != nil {
		return path, false, err
	}
	if err := writeNew(path, ca.PEM, 0o644); err != nil {
		_ = os.Remove(filepath.Join(dir, CAKeyFile))
		return path, false, err
	}
	return path, true, nil
}

// writeNew writes data to a file that must not exist yet.
func writeNew(path string, data []byte, perm os.FileMode) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return fmt.Errorf("tls: %w", err)
	}
	if _, err := f.Write(data); err != nil {
		_ = f.Close()
		_ = os.Remove(path)
		return fmt.Errorf("tls: write %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		_ = os.Remove(path)
		return fmt.Errorf("tls: write %s: %w", path, err)
	}
	return nil
}

// LoadCA reads the persistent CA InitCA wrote to dir.
func LoadCA(dir string) (*CA, error) {
	certPEM, err := os.ReadFile(filepath.Join(dir, CAFile))
	if err != nil {
		return nil, fmt.Errorf("tls: CA: %w (make one with: hookcheck ca init --dir %s)", err, dir)
	}
	keyPEM, err := os.ReadFile(filepath.Join(dir, CAKeyFile))
	if err != nil {
		return nil, fmt.Errorf("tls: CA key: %w", err)
	}
	cb, _ := pem.Decode(certPEM)
	if cb == nil || cb.Type != "CERTIFICATE" {
		return nil, fmt.Errorf("tls: %s holds no PEM certificate", filepath.Join(dir, CAFile))
	}
	cert, err := x509.ParseCertificate(cb.Bytes)
	if err != nil {
		return nil, fmt.Errorf("tls: %s: %w", filepath.Join(dir, CAFile), err)
	}
	if !cert.IsCA {
		return nil, fmt.Errorf("tls: %s is not a CA certificate", filepath.Join(dir, CAFile))
	}
	kb, _ := pem.Decode(keyPEM)
	if kb == nil {
		return nil, fmt.Errorf("tls: %s holds no PEM key", filepath.Join(dir, CAKeyFile))
	}
	k, err := x509.ParsePKCS8PrivateKey(kb.Bytes)
	if err != nil {
		return nil, fmt.Errorf("tls: %s: %w", filepath.Join(dir, CAKeyFile), err)
	}
	key, ok := k.(*ecdsa.PrivateKey)
	if !ok || !key.PublicKey.Equal(cert.PublicKey) {
		return nil, fmt.Errorf("tls: %s does not belong to %s", filepath.Join(dir, CAKeyFile), filepath.Join(dir, CAFile))
	}
	if time.Now().After(cert.NotAfter) {
		return nil, fmt.Errorf("tls: the CA in %s expired on %s; remove both files and run hookcheck ca init again", dir, cert.NotAfter.Format(time.DateOnly))
	}
	return &CA{Cert: cert, Key: key, PEM: certPEM}, nil
}

// newCA makes a CA valid for lifetime.
func newCA(lifetime time.Duration) (*CA, error) {
	return newNamedCA("hookcheck receiver CA", lifetime)
}

// newNamedCA makes a CA called name, valid for lifetime.
func newNamedCA(name string, lifetime time.Duration) (*CA, error) {
	now := time.Now()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("tls: CA key: %w", err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial(),
		Subject:               pkix.Name{CommonName: name, Organization: []string{"hookcheck"}},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(lifetime),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  true,
		MaxPathLenZero:        true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, fmt.Errorf("tls: CA certificate: %w", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("tls: parse CA: %w", err)
	}
	return &CA{Cert: cert, Key: key, PEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})}, nil
}
