package receiver

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"math/big"
	"net"
	"os"
	"time"
)

// certificate returns the HTTPS certificate, the CA that signed it and
// the PEM a target should trust: the given certificate file itself (no
// CA), the persistent CA of CADir (with a leaf issued at start), or a CA
// generated for this run.
func certificate(cfg Config) (tls.Certificate, *CA, []byte, error) {
	if cfg.TLSCertFile != "" || cfg.TLSKeyFile != "" {
		if cfg.TLSCertFile == "" || cfg.TLSKeyFile == "" {
			return tls.Certificate{}, nil, nil, fmt.Errorf("tls: give both a certificate and a key file")
		}
		cert, err := tls.LoadX509KeyPair(cfg.TLSCertFile, cfg.TLSKeyFile)
		if err != nil {
			return tls.Certificate{}, nil, nil, fmt.Errorf("tls: load %s / %s: %w", cfg.TLSCertFile, cfg.TLSKeyFile, err)
		}
		pemBytes, err := os.ReadFile(cfg.TLSCertFile)
		if err != nil {
			return tls.Certificate{}, nil, nil, fmt.Errorf("tls: read %s: %w", cfg.TLSCertFile, err)
		}
		return cert, nil, pemBytes, nil
	}
	var ca *CA
	var err error
	if cfg.CADir != "" {
		ca, err = LoadCA(cfg.CADir)
	} else {
		ca, err = newCA(365 * 24 * time.Hour) // for this run only
	}
	if err != nil {
		return tls.Certificate{}, nil, nil, err
	}
	cert, pemBytes, err := issue(ca, cfg.TLSHosts)
	return cert, ca, pemBytes, err
}

// issue makes a leaf certificate for loopback and hosts signed by ca.
func issue(ca *CA, hosts []string) (tls.Certificate, []byte, error) {
	now := time.Now()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, nil, fmt.Errorf("tls: leaf key: %w", err)
	}
	notAfter := now.Add(365 * 24 * time.Hour)
	if notAfter.After(ca.Cert.NotAfter) {
		notAfter = ca.Cert.NotAfter
	}
	leafTmpl := &x509.Certificate{
		SerialNumber: serial(),
		Subject:      pkix.Name{CommonName: "localhost", Organization: []string{"hookcheck"}},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     notAfter,
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames:     []string{"localhost"},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
	}
	for _, h := range hosts {
		if ip := net.ParseIP(h); ip != nil {
			leafTmpl.IPAddresses = append(leafTmpl.IPAddresses, ip)
		} else if h != "" {
			leafTmpl.DNSNames = append(leafTmpl.DNSNames, h)
		}
	}
	leafDER, err := x509.CreateCertificate(rand.Reader, leafTmpl, ca.Cert, &key.PublicKey, ca.Key)
	if err != nil {
		return tls.Certificate{}, nil, fmt.Errorf("tls: leaf certificate: %w", err)
	}
	cert := tls.Certificate{Certificate: [][]byte{leafDER, ca.Cert.Raw}, PrivateKey: key}
	return cert, ca.PEM, nil
}

func serial() *big.Int {
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 126))
	if err != nil {
		return big.NewInt(time.Now().UnixNano())
	}
	return n
}
