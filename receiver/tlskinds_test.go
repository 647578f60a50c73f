package receiver_test

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/receiver"
	"github.com/hookcheck/hookcheck/receiver/api"
	"github.com/hookcheck/hookcheck/receiver/client"
)

// presented returns the certificate chain the listener of rawURL presents,
// read without verifying it.
func presented(rawURL string) []*x509.Certificate {
	GinkgoHelper()
	u, err := url.Parse(rawURL)
	Expect(err).NotTo(HaveOccurred())
	d := &net.Dialer{Timeout: callWait}
	conn, err := tls.DialWithDialer(d, "tcp", u.Host, &tls.Config{InsecureSkipVerify: true}) //nolint:gosec // reads what is presented
	Expect(err).NotTo(HaveOccurred())
	defer conn.Close()
	return conn.ConnectionState().PeerCertificates
}

// parseCA returns the receiver's CA certificate.
func parseCA(caPEM []byte) *x509.Certificate {
	GinkgoHelper()
	block, _ := pem.Decode(caPEM)
	Expect(block).NotTo(BeNil())
	cert, err := x509.ParseCertificate(block.Bytes)
	Expect(err).NotTo(HaveOccurred())
	return cert
}

// kindInfo returns what GET /_hookcheck/tls says of kind.
func kindInfo(c *client.Client, kind string) api.TLSKindInfo {
	GinkgoHelper()
	list, err := c.TLSKinds(specCtx())
	Expect(err).NotTo(HaveOccurred())
	for _, k := range list.Kinds {
		if k.Kind == kind {
			return k
		}
	}
	Fail("GET /_hookcheck/tls does not list " + kind)
	return api.TLSKindInfo{}
}

var _ = Describe("TLS kinds", func() {
	var (
		rv *receiver.Receiver
		c  *client.Client
		ca *x509.Certificate
	)
	BeforeEach(func() {
		rv, c = startReceiver(receiver.Config{SMTPListen: receiver.Off, TLSHosts: []string{"hooks.example.test"}})
		ca = parseCA(rv.CAPEM())
	})

	It("lists every kind as available on a receiver with its own CA, with the CRL's URL", func() {
		list, err := c.TLSKinds(specCtx())
		Expect(err).NotTo(HaveOccurred())
		Expect(list.CRL).To(Equal(rv.URL() + "/_hookcheck/ca.crl"))
		var kinds []string
		for _, k := range list.Kinds {
			kinds = append(kinds, k.Kind)
			Expect(k.Available).To(BeTrue(), "%s: %s", k.Kind, k.Reason)
			Expect(k.URL).To(BeEmpty(), "%s: listeners start on demand", k.Kind)
		}
		Expect(kinds).To(Equal(api.TLSKinds))
	})

	It("serves a valid channel that a client trusting the CA accepts, naming the CRL", func() {
		ch := newChannel(c, api.ChannelRequest{TLS: api.TLSValid})
		Expect(ch.TLS).To(Equal(api.TLSValid))
		Expect(ch.TLSURL).To(HavePrefix("https://127.0.0.1:"))
		Expect(ch.TLSURL).To(HaveSuffix("/hooks/" + ch.ID))
		Expect(hostPort(ch.TLSURL)).NotTo(Equal(hostPort(rv.TLSURL())), "a kind has a listener of its own")
		Expect(post(trustingClient(rv.CAPEM()), ch.TLSURL, []byte(`{}`), nil)).To(Equal(http.StatusOK))
		calls := waitCalls(c, ch.ID, 0, 1)
		Expect(calls[0].TLS).To(BeTrue())
		chain := presented(ch.TLSURL)
		Expect(chain[0].CheckSignatureFrom(ca)).To(Succeed())
		Expect(chain[0].CRLDistributionPoints).To(Equal([]string{rv.URL() + "/_hookcheck/ca.crl"}))
		Expect(chain[0].DNSNames).To(ContainElement("hooks.example.test"), "the receiver's TLS hosts")
	})

	DescribeTable("serves a certificate a client trusting the CA refuses, for the kind's one reason",
		func(kind string, refusal func(err error, leaf *x509.Certificate)) {
			ch := newChannel(c, api.ChannelRequest{TLS: kind})
			before := kindInfo(c, kind).Hellos
			_, _, err := sendCall(trustingClient(rv.CAPEM()), http.MethodPost, ch.TLSURL, []byte(`{}`), nil)
			Expect(err).To(HaveOccurred(), "the client accepted the %s certificate", kind)
			refusal(err, presented(ch.TLSURL)[0])
			Expect(allCalls(c, ch.ID).Calls).To(BeEmpty(), "a call got past the refused handshake")
			Expect(kindInfo(c, kind).Hellos).To(BeNumerically(">=", before+2), "the listener counts the handshakes begun (the refused one and presented's)")
		},
		Entry("expired: its validity ended years ago", api.TLSExpired, func(err error, leaf *x509.Certificate) {
			var invalid x509.CertificateInvalidError
			Expect(errors.As(err, &invalid)).To(BeTrue(), "want a certificate-invalid error, got %v", err)
			Expect(invalid.Reason).To(Equal(x509.Expired))
			Expect(leaf.NotAfter).To(BeTemporally("<", time.Now().Add(-4*365*24*time.Hour)))
			Expect(leaf.CheckSignatureFrom(ca)).To(Succeed(), "signed by the CA like a valid one")
		}),
		Entry("not-yet-valid: its validity starts years from now", api.TLSNotYetValid, func(err error, leaf *x509.Certificate) {
			var invalid x509.CertificateInvalidError
			Expect(errors.As(err, &invalid)).To(BeTrue(), "want a certificate-invalid error, got %v", err)
			Expect(invalid.Reason).To(Equal(x509.Expired), "Go reports both ends of the window as Expired")
			Expect(leaf.NotBefore).To(BeTemporally(">", time.Now().Add(4*365*24*time.Hour)))
			Expect(leaf.CheckSignatureFrom(ca)).To(Succeed())
		}),
		Entry("wrong-host: it names another host only", api.TLSWrongHost, func(err error, leaf *x509.Certificate) {
			var host x509.HostnameError
			Expect(errors.As(err, &host)).To(BeTrue(), "want a host-name error, got %v", err)
			Expect(leaf.DNSNames).To(Equal([]string{"wrong-host.invalid"}))
			Expect(leaf.IPAddresses).To(BeEmpty())
			Expect(leaf.CheckSignatureFrom(ca)).To(Succeed())
		}),
		Entry("self-signed: it is signed by its own key", api.TLSSelfSigned, func(err error, leaf *x509.Certificate) {
			var unknown x509.UnknownAuthorityError
			Expect(errors.As(err, &unknown)).To(BeTrue(), "want an unknown-authority error, got %v", err)
			Expect(leaf.CheckSignature(leaf.SignatureAlgorithm, leaf.RawTBSCertificate, leaf.Signature)).To(Succeed())
			Expect(leaf.IsCA).To(BeFalse())
		}),
		Entry("untrusted-ca: it is signed by another CA", api.TLSUntrustedCA, func(err error, leaf *x509.Certificate) {
			var unknown x509.UnknownAuthorityError
			Expect(errors.As(err, &unknown)).To(BeTrue(), "want an unknown-authority error, got %v", err)
			Expect(leaf.CheckSignatureFrom(ca)).NotTo(Succeed())
			Expect(leaf.Issuer.CommonName).To(Equal("hookcheck untrusted CA"))
		}),
	)

	It("serves a revoked certificate whose CRL, signed by the CA, lists it and no valid one", func() {
		revoked := newChannel(c, api.ChannelRequest{TLS: api.TLSRevoked})
		valid := newChannel(c, api.ChannelRequest{TLS: api.TLSValid})
		// Without a revocation check the chain is fine: revocation is the
		// only fault.
		Expect(post(trustingClient(rv.CAPEM()), revoked.TLSURL, []byte(`{}`), nil)).To(Equal(http.StatusOK))
		leaf, good := presented(revoked.TLSURL)[0], presented(valid.TLSURL)[0]
		Expect(leaf.CRLDistributionPoints).To(HaveLen(1))
		resp, err := http.Get(leaf.CRLDistributionPoints[0])
		Expect(err).NotTo(HaveOccurred())
		defer resp.Body.Close()
		Expect(resp.StatusCode).To(Equal(http.StatusOK))
		Expect(resp.Header.Get("Content-Type")).To(Equal("application/pkix-crl"))
		der, err := io.ReadAll(resp.Body)
		Expect(err).NotTo(HaveOccurred())
		crl, err := x509.ParseRevocationList(der)
		Expect(err).NotTo(HaveOccurred())
		Expect(crl.CheckSignatureFrom(ca)).To(Succeed())
		Expect(crl.ThisUpdate).To(BeTemporally("<", time.Now()))
		Expect(crl.NextUpdate).To(BeTemporally(">", time.Now().Add(time.Hour)))
		var serials []string
		for _, e := range crl.RevokedCertificateEntries {
			serials = append(serials, e.SerialNumber.String())
		}
		Expect(serials).To(ConsistOf(leaf.SerialNumber.String()))
		Expect(serials).NotTo(ContainElement(good.SerialNumber.String()))
		same, err := c.CRL(specCtx())
		Expect(err).NotTo(HaveOccurred())
		again, err := x509.ParseRevocationList(same)
		Expect(err).NotTo(HaveOccurred())
		Expect(again.RevokedCertificateEntries[0].SerialNumber).To(Equal(leaf.SerialNumber), "the CRL lists the same certificate for the receiver's life")
	})

	It("shares one listener among the channels of a kind and gives every kind its own", func() {
		a := newChannel(c, api.ChannelRequest{TLS: api.TLSExpired})
		b := newChannel(c, api.ChannelRequest{TLS: api.TLSExpired})
		other := newChannel(c, api.ChannelRequest{TLS: api.TLSWrongHost})
		Expect(hostPort(a.TLSURL)).To(Equal(hostPort(b.TLSURL)))
		Expect(hostPort(a.TLSURL)).NotTo(Equal(hostPort(other.TLSURL)))
		Expect(kindInfo(c, api.TLSExpired).URL).To(Equal("https://" + hostPort(a.TLSURL)))
		info, err := c.Channel(specCtx(), a.ID)
		Expect(err).NotTo(HaveOccurred())
		Expect(info.TLS).To(Equal(api.TLSExpired))
		Expect(info.TLSURL).To(Equal(a.TLSURL))
		plain := newChannel(c, api.ChannelRequest{})
		Expect(plain.TLS).To(BeEmpty())
		Expect(plain.TLSURL).To(HavePrefix(rv.TLSURL()))
	})

	It("refuses an unknown kind with a 400 naming the kinds, and keeps serving", func() {
		for _, body := range []string{`{"tls": "expird"}`, `{"tls": "VALID"}`, `{"tls": 5}`, `{"tls": ["valid"]}`} {
			status, res, raw := control(http.MethodPost, rv.URL()+"/_hookcheck/channels", []byte(body), nil)
			Expect(status).To(Equal(http.StatusBadRequest), "%s: %s", body, raw)
			Expect(res.Get("error").String()).To(ContainSubstring("tls"), body)
		}
		_, res, _ := control(http.MethodPost, rv.URL()+"/_hookcheck/channels", []byte(`{"tls": "expird"}`), nil)
		Expect(res.Get("error").String()).To(ContainSubstring("not-yet-valid"), "the error lists the kinds")
		list, err := c.Channels(specCtx())
		Expect(err).NotTo(HaveOccurred())
		Expect(list.Channels).To(BeEmpty(), "no channel was made")
		ch := newChannel(c, api.ChannelRequest{TLS: api.TLSValid})
		Expect(post(trustingClient(rv.CAPEM()), ch.TLSURL, []byte(`{}`), nil)).To(Equal(http.StatusOK))
	})

	It("serves the CRL and the kinds' listeners without the control token, /tls only with it", func() {
		own, oc := startReceiver(receiver.Config{SMTPListen: receiver.Off, ControlToken: "tok"})
		status, _, _ := control(http.MethodGet, own.URL()+"/_hookcheck/ca.crl", nil, nil)
		Expect(status).To(Equal(http.StatusOK))
		status, _, _ = control(http.MethodGet, own.URL()+"/_hookcheck/tls", nil, nil)
		Expect(status).To(Equal(http.StatusUnauthorized))
		authed := client.New(own.URL(), client.WithToken("tok"))
		ch, err := authed.CreateChannel(specCtx(), api.ChannelRequest{TLS: api.TLSValid})
		Expect(err).NotTo(HaveOccurred())
		Expect(post(trustingClient(own.CAPEM()), ch.TLSURL, []byte(`{}`), nil)).To(Equal(http.StatusOK))
		_, err = oc.TLSKinds(specCtx())
		Expect(errStatus(err)).To(Equal(http.StatusUnauthorized))
	})

	It("offers only self-signed and untrusted-ca with a given certificate, and no CRL", func() {
		certFile, keyFile := writeSelfSigned(GinkgoT().TempDir())
		_, oc := startReceiver(receiver.Config{SMTPListen: receiver.Off, TLSCertFile: certFile, TLSKeyFile: keyFile})
		for _, kind := range api.TLSKinds {
			info := kindInfo(oc, kind)
			_, err := oc.CreateChannel(specCtx(), api.ChannelRequest{TLS: kind})
			if kind == api.TLSSelfSigned || kind == api.TLSUntrustedCA {
				Expect(info.Available).To(BeTrue(), kind)
				Expect(err).NotTo(HaveOccurred(), kind)
				continue
			}
			Expect(info.Available).To(BeFalse(), kind)
			Expect(info.Reason).To(ContainSubstring("--tls-cert"), kind)
			Expect(errStatus(err)).To(Equal(http.StatusConflict), kind)
			Expect(err.Error()).To(ContainSubstring("--tls-cert"), kind)
		}
		list, err := oc.TLSKinds(specCtx())
		Expect(err).NotTo(HaveOccurred())
		Expect(list.CRL).To(BeEmpty())
		_, err = oc.CRL(specCtx())
		Expect(errStatus(err)).To(Equal(http.StatusNotFound))
	})

	It("refuses every kind with a 409 when the TLS listener is off", func() {
		_, oc := startReceiver(receiver.Config{SMTPListen: receiver.Off, TLSListen: receiver.Off})
		_, err := oc.CreateChannel(specCtx(), api.ChannelRequest{TLS: api.TLSSelfSigned})
		Expect(errStatus(err)).To(Equal(http.StatusConflict))
		Expect(err.Error()).To(ContainSubstring("no HTTPS listener"))
		Expect(kindInfo(oc, api.TLSValid).Available).To(BeFalse())
	})

	It("closes the kinds' listeners with the receiver", func() {
		own, err := receiver.Start(receiver.Config{SMTPListen: receiver.Off})
		Expect(err).NotTo(HaveOccurred())
		ch := newChannel(client.New(own.URL()), api.ChannelRequest{TLS: api.TLSExpired})
		addr := hostPort(ch.TLSURL)
		conn, err := net.DialTimeout("tcp", addr, callWait)
		Expect(err).NotTo(HaveOccurred())
		Expect(conn.Close()).To(Succeed())
		Expect(own.Close()).To(Succeed())
		_, err = net.DialTimeout("tcp", addr, callWait)
		Expect(err).To(HaveOccurred(), "the expired listener still accepts after Close")
	})
})
