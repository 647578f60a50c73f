package receiver_test

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net/http"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/receiver"
	"github.com/hookcheck/hookcheck/receiver/api"
	"github.com/hookcheck/hookcheck/receiver/client"
)

// onlyClient returns a client that trusts caPEM and speaks only the given
// protocol over TLS: HTTP/2 (as Node's http2 module does) or HTTP/1.1.
func onlyClient(caPEM []byte, h2 bool) *http.Client {
	GinkgoHelper()
	pool := x509.NewCertPool()
	Expect(pool.AppendCertsFromPEM(caPEM)).To(BeTrue())
	var p http.Protocols
	p.SetHTTP2(h2)
	p.SetHTTP1(!h2)
	return &http.Client{Timeout: callWait, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}, Protocols: &p}}
}

var _ = Describe("HTTP/2", func() {
	var (
		rv *receiver.Receiver
		c  *client.Client
		h2 *http.Client
	)

	BeforeEach(func() {
		rv, c = startReceiver(receiver.Config{SMTPListen: receiver.Off})
		h2 = onlyClient(rv.CAPEM(), true)
	})

	It("records a signed call from an HTTP/2-only sender byte for byte, with a valid signature and proto HTTP/2.0", func() {
		const secret = "s3cret"
		ch := newChannel(c, api.ChannelRequest{Secret: secret})
		bodies := [][]byte{
			[]byte(`{"EventId":"4b5ce038","Event":"contact.created","PrimaryKey":18}`),
			{0xff, 0x00, 0xfe, 'x', 0x80}, // not UTF-8: kept as bodyBase64
		}
		for i, body := range bodies {
			resp, _, err := sendCall(h2, http.MethodPost, ch.TLSURL+"/sub?x=1", body, hdr(
				"X-SuperOffice-Event", "contact.created",
				"X-SuperOffice-Signature", receiver.Sign(secret, body),
			))
			Expect(err).NotTo(HaveOccurred())
			Expect(resp.Proto).To(Equal("HTTP/2.0"))
			Expect(resp.StatusCode).To(Equal(http.StatusOK))

			call := callNo(c, ch.ID, uint64(i+1))
			Expect(call.Proto).To(Equal("HTTP/2.0"))
			Expect(call.TLS).To(BeTrue())
			Expect(call.Method).To(Equal(http.MethodPost))
			Expect(call.Path).To(Equal("/hooks/" + ch.ID + "/sub"))
			Expect(call.Query).To(Equal("x=1"))
			Expect(call.Header("Host")).To(Equal(hostPort(rv.TLSURL())), "the :authority")
			Expect(call.Event).To(Equal("contact.created"))
			raw, err := call.RawBody()
			Expect(err).NotTo(HaveOccurred())
			Expect(raw).To(Equal(body))
			Expect(call.BodySize).To(Equal(int64(len(body))))
			Expect(call.Signature).To(Equal(api.SignatureValid))
		}
		Expect(callNo(c, ch.ID, 2).BodyBase64).NotTo(BeEmpty())
	})

	It("still speaks HTTP/1.1 to a sender that offers only that", func() {
		ch := newChannel(c, api.ChannelRequest{})
		resp, _, err := sendCall(onlyClient(rv.CAPEM(), false), http.MethodPost, ch.TLSURL, []byte(`{}`), nil)
		Expect(err).NotTo(HaveOccurred())
		Expect(resp.Proto).To(Equal("HTTP/1.1"))
		Expect(callNo(c, ch.ID, 1).Proto).To(Equal("HTTP/1.1"))
	})

	It("answers scripted statuses, and resets the stream for the faults that take a connection over HTTP/1", func() {
		ch := newChannel(c, api.ChannelRequest{Script: []api.Rule{
			{Match: &api.Match{Nth: "1"}, Respond: &api.Respond{Status: 503, Body: "later"}},
			{Match: &api.Match{Nth: "2"}, Fault: &api.Fault{Type: "reset"}},
			{Match: &api.Match{Nth: "3"}, Fault: &api.Fault{Type: "garbage"}},
			{Match: &api.Match{Nth: "4"}, Fault: &api.Fault{Type: "hang", Duration: api.Duration(200 * time.Millisecond)}},
		}})
		resp, body, err := sendCall(h2, http.MethodPost, ch.TLSURL, []byte(`{}`), nil)
		Expect(err).NotTo(HaveOccurred())
		Expect(resp.StatusCode).To(Equal(http.StatusServiceUnavailable))
		Expect(string(body)).To(Equal("later"))
		for _, fault := range []string{"reset", "garbage", "hang"} {
			_, _, err := sendCall(h2, http.MethodPost, ch.TLSURL, []byte(`{}`), nil)
			Expect(err).To(HaveOccurred(), "%s answers nothing", fault)
			Expect(errors.Is(err, http.ErrServerClosed)).To(BeFalse())
		}
		for seq, fault := range map[uint64]string{2: "reset", 3: "garbage", 4: "hang"} {
			Expect(answeredCall(c, ch.ID, seq).Response.Fault).To(Equal(fault))
		}
		// The connection, shared by the streams, is still good.
		resp, _, err = sendCall(h2, http.MethodPost, ch.TLSURL, []byte(`{}`), nil)
		Expect(err).NotTo(HaveOccurred())
		Expect(resp.StatusCode).To(Equal(http.StatusOK))
	})

	It("cuts off an HTTP/2 body that takes longer than the body timeout", func() {
		rv, c := startReceiver(receiver.Config{SMTPListen: receiver.Off, BodyTimeout: 200 * time.Millisecond})
		ch := newChannel(c, api.ChannelRequest{})
		// Three bytes of the hundred announced, then nothing until the spec ends.
		pr, pw := io.Pipe()
		DeferCleanup(pw.Close)
		go func() { _, _ = pw.Write([]byte("abc")) }()
		req, err := http.NewRequest(http.MethodPost, ch.TLSURL, pr)
		Expect(err).NotTo(HaveOccurred())
		req.ContentLength = 100
		resp, err := onlyClient(rv.CAPEM(), true).Do(req)
		Expect(err).NotTo(HaveOccurred())
		resp.Body.Close()
		Expect(resp.StatusCode).To(Equal(http.StatusRequestTimeout))
		call := callNo(c, ch.ID, 1)
		Expect(call.Proto).To(Equal("HTTP/2.0"))
		Expect(call.Body).To(Equal("abc"))
		Expect(call.Response.Fault).To(Equal("aborted"))
	})
})
