package reference_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/conformance/reference"
	"github.com/hookcheck/hookcheck/receiver"
	"github.com/hookcheck/hookcheck/receiver/api"
	"github.com/hookcheck/hookcheck/receiver/client"
)

// certReceiver starts a receiver whose CA the services of a spec trust,
// with the CRL served at publicURL's address ("" for its own).
func certReceiver(publicURL string) (*receiver.Receiver, *client.Client) {
	GinkgoHelper()
	rv, err := receiver.Start(receiver.Config{SMTPListen: receiver.Off, PublicURL: publicURL})
	Expect(err).NotTo(HaveOccurred())
	DeferCleanup(rv.Close)
	return rv, client.New(rv.URL())
}

// trustingService returns a service that trusts rv's CA and requires
// https, checking revocation when asked to.
func trustingService(rv *receiver.Receiver, checkRevocation bool) *reference.Service {
	GinkgoHelper()
	s, err := reference.New(reference.Options{TrustCAPEM: rv.CAPEM(), CheckRevocation: checkRevocation, HTTPTimeout: 5 * time.Second})
	Expect(err).NotTo(HaveOccurred())
	DeferCleanup(s.Close)
	return s
}

// saveTo saves a webhook aimed at a new channel of kind and returns the
// channel and the save's error.
func saveTo(s *reference.Service, rc *client.Client, kind string) (api.Channel, error) {
	GinkgoHelper()
	ch, err := rc.CreateChannel(coreCtx, api.ChannelRequest{TLS: kind})
	Expect(err).NotTo(HaveOccurred())
	_, err = s.Create(coreCtx, coreAdmin, reference.Webhook{Name: kind, Events: []string{"a.b"}, TargetURL: ch.TLSURL})
	return ch, err
}

var _ = Describe("core: the target's TLS certificate (§3)", func() {
	var (
		rv *receiver.Receiver
		rc *client.Client
	)
	BeforeEach(func() { rv, rc = certReceiver("") })

	// refused checks that a save failed the URL check, stored nothing and
	// sent nothing to ch.
	refused := func(s *reference.Service, err error, ch api.Channel, reason string) {
		GinkgoHelper()
		Expect(coreKind(err)).To(Equal(reference.KindVerificationFailed), "%v", err)
		Expect(err.Error()).To(ContainSubstring(reason))
		all, _ := s.List(coreCtx, coreAdmin, reference.Filter{})
		Expect(all).To(BeEmpty(), "a refused save stored the webhook")
		calls, cerr := rc.Calls(coreCtx, ch.ID, client.CallQuery{})
		Expect(cerr).NotTo(HaveOccurred())
		Expect(calls.Calls).To(BeEmpty(), "the test event went over a refused connection")
	}

	It("accepts a valid certificate of a trusted CA, with and without the revocation check", func() {
		for _, check := range []bool{false, true} {
			s := trustingService(rv, check)
			ch, err := saveTo(s, rc, api.TLSValid)
			Expect(err).NotTo(HaveOccurred(), "revocation check %v", check)
			calls, err := rc.WaitCalls(coreCtx, ch.ID, 0, 1, 5*time.Second)
			Expect(err).NotTo(HaveOccurred())
			Expect(calls[0].TLS).To(BeTrue())
		}
	})

	DescribeTable("refuses a bad certificate at save time",
		func(kind, reason string) {
			s := trustingService(rv, false)
			ch, err := saveTo(s, rc, kind)
			refused(s, err, ch, reason)
		},
		Entry("expired", api.TLSExpired, "expired"),
		Entry("not yet valid", api.TLSNotYetValid, "not yet valid"),
		Entry("wrong host", api.TLSWrongHost, "cannot validate certificate for 127.0.0.1"),
		Entry("self-signed", api.TLSSelfSigned, "unknown authority"),
		Entry("signed by an untrusted CA", api.TLSUntrustedCA, "unknown authority"),
	)

	It("refuses a revoked certificate only when it checks revocation", func() {
		_, err := saveTo(trustingService(rv, false), rc, api.TLSRevoked)
		Expect(err).NotTo(HaveOccurred(), "without the check the chain is fine")
		s := trustingService(rv, true)
		ch, err := saveTo(s, rc, api.TLSRevoked)
		refused(s, err, ch, "revoked")
		Expect(errors.Is(err, reference.ErrRevoked)).To(BeTrue(), "%v", err)
	})

	It("refuses a certificate whose CRL cannot be fetched when it checks revocation", func() {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		Expect(err).NotTo(HaveOccurred())
		gone := "http://" + ln.Addr().String()
		Expect(ln.Close()).To(Succeed())
		unreachable, urc := certReceiver(gone) // its certificates name a CRL at a closed port
		s := trustingService(unreachable, true)
		ch, err := saveTo(s, urc, api.TLSValid)
		Expect(coreKind(err)).To(Equal(reference.KindVerificationFailed), "%v", err)
		Expect(err.Error()).To(ContainSubstring("revocation status"))
		calls, cerr := urc.Calls(coreCtx, ch.ID, client.CallQuery{})
		Expect(cerr).NotTo(HaveOccurred())
		Expect(calls.Calls).To(BeEmpty())
		Expect(errors.Is(err, reference.ErrRevoked)).To(BeFalse(), "unknown is not revoked")
	})
})

var _ = Describe("core: CRLChecker", func() {
	var (
		ca, other *x509.Certificate
		caKey     *ecdsa.PrivateKey
		otherKey  *ecdsa.PrivateKey
		crlBody   []byte
		srv       *httptest.Server
	)

	// newRoot makes a self-signed CA.
	newRoot := func(name string) (*x509.Certificate, *ecdsa.PrivateKey) {
		key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		Expect(err).NotTo(HaveOccurred())
		tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: name},
			NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
			IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
		Expect(err).NotTo(HaveOccurred())
		cert, err := x509.ParseCertificate(der)
		Expect(err).NotTo(HaveOccurred())
		return cert, key
	}
	// makeCRL returns a CRL by issuer listing serials, current from
	// thisUpdate to nextUpdate.
	makeCRL := func(issuer *x509.Certificate, key *ecdsa.PrivateKey, thisUpdate, nextUpdate time.Time, serials ...int64) []byte {
		var entries []x509.RevocationListEntry
		for _, n := range serials {
			entries = append(entries, x509.RevocationListEntry{SerialNumber: big.NewInt(n), RevocationTime: thisUpdate})
		}
		der, err := x509.CreateRevocationList(rand.Reader, &x509.RevocationList{Number: big.NewInt(1), ThisUpdate: thisUpdate, NextUpdate: nextUpdate, RevokedCertificateEntries: entries}, issuer, key)
		Expect(err).NotTo(HaveOccurred())
		return der
	}
	leaf := func(serial int64, points ...string) *x509.Certificate {
		return &x509.Certificate{SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: "leaf"}, CRLDistributionPoints: points}
	}

	BeforeEach(func() {
		ca, caKey = newRoot("ca")
		other, otherKey = newRoot("other")
		crlBody = makeCRL(ca, caKey, time.Now().Add(-time.Hour), time.Now().Add(time.Hour), 7)
		srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/missing" {
				http.NotFound(w, r)
				return
			}
			_, _ = w.Write(crlBody)
		}))
		DeferCleanup(srv.Close)
	})

	It("refuses a listed serial and passes another one", func() {
		c := reference.CRLChecker{}
		Expect(errors.Is(c.CheckRevocation(context.Background(), leaf(7, srv.URL+"/ca.crl"), ca), reference.ErrRevoked)).To(BeTrue())
		Expect(c.CheckRevocation(context.Background(), leaf(8, srv.URL+"/ca.crl"), ca)).To(Succeed())
	})

	It("passes a certificate that names no CRL", func() {
		Expect(reference.CRLChecker{}.CheckRevocation(context.Background(), leaf(7), ca)).To(Succeed())
	})

	DescribeTable("refuses a certificate whose status is unknown",
		func(prepare func() (*x509.Certificate, reference.CRLChecker), want string) {
			cert, c := prepare()
			err := c.CheckRevocation(context.Background(), cert, ca)
			Expect(err).To(MatchError(ContainSubstring(want)))
			Expect(errors.Is(err, reference.ErrRevoked)).To(BeFalse())
		},
		Entry("a CRL another CA signed", func() (*x509.Certificate, reference.CRLChecker) {
			crlBody = makeCRL(other, otherKey, time.Now().Add(-time.Hour), time.Now().Add(time.Hour))
			return leaf(8, srv.URL+"/ca.crl"), reference.CRLChecker{}
		}, "not signed"),
		Entry("an out-of-date CRL", func() (*x509.Certificate, reference.CRLChecker) {
			crlBody = makeCRL(ca, caKey, time.Now().Add(-3*time.Hour), time.Now().Add(-2*time.Hour))
			return leaf(8, srv.URL+"/ca.crl"), reference.CRLChecker{}
		}, "not current"),
		Entry("a CRL that answers 404", func() (*x509.Certificate, reference.CRLChecker) {
			return leaf(8, srv.URL+"/missing"), reference.CRLChecker{}
		}, "404"),
		Entry("a CRL larger than MaxSize", func() (*x509.Certificate, reference.CRLChecker) {
			return leaf(8, srv.URL+"/ca.crl"), reference.CRLChecker{MaxSize: 16}
		}, "larger than 16 bytes"),
		Entry("garbage instead of a CRL", func() (*x509.Certificate, reference.CRLChecker) {
			crlBody = []byte(strings.Repeat("not a CRL ", 10))
			return leaf(8, srv.URL+"/ca.crl"), reference.CRLChecker{}
		}, "CRL"),
		Entry("CRLs only at URLs that are not http(s)", func() (*x509.Certificate, reference.CRLChecker) {
			return leaf(8, "ldap://ldap.example/cn=ca"), reference.CRLChecker{}
		}, "not http(s)"),
	)
})
