package receiver_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/receiver"
	"github.com/hookcheck/hookcheck/receiver/api"
	"github.com/hookcheck/hookcheck/receiver/client"
)

// trustingClient returns an HTTP client that trusts only the given PEM
// certificates.
func trustingClient(caPEM []byte) *http.Client {
	GinkgoHelper()
	pool := x509.NewCertPool()
	Expect(pool.AppendCertsFromPEM(caPEM)).To(BeTrue(), "no certificate in %q", caPEM)
	return &http.Client{
		Timeout: callWait,
		Transport: &http.Transport{
			TLSClientConfig:   &tls.Config{RootCAs: pool},
			DisableKeepAlives: true,
			ForceAttemptHTTP2: true,
		},
	}
}

// withHost returns raw with its host replaced by host, keeping the port.
func withHost(raw, host string) string {
	GinkgoHelper()
	h, port, err := net.SplitHostPort(hostPort(raw))
	Expect(err).NotTo(HaveOccurred())
	return strings.Replace(raw, net.JoinHostPort(h, port), net.JoinHostPort(host, port), 1)
}

var _ = Describe("HTTPS", func() {
	var (
		rv *receiver.Receiver
		c  *client.Client
		ca []byte
	)

	BeforeEach(func() {
		rv, c = startReceiver(receiver.Config{TLSHosts: []string{"hooks.example.test", "10.20.30.40"}})
		var err error
		ca, err = c.CA(specCtx())
		Expect(err).NotTo(HaveOccurred())
	})

	It("serves the CA on /_hookcheck/ca.pem as a PEM CA certificate", func() {
		Expect(ca).To(Equal(rv.CAPEM()))
		block, rest := pem.Decode(ca)
		Expect(block).NotTo(BeNil())
		Expect(block.Type).To(Equal("CERTIFICATE"))
		Expect(strings.TrimSpace(string(rest))).To(BeEmpty())
		cert, err := x509.ParseCertificate(block.Bytes)
		Expect(err).NotTo(HaveOccurred())
		Expect(cert.IsCA).To(BeTrue())
	})

	DescribeTable("accepts calls on the TLS URL for each loopback name, recorded with tls=true",
		func(host string) {
			ch := newChannel(c, api.ChannelRequest{})
			Expect(ch.TLSURL).To(HavePrefix(rv.TLSURL() + "/hooks/"))
			target := withHost(ch.TLSURL, host)
			resp, _, err := sendCall(trustingClient(ca), http.MethodPost, target, []byte(`{"Event":"test"}`), nil)
			Expect(err).NotTo(HaveOccurred())
			Expect(resp.StatusCode).To(Equal(http.StatusOK))
			Expect(resp.Proto).To(Equal("HTTP/2.0"), "a client that offers h2 gets it")
			call := callNo(c, ch.ID, 1)
			Expect(call.TLS).To(BeTrue())
			Expect(call.Proto).To(Equal("HTTP/2.0"))
			Expect(call.Body).To(Equal(`{"Event":"test"}`))
		},
		Entry("127.0.0.1", "127.0.0.1"),
		Entry("localhost", "localhost"),
	)

	It("accepts calls over [::1] when the machine has IPv6 loopback", func() {
		v6, v6c, err := startOn("[::1]:0")
		if err != nil {
			Skip("no IPv6 loopback on this machine: " + err.Error())
		}
		Expect(v6.TLSURL()).To(HavePrefix("https://[::1]:"))
		v6ca, err := v6c.CA(specCtx())
		Expect(err).NotTo(HaveOccurred())
		ch := newChannel(v6c, api.ChannelRequest{})
		resp, _, err := sendCall(trustingClient(v6ca), http.MethodPost, ch.TLSURL, []byte(`{}`), nil)
		Expect(err).NotTo(HaveOccurred())
		Expect(resp.StatusCode).To(Equal(http.StatusOK))
		Expect(callNo(v6c, ch.ID, 1).TLS).To(BeTrue())
	})

	It("serves the control API over HTTPS too", func() {
		tc := client.New(rv.TLSURL(), client.WithHTTPClient(trustingClient(ca)))
		h, err := tc.Health(specCtx())
		Expect(err).NotTo(HaveOccurred())
		Expect(h.OK).To(BeTrue())
	})

	It("puts the extra TLSHosts in the leaf certificate's SANs", func() {
		pool := x509.NewCertPool()
		Expect(pool.AppendCertsFromPEM(ca)).To(BeTrue())
		conn, err := tls.Dial("tcp", hostPort(rv.TLSURL()), &tls.Config{RootCAs: pool, ServerName: "hooks.example.test"})
		Expect(err).NotTo(HaveOccurred(), "the certificate does not verify for hooks.example.test")
		defer conn.Close()
		leaf := conn.ConnectionState().PeerCertificates[0]
		Expect(leaf.DNSNames).To(ContainElements("localhost", "hooks.example.test"))
		var ips []string
		for _, ip := range leaf.IPAddresses {
			ips = append(ips, ip.String())
		}
		Expect(ips).To(ContainElements("127.0.0.1", "::1", "10.20.30.40"))
		Expect(leaf.VerifyHostname("10.20.30.40")).To(Succeed())
		Expect(leaf.VerifyHostname("other.example.test")).NotTo(Succeed())

		// A client that reaches the receiver under the extra name works end to end.
		hc := trustingClient(ca)
		dialer := &net.Dialer{Timeout: callWait}
		hc.Transport.(*http.Transport).DialContext = func(ctx context.Context, network, _ string) (net.Conn, error) {
			return dialer.DialContext(ctx, network, hostPort(rv.TLSURL()))
		}
		ch := newChannel(c, api.ChannelRequest{})
		resp, _, err := sendCall(hc, http.MethodPost, withHost(ch.TLSURL, "hooks.example.test"), []byte(`{}`), nil)
		Expect(err).NotTo(HaveOccurred())
		Expect(resp.StatusCode).To(Equal(http.StatusOK))
		call := callNo(c, ch.ID, 1)
		Expect(call.Header("Host")).To(HavePrefix("hooks.example.test:"))
	})

	It("is refused by a client that does not trust the CA, and records nothing", func() {
		ch := newChannel(c, api.ChannelRequest{})
		_, _, err := sendCall(freshClient(callWait), http.MethodPost, ch.TLSURL, []byte(`{}`), nil)
		Expect(err).To(HaveOccurred())
		var unknown x509.UnknownAuthorityError
		Expect(errors.As(err, &unknown)).To(BeTrue(), "want an unknown-authority error, got %v", err)
		Expect(allCalls(c, ch.ID).Calls).To(BeEmpty())
	})

	It("uses a given certificate and key instead of generating them", func() {
		certFile, keyFile := writeSelfSigned(GinkgoT().TempDir())
		own, oc := startReceiver(receiver.Config{TLSCertFile: certFile, TLSKeyFile: keyFile})
		pemBytes, err := os.ReadFile(certFile)
		Expect(err).NotTo(HaveOccurred())
		served, err := oc.CA(specCtx())
		Expect(err).NotTo(HaveOccurred())
		Expect(served).To(Equal(pemBytes))
		ch := newChannel(oc, api.ChannelRequest{})
		Expect(ch.TLSURL).To(HavePrefix(own.TLSURL()))
		resp, _, err := sendCall(trustingClient(served), http.MethodPost, ch.TLSURL, []byte(`{}`), nil)
		Expect(err).NotTo(HaveOccurred())
		Expect(resp.StatusCode).To(Equal(http.StatusOK))
	})

	It("has no HTTPS, no TLS URLs and no ca.pem when the TLS listener is off", func() {
		off, oc := startReceiver(receiver.Config{TLSListen: receiver.Off})
		Expect(off.TLSURL()).To(BeEmpty())
		Expect(off.CAPEM()).To(BeEmpty())
		Expect(off.Addresses().HTTPS).To(BeEmpty())
		ch := newChannel(oc, api.ChannelRequest{})
		Expect(ch.TLSURL).To(BeEmpty())
		_, err := oc.CA(specCtx())
		Expect(errStatus(err)).To(Equal(http.StatusNotFound))
	})
})

// startOn starts a receiver whose HTTP and HTTPS listeners bind addr, and
// closes it when the spec ends; it returns the error of Start instead of
// failing, so a spec can skip.
func startOn(addr string) (*receiver.Receiver, *client.Client, error) {
	rv, err := receiver.Start(receiver.Config{Listen: addr, TLSListen: addr, SMTPListen: receiver.Off})
	if err != nil {
		return nil, nil, err
	}
	DeferCleanup(rv.Close)
	return rv, client.New(rv.URL()), nil
}

// writeSelfSigned writes a self-signed certificate for 127.0.0.1 and
// localhost and its key as PEM files in dir.
func writeSelfSigned(dir string) (certFile, keyFile string) {
	GinkgoHelper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	Expect(err).NotTo(HaveOccurred())
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(42),
		Subject:               pkix.Name{CommonName: "hookcheck spec"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		DNSNames:              []string{"localhost"},
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	Expect(err).NotTo(HaveOccurred())
	keyDER, err := x509.MarshalECPrivateKey(key)
	Expect(err).NotTo(HaveOccurred())
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	Expect(os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)).To(Succeed())
	Expect(os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600)).To(Succeed())
	return certFile, keyFile
}
