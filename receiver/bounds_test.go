package receiver_test

import (
	"bytes"
	"errors"
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

// unsized hides a reader's length from net/http, so the body goes out
// chunked, without a Content-Length.
type unsized struct{ r io.Reader }

func (u unsized) Read(p []byte) (int, error) { return u.r.Read(p) }

var _ = Describe("Bounds", func() {
	var hc *http.Client

	BeforeEach(func() { hc = freshClient(callWait) })

	Describe("MaxCalls", func() {
		var c *client.Client

		BeforeEach(func() { _, c = startReceiver(receiver.Config{MaxCalls: 10}) })

		health := func() api.Health {
			GinkgoHelper()
			h, err := c.Health(specCtx())
			Expect(err).NotTo(HaveOccurred())
			return h
		}

		It("evicts the oldest calls across channels, counts evictions and keeps seq increasing", func() {
			a := newChannel(c, api.ChannelRequest{ID: "a"})
			b := newChannel(c, api.ChannelRequest{ID: "b"})
			for i := 1; i <= 15; i++ {
				Expect(post(hc, a.URL, []byte(fmt.Sprint(i)), nil)).To(Equal(http.StatusOK))
			}
			list := allCalls(c, a.ID)
			Expect(list.Calls).To(HaveLen(10))
			Expect(list.Calls[0].Seq).To(BeEquivalentTo(6))
			Expect(list.Calls[9].Seq).To(BeEquivalentTo(15))
			Expect(list.Calls[0].Body).To(Equal("6"))
			Expect(list.Evicted).To(BeEquivalentTo(5))
			Expect(list.Last).To(BeEquivalentTo(15))
			h := health()
			Expect(h.Calls).To(Equal(10))
			Expect(h.Evicted).To(BeEquivalentTo(5))

			// Calls to another channel push out a's oldest calls.
			for i := 1; i <= 4; i++ {
				Expect(post(hc, b.URL, []byte(fmt.Sprint(i)), nil)).To(Equal(http.StatusOK))
			}
			list = allCalls(c, a.ID)
			Expect(list.Calls).To(HaveLen(6))
			Expect(list.Calls[0].Seq).To(BeEquivalentTo(10))
			Expect(list.Evicted).To(BeEquivalentTo(9))
			Expect(allCalls(c, b.ID).Calls).To(HaveLen(4))
			info, err := c.Channel(specCtx(), a.ID)
			Expect(err).NotTo(HaveOccurred())
			Expect(info.Evicted).To(BeEquivalentTo(9))
			h = health()
			Expect(h.Calls).To(Equal(10), "the receiver holds more calls than MaxCalls")
			Expect(h.Evicted).To(BeEquivalentTo(9))

			// A query after an evicted seq returns what is still held.
			list, err = c.Calls(specCtx(), a.ID, client.CallQuery{After: 2})
			Expect(err).NotTo(HaveOccurred())
			Expect(list.Calls[0].Seq).To(BeEquivalentTo(10))
		})

		It("releases a deleted channel's share without counting evictions", func() {
			a := newChannel(c, api.ChannelRequest{ID: "a"})
			for i := 1; i <= 10; i++ {
				Expect(post(hc, a.URL, []byte(fmt.Sprint(i)), nil)).To(Equal(http.StatusOK))
			}
			Expect(c.DeleteChannel(specCtx(), a.ID)).To(Succeed())
			Expect(health().Calls).To(BeZero())
			b := newChannel(c, api.ChannelRequest{ID: "b"})
			for i := 1; i <= 10; i++ {
				Expect(post(hc, b.URL, []byte(fmt.Sprint(i)), nil)).To(Equal(http.StatusOK))
			}
			list := allCalls(c, b.ID)
			Expect(list.Calls).To(HaveLen(10))
			Expect(list.Evicted).To(BeZero())
			h := health()
			Expect(h.Calls).To(Equal(10))
			Expect(h.Evicted).To(BeZero())
		})
	})

	Describe("MaxBody", func() {
		const maxBody = 1024
		var (
			c  *client.Client
			ch api.Channel
		)

		BeforeEach(func() {
			_, c = startReceiver(receiver.Config{MaxBody: maxBody})
			ch = newChannel(c, api.ChannelRequest{Secret: "s"})
		})

		It("records a body of exactly MaxBody whole", func() {
			body := bytes.Repeat([]byte("a"), maxBody)
			Expect(post(hc, ch.URL, body, hdr("X-SuperOffice-Signature", receiver.Sign("s", body)))).To(Equal(http.StatusOK))
			call := callNo(c, ch.ID, 1)
			Expect(call.Truncated).To(BeFalse())
			Expect(call.Body).To(HaveLen(maxBody))
			Expect(call.Signature).To(Equal(api.SignatureValid))
		})

		It("answers 413 to a larger body, records it truncated, and keeps serving", func() {
			body := bytes.Repeat([]byte("0123456789abcdef"), 256) // 4 KiB
			resp, answer, err := sendCall(hc, http.MethodPost, ch.URL, body, hdr("X-SuperOffice-Signature", receiver.Sign("s", body)))
			Expect(err).NotTo(HaveOccurred())
			Expect(resp.StatusCode).To(Equal(http.StatusRequestEntityTooLarge))
			Expect(string(answer)).To(ContainSubstring(`"status":413`))

			call := callNo(c, ch.ID, 1)
			Expect(call.Truncated).To(BeTrue())
			Expect(call.BodySize).To(BeNumerically(">=", len(body)))
			Expect(call.Body).To(Equal(string(body[:maxBody])))
			Expect(call.Signature).To(Equal(api.SignatureUnchecked))
			Expect(call.Response.Status).To(Equal(http.StatusRequestEntityTooLarge))

			Expect(post(hc, ch.URL, []byte("small"), nil)).To(Equal(http.StatusOK))
			Expect(callNo(c, ch.ID, 2).Body).To(Equal("small"))
		})

		It("counts the size of a chunked body over the limit", func() {
			body := bytes.Repeat([]byte("x"), 3*maxBody+7)
			req, err := http.NewRequest(http.MethodPost, ch.URL, unsized{bytes.NewReader(body)})
			Expect(err).NotTo(HaveOccurred())
			req.ContentLength = -1 // unknown: sent chunked
			resp, err := hc.Do(req)
			Expect(err).NotTo(HaveOccurred())
			resp.Body.Close()
			Expect(resp.StatusCode).To(Equal(http.StatusRequestEntityTooLarge))
			call := callNo(c, ch.ID, 1)
			Expect(call.Truncated).To(BeTrue())
			Expect(call.BodySize).To(BeNumerically(">=", len(body)))
			Expect(call.Body).To(HaveLen(maxBody))
		})
	})

	It("disconnects a client that sends half a request line (slowloris)", func() {
		rv, _ := startReceiver(receiver.Config{ReadHeaderTimeout: 200 * time.Millisecond})
		conn, err := net.Dial("tcp", hostPort(rv.URL()))
		Expect(err).NotTo(HaveOccurred())
		defer conn.Close()
		_, err = conn.Write([]byte("POST /hooks/slow HT"))
		Expect(err).NotTo(HaveOccurred())
		Expect(conn.SetReadDeadline(time.Now().Add(callWait))).To(Succeed())
		_, err = io.ReadAll(conn) // returns once the server closes the connection
		var ne net.Error
		if err != nil && errors.As(err, &ne) {
			Expect(ne.Timeout()).To(BeFalse(), "the server kept the half-sent request open")
		}
	})

	It("disconnects a client that never completes its TLS handshake", func() {
		rv, _ := startReceiver(receiver.Config{ReadHeaderTimeout: 200 * time.Millisecond})
		conn, err := net.Dial("tcp", hostPort(rv.TLSURL()))
		Expect(err).NotTo(HaveOccurred())
		defer conn.Close()
		_, err = conn.Write([]byte{0x16, 0x03, 0x01}) // the start of a ClientHello record
		Expect(err).NotTo(HaveOccurred())
		Expect(conn.SetReadDeadline(time.Now().Add(callWait))).To(Succeed())
		_, err = io.ReadAll(conn)
		var ne net.Error
		if err != nil && errors.As(err, &ne) {
			Expect(ne.Timeout()).To(BeFalse(), "the server kept the stalled handshake open")
		}
	})

	Describe("MaxDelay", func() {
		const maxDelay = 150 * time.Millisecond
		var c *client.Client

		BeforeEach(func() { _, c = startReceiver(receiver.Config{MaxDelay: maxDelay}) })

		It("clamps delays and jitter above MaxDelay and says so", func() {
			ch := newChannel(c, api.ChannelRequest{})
			res := setScript(c, ch.ID, api.Rule{Respond: &api.Respond{Status: 202, Delay: api.Duration(time.Hour), Jitter: api.Duration(time.Hour)}})
			Expect(res.Warnings).To(HaveLen(2))
			Expect(res.Warnings).To(ContainElement(ContainSubstring("respond.delay")))
			Expect(res.Warnings).To(ContainElement(ContainSubstring("respond.jitter")))
			Expect(res.Script[0].Respond.Delay.D()).To(Equal(maxDelay))
			Expect(res.Script[0].Respond.Jitter.D()).To(Equal(maxDelay))

			start := time.Now()
			Expect(post(hc, ch.URL, []byte(`{}`), nil)).To(Equal(202))
			elapsed := time.Since(start)
			Expect(elapsed).To(BeNumerically(">=", maxDelay))
			Expect(elapsed).To(BeNumerically("<", 5*time.Second))
			Expect(answeredCall(c, ch.ID, 1).Response.DelayMs).To(BeNumerically("<=", maxDelay.Milliseconds()))
		})

		It("clamps a slow-body duration and says so in the answer of channel creation", func() {
			status, doc, _ := control(http.MethodPost, c.BaseURL()+"/_hookcheck/channels", []byte(`{"script":[{"respond":{"body":"abc"},"fault":{"type":"slow-body","duration":"1h"}}]}`), nil)
			Expect(status).To(Equal(http.StatusCreated))
			Expect(doc.Get("warnings.0").String()).To(ContainSubstring("fault.duration"))
			start := time.Now()
			resp, body, err := sendCall(hc, http.MethodPost, doc.Get("url").String(), []byte(`{}`), nil)
			Expect(err).NotTo(HaveOccurred())
			Expect(resp.StatusCode).To(Equal(200))
			Expect(string(body)).To(Equal("abc"))
			Expect(time.Since(start)).To(BeNumerically("<", 5*time.Second))
		})

		It("ends a hang with no duration after MaxDelay", func() {
			ch := newChannel(c, api.ChannelRequest{Script: []api.Rule{{Fault: &api.Fault{Type: "hang"}}}})
			start := time.Now()
			_, _, err := sendCall(freshClient(10*time.Second), http.MethodPost, ch.URL, []byte(`{}`), nil)
			Expect(err).To(HaveOccurred())
			var ne net.Error
			Expect(errors.As(err, &ne) && ne.Timeout()).To(BeFalse(), "the hang outlived MaxDelay: %v", err)
			Expect(time.Since(start)).To(BeNumerically(">=", maxDelay))
		})
	})

	It("reports a listener it cannot bind, naming it", func() {
		busy, err := net.Listen("tcp", "127.0.0.1:0")
		Expect(err).NotTo(HaveOccurred())
		defer busy.Close()
		for _, cfg := range []receiver.Config{
			{Listen: busy.Addr().String()},
			{TLSListen: busy.Addr().String()},
			{SMTPListen: busy.Addr().String()},
		} {
			rv, err := receiver.Start(cfg)
			Expect(err).To(MatchError(ContainSubstring(busy.Addr().String())))
			Expect(rv).To(BeNil())
		}
		_, err = receiver.Start(receiver.Config{TLSCertFile: "cert.pem"})
		Expect(err).To(MatchError(ContainSubstring("key")))
	})

	It("closes promptly while a hang call and a half-sent request are open", func() {
		rv, c := startReceiver(receiver.Config{})
		ch := newChannel(c, api.ChannelRequest{Script: []api.Rule{{Fault: &api.Fault{Type: "hang"}}}})

		hung := make(chan error, 1)
		go func() {
			_, _, err := sendCall(freshClient(time.Minute), http.MethodPost, ch.URL, []byte(`{}`), nil)
			hung <- err
		}()
		waitCalls(c, ch.ID, 0, 1) // the hang is now holding the connection

		half, err := net.Dial("tcp", hostPort(rv.URL()))
		Expect(err).NotTo(HaveOccurred())
		defer half.Close()
		_, err = half.Write([]byte("POST /hooks/" + ch.ID + " HTTP/1.1\r\nHost: x\r\nContent-Le"))
		Expect(err).NotTo(HaveOccurred())

		waiting := queryInBackground(specCtx(), c, ch.ID, client.CallQuery{After: 1, Wait: time.Minute})

		start := time.Now()
		Expect(rv.Close()).To(Succeed())
		Expect(time.Since(start)).To(BeNumerically("<", 5*time.Second), "Close waited for misbehaving clients")

		var hangErr error
		Eventually(hung, callWait).Should(Receive(&hangErr))
		Expect(hangErr).To(HaveOccurred())
		Eventually(waiting, callWait).Should(Receive())
		_, err = net.DialTimeout("tcp", hostPort(rv.URL()), time.Second)
		Expect(err).To(HaveOccurred(), "the HTTP listener still accepts after Close")
		Expect(strings.Contains(err.Error(), "refused")).To(BeTrue(), "got %v", err)
	})
})
