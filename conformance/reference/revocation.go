package reference

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"time"
)

// ErrRevoked marks a certificate that its issuer's revocation list names.
var ErrRevoked = errors.New("the certificate is revoked")

// RevocationChecker decides whether cert, issued by issuer, is revoked
// (spec §3: a revoked certificate gets the hook rejected). A non-nil
// error refuses the certificate: ErrRevoked for one that is revoked,
// another error when its status cannot be learnt.
type RevocationChecker interface {
	CheckRevocation(ctx context.Context, cert, issuer *x509.Certificate) error
}

// DefaultCRLTimeout bounds one CRL fetch of a CRLChecker without a Client.
const DefaultCRLTimeout = 10 * time.Second

// CRLChecker checks revocation against the certificate revocation lists a
// certificate names (its CRL distribution points), fetched over http or
// https at every check. A certificate listed on one is refused, and so is
// one whose status is unknown: a CRL that cannot be fetched, is not signed
// by the issuer or is out of date, or only CRLs at URLs that are not
// http(s). A certificate that names no CRL passes (the docs promise no
// OCSP, and NetServer's own check is not documented).
type CRLChecker struct {
	// Client fetches the CRLs. Nil: a client with DefaultCRLTimeout, no
	// proxy and no kept-alive connections.
	Client *http.Client
	// MaxSize bounds one CRL's size. 0: 4 MiB.
	MaxSize int64
}

// CheckRevocation implements RevocationChecker.
func (c CRLChecker) CheckRevocation(ctx context.Context, cert, issuer *x509.Certificate) error {
	if len(cert.CRLDistributionPoints) == 0 {
		return nil
	}
	checked := 0
	for _, point := range cert.CRLDistributionPoints {
		u, err := url.Parse(point)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
			continue
		}
		crl, err := c.Fetch(ctx, point, issuer)
		if err != nil {
			return fmt.Errorf("revocation status of %q unknown: %w", cert.Subject.CommonName, err)
		}
		for _, e := range crl.RevokedCertificateEntries {
			if e.SerialNumber != nil && e.SerialNumber.Cmp(cert.SerialNumber) == 0 {
				return fmt.Errorf("%w: %q (serial %s) is on the CRL %s since %s", ErrRevoked,
					cert.Subject.CommonName, cert.SerialNumber, point, e.RevocationTime.UTC().Format(time.RFC3339))
			}
		}
		checked++
	}
	if checked == 0 {
		return fmt.Errorf("revocation status of %q unknown: it names CRLs only at URLs that are not http(s): %v", cert.Subject.CommonName, cert.CRLDistributionPoints)
	}
	return nil
}

// Fetch gets the CRL at rawURL (DER or PEM) and checks that issuer signed
// it and that it is current.
func (c CRLChecker) Fetch(ctx context.Context, rawURL string, issuer *x509.Certificate) (*x509.RevocationList, error) {
	client, limit := c.Client, c.MaxSize
	if client == nil {
		client = defaultCRLClient
	}
	if limit <= 0 {
		limit = 4 << 20
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, fmt.Errorf("CRL %s: %w", rawURL, err)
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("CRL %s: %w", rawURL, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("CRL %s: answered %s", rawURL, resp.Status)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, fmt.Errorf("CRL %s: %w", rawURL, err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("CRL %s: larger than %d bytes", rawURL, limit)
	}
	if block, _ := pem.Decode(data); block != nil && block.Type == "X509 CRL" {
		data = block.Bytes
	}
	crl, err := x509.ParseRevocationList(data)
	if err != nil {
		return nil, fmt.Errorf("CRL %s: %w", rawURL, err)
	}
	if err := crl.CheckSignatureFrom(issuer); err != nil {
		return nil, fmt.Errorf("CRL %s is not signed by %q: %w", rawURL, issuer.Subject.CommonName, err)
	}
	now := time.Now()
	if now.Before(crl.ThisUpdate) || (!crl.NextUpdate.IsZero() && now.After(crl.NextUpdate)) {
		return nil, fmt.Errorf("CRL %s is not current: valid %s to %s", rawURL, crl.ThisUpdate.UTC().Format(time.RFC3339), crl.NextUpdate.UTC().Format(time.RFC3339))
	}
	return crl, nil
}

// defaultCRLClient fetches CRLs for a CRLChecker without a Client.
var defaultCRLClient = &http.Client{
	Timeout: DefaultCRLTimeout,
	Transport: &http.Transport{
		Proxy:             nil,
		DialContext:       (&net.Dialer{Timeout: DefaultCRLTimeout}).DialContext,
		DisableKeepAlives: true,
	},
}
