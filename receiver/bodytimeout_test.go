package receiver_test

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/receiver"
	"github.com/hookcheck/hookcheck/receiver/api"
	"github.com/hookcheck/hookcheck/receiver/client"
)

var _ = Describe("Body timeout", func() {
	const bodyTimeout = 300 * time.Millisecond
	var (
		rv *receiver.Receiver
		c  *client.Client
		ch api.Channel
	)

	BeforeEach(func() {
		rv, c = startReceiver(receiver.Config{TLSListen: receiver.Off, SMTPListen: receiver.Off, BodyTimeout: bodyTimeout})
		ch = newChannel(c, api.ChannelRequest{})
	})

	// dial opens a raw connection to the receiver that fails the spec
	// rather than block past callWait.
	dial := func() net.Conn {
		GinkgoHelper()
		conn, err := net.Dial("tcp", hostPort(rv.URL()))
		Expect(err).NotTo(HaveOccurred())
		DeferCleanup(conn.Close)
		Expect(conn.SetDeadline(time.Now().Add(callWait))).To(Succeed())
		return conn
	}

	It("cuts off a sender that dribbles its body, records the bytes received as aborted, and answers 408", func() {
		conn := dial()
		_, err := fmt.Fprintf(conn, "POST /hooks/%s HTTP/1.1\r\nHost: %s\r\nContent-Length: 1000\r\n\r\nabc", ch.ID, hostPort(rv.URL()))
		Expect(err).NotTo(HaveOccurred())
		// One byte every 50 ms: it never stops for long, so an idle timeout
		// would never fire; the body as a whole is late.
		stop := make(chan struct{})
		dribbled := make(chan struct{})
		go func() {
			defer close(dribbled)
			t := time.NewTicker(50 * time.Millisecond)
			defer t.Stop()
			for {
				select {
				case <-stop:
					return
				case <-t.C:
					if _, err := conn.Write([]byte("x")); err != nil {
						return
					}
				}
			}
		}()
		DeferCleanup(func() { close(stop); <-dribbled })

		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		Expect(err).NotTo(HaveOccurred(), "the receiver answers once the body deadline passes")
		body, _ := io.ReadAll(resp.Body)
		Expect(resp.StatusCode).To(Equal(http.StatusRequestTimeout))
		Expect(string(body)).To(ContainSubstring("--body-timeout"))
		Expect(resp.Close).To(BeTrue(), "the connection is not kept")

		call := callNo(c, ch.ID, 1)
		Expect(call.Response.Fault).To(Equal("aborted"))
		Expect(call.Response.Status).To(Equal(http.StatusRequestTimeout))
		Expect(call.Body).To(HavePrefix("abc"))
		Expect(call.BodySize).To(Equal(int64(len(call.Body))), "the bytes that arrived, not the 1000 announced")
		Expect(call.BodySize).To(BeNumerically("<", 1000))
		Expect(call.Body[3:]).To(Equal(strings.Repeat("x", len(call.Body)-3)))
	})

	It("cuts off a sender that stops sending after the headers, and the connection is closed", func() {
		conn := dial()
		_, err := fmt.Fprintf(conn, "POST /hooks/%s HTTP/1.1\r\nHost: %s\r\nContent-Length: 10\r\n\r\n", ch.ID, hostPort(rv.URL()))
		Expect(err).NotTo(HaveOccurred())
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		Expect(err).NotTo(HaveOccurred())
		Expect(resp.StatusCode).To(Equal(http.StatusRequestTimeout))
		_, _ = io.Copy(io.Discard, resp.Body)
		_, err = conn.Read(make([]byte, 1))
		Expect(err).To(MatchError(io.EOF))
		call := callNo(c, ch.ID, 1)
		Expect(call.BodySize).To(BeZero())
		Expect(call.Response.Fault).To(Equal("aborted"))
	})

	It("does not cut short an answer scripted to come after the body deadline", func() {
		setScript(c, ch.ID, api.Rule{Respond: &api.Respond{Status: 202, Delay: api.Duration(3 * bodyTimeout)}})
		Expect(post(freshClient(callWait), ch.URL, []byte(`{"Event":"contact.created"}`), nil)).To(Equal(http.StatusAccepted))
		call := answeredCall(c, ch.ID, 1)
		Expect(call.Response.Status).To(Equal(http.StatusAccepted))
		Expect(call.Response.Fault).To(BeEmpty())
	})

	It("does not end a long poll at the body deadline", func() {
		done := queryInBackground(specCtx(), c, ch.ID, client.CallQuery{Wait: 10 * bodyTimeout})
		Consistently(done, 3*bodyTimeout).ShouldNot(Receive(), "the query returned before its wait")
		Expect(post(freshClient(callWait), ch.URL, []byte("{}"), nil)).To(Equal(http.StatusOK))
		var res queryResult
		Eventually(done, callWait).Should(Receive(&res))
		Expect(res.err).NotTo(HaveOccurred())
		Expect(res.list.Calls).To(HaveLen(1))
	})

	It("gives a control request's body the same deadline", func() {
		conn := dial()
		_, err := fmt.Fprintf(conn, "POST /_hookcheck/channels HTTP/1.1\r\nHost: %s\r\nContent-Length: 50\r\n\r\n{\"id\":", hostPort(rv.URL()))
		Expect(err).NotTo(HaveOccurred())
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		Expect(err).NotTo(HaveOccurred())
		Expect(resp.StatusCode).To(Equal(http.StatusBadRequest))
		b, _ := io.ReadAll(resp.Body)
		Expect(string(b)).To(ContainSubstring("timeout"))
	})
})
