package receiver_test

import (
	"bufio"
	"net"
	"net/http"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/receiver"
	"github.com/hookcheck/hookcheck/receiver/api"
)

var _ = Describe("Headers as sent", func() {
	// dial opens a TCP connection to the receiver's HTTP listener and
	// returns it with a reader for the answers.
	dial := func(rv *receiver.Receiver) (net.Conn, *bufio.Reader) {
		GinkgoHelper()
		conn, err := net.Dial("tcp", hostPort(rv.URL()))
		Expect(err).NotTo(HaveOccurred())
		DeferCleanup(conn.Close)
		Expect(conn.SetDeadline(time.Now().Add(callWait))).To(Succeed())
		return conn, bufio.NewReader(conn)
	}
	answer := func(rd *bufio.Reader) int {
		GinkgoHelper()
		resp, err := http.ReadResponse(rd, nil)
		Expect(err).NotTo(HaveOccurred())
		resp.Body.Close()
		return resp.StatusCode
	}

	It("records each call's header lines in the sender's case and order, call after call on one connection", func() {
		rv, c := startReceiver(receiver.Config{TLSListen: receiver.Off, SMTPListen: receiver.Off})
		conn, rd := dial(rv)
		first := "POST /hooks/raw HTTP/1.1\r\nhost: " + hostPort(rv.URL()) + "\r\nX-SuperOffice-EventId: e-1\r\ncontent-type: application/json\r\n" +
			"X-SUPEROFFICE-EVENT: contact.created\r\nAccept: a\r\nContent-Length: 2\r\nAccept:   b  \r\n\r\n{}"
		_, err := conn.Write([]byte(first))
		Expect(err).NotTo(HaveOccurred())
		Expect(answer(rd)).To(Equal(200))
		// A control request on the same connection, then a chunked call.
		_, err = conn.Write([]byte("GET /_hookcheck/healthz HTTP/1.1\r\nHost: " + hostPort(rv.URL()) + "\r\n\r\n"))
		Expect(err).NotTo(HaveOccurred())
		Expect(answer(rd)).To(Equal(200))
		second := "POST /hooks/raw HTTP/1.1\r\nTransfer-Encoding: chunked\r\nHOST: " + hostPort(rv.URL()) + "\r\nx-superoffice-retry: 1\r\n\r\n2\r\n{}\r\n0\r\n\r\n"
		_, err = conn.Write([]byte(second))
		Expect(err).NotTo(HaveOccurred())
		Expect(answer(rd)).To(Equal(200))

		calls := waitCalls(c, "raw", 0, 2)
		Expect(calls[0].RawHeaders).To(Equal([]api.HeaderField{
			{Name: "host", Value: hostPort(rv.URL())},
			{Name: "X-SuperOffice-EventId", Value: "e-1"},
			{Name: "content-type", Value: "application/json"},
			{Name: "X-SUPEROFFICE-EVENT", Value: "contact.created"},
			{Name: "Accept", Value: "a"},
			{Name: "Content-Length", Value: "2"},
			{Name: "Accept", Value: "b"},
		}))
		Expect(calls[0].Headers["X-Superoffice-Eventid"]).To(Equal([]string{"e-1"}), "the canonical headers are unchanged")
		Expect(calls[0].EventID).To(Equal("e-1"))
		Expect(calls[1].RawHeaders).To(Equal([]api.HeaderField{
			{Name: "Transfer-Encoding", Value: "chunked"},
			{Name: "HOST", Value: hostPort(rv.URL())},
			{Name: "x-superoffice-retry", Value: "1"},
		}))
		Expect(calls[1].Body).To(Equal("{}"))
	})

	It("never gives a pipelined call another request's lines", func() {
		rv, c := startReceiver(receiver.Config{TLSListen: receiver.Off, SMTPListen: receiver.Off})
		conn, rd := dial(rv)
		req := func(id string) string {
			return "POST /hooks/pipe HTTP/1.1\r\nHost: " + hostPort(rv.URL()) + "\r\nx-id: " + id + "\r\nContent-Length: 2\r\n\r\n{}"
		}
		_, err := conn.Write([]byte(req("one") + req("two") + req("three")))
		Expect(err).NotTo(HaveOccurred())
		for range 3 {
			Expect(answer(rd)).To(Equal(200))
		}
		calls := waitCalls(c, "pipe", 0, 3)
		Expect(calls[0].RawHeaders).To(ContainElement(api.HeaderField{Name: "x-id", Value: "one"}), "the first block was copied")
		for _, call := range calls {
			if call.RawHeaders == nil {
				continue // read ahead with the one before: not copied, so not shown
			}
			Expect(call.RawHeaders).To(ContainElement(api.HeaderField{Name: "x-id", Value: call.Headers["X-Id"][0]}))
		}
	})

	It("has none for calls over HTTPS, where the bytes stay inside TLS", func() {
		rv, c := startReceiver(receiver.Config{SMTPListen: receiver.Off})
		ch := newChannel(c, api.ChannelRequest{})
		Expect(post(trustingClient(rv.CAPEM()), ch.TLSURL, []byte(`{}`), hdr("x-lower", "1"))).To(Equal(200))
		call := callNo(c, ch.ID, 1)
		Expect(call.RawHeaders).To(BeNil())
		Expect(call.Headers).To(HaveKey("X-Lower"))
	})
})
