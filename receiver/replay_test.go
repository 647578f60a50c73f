package receiver_test

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/receiver"
	"github.com/hookcheck/hookcheck/receiver/api"
	"github.com/hookcheck/hookcheck/receiver/client"
)

var _ = Describe("Replaying a recorded call", func() {
	// seen is one request a target got.
	type seen struct {
		method, uri, host string
		header            http.Header
		body              string
	}
	// target starts an HTTP server on loopback that records what it gets
	// and answers with h.
	target := func(h http.HandlerFunc) (*httptest.Server, chan seen) {
		got := make(chan seen, 4)
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			b, _ := io.ReadAll(r.Body)
			got <- seen{r.Method, r.RequestURI, r.Host, r.Header.Clone(), string(b)}
			h(w, r)
		}))
		DeferCleanup(srv.Close)
		return srv, got
	}

	It("sends the call's method, headers and body to the URL and answers with the target's answer", func() {
		_, c := startReceiver(receiver.Config{TLSListen: receiver.Off, SMTPListen: receiver.Off})
		ch := newChannel(c, api.ChannelRequest{})
		body := `{"EventId":"e-1","Event":"contact.created"}`
		Expect(post(freshClient(callWait), ch.URL+"?from=netserver", []byte(body), hdr(
			"X-SuperOffice-Event", "contact.created", "X-SuperOffice-EventId", "e-1", "x-custom", "v1", "Content-Type", "application/json"))).To(Equal(200))
		callNo(c, ch.ID, 1)

		srv, got := target(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("X-Answer", "yes")
			w.WriteHeader(http.StatusAccepted)
			_, _ = io.WriteString(w, "queued")
		})
		res, err := c.Replay(specCtx(), ch.ID, 1, api.ReplayRequest{URL: srv.URL + "/webhook?x=1"})
		Expect(err).NotTo(HaveOccurred())
		Expect(res.Status).To(Equal(http.StatusAccepted))
		Expect(res.Body).To(Equal("queued"))
		Expect(res.Headers["X-Answer"]).To(Equal([]string{"yes"}))
		Expect(res.Seq).To(Equal(uint64(1)))
		Expect(res.URL).To(Equal(srv.URL + "/webhook?x=1"))
		Expect(res.Truncated).To(BeFalse())

		var s seen
		Eventually(got).Should(Receive(&s))
		Expect(s.method).To(Equal(http.MethodPost))
		Expect(s.uri).To(Equal("/webhook?x=1"), "the URL as given, not the recorded path")
		Expect(s.host).To(Equal(hostPort(srv.URL)))
		Expect(s.body).To(Equal(body))
		Expect(s.header.Get("X-SuperOffice-Event")).To(Equal("contact.created"))
		Expect(s.header.Get("X-SuperOffice-EventId")).To(Equal("e-1"))
		Expect(s.header.Get("X-Custom")).To(Equal("v1"))
		Expect(s.header.Get("Content-Type")).To(Equal("application/json"))
		Expect(s.header.Get("User-Agent")).To(Equal("Go-http-client/1.1"), "the recorded client's own User-Agent")
		Expect(s.header.Values("Accept-Encoding")).To(Equal([]string{"gzip"}), "as recorded, not added by the replay")
		Expect(allCalls(c, ch.ID).Calls).To(HaveLen(1), "a replay records nothing on the channel")
	})

	It("keeps header names in the case they were sent in, and adds no User-Agent of its own", func() {
		_, c := startReceiver(receiver.Config{TLSListen: receiver.Off, SMTPListen: receiver.Off})
		ch := newChannel(c, api.ChannelRequest{})
		conn, err := net.Dial("tcp", hostPort(ch.URL))
		Expect(err).NotTo(HaveOccurred())
		DeferCleanup(conn.Close)
		_, err = io.WriteString(conn, "PUT /hooks/"+ch.ID+" HTTP/1.1\r\nHost: x\r\nx-lower-case: 1\r\nConnection: close\r\nContent-Length: 0\r\n\r\n")
		Expect(err).NotTo(HaveOccurred())
		_, _ = io.ReadAll(conn)
		Expect(callNo(c, ch.ID, 1).RawHeaders).NotTo(BeEmpty())

		// A raw listener, to see the names on the wire.
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		Expect(err).NotTo(HaveOccurred())
		DeferCleanup(ln.Close)
		wire := make(chan string, 1)
		go func() {
			defer GinkgoRecover()
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			defer conn.Close()
			buf := make([]byte, 4096)
			var got []byte
			for !strings.Contains(string(got), "\r\n\r\n") {
				n, err := conn.Read(buf)
				got = append(got, buf[:n]...)
				if err != nil {
					break
				}
			}
			wire <- string(got)
			_, _ = io.WriteString(conn, "HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n")
		}()
		res, err := c.Replay(specCtx(), ch.ID, 1, api.ReplayRequest{URL: "http://" + ln.Addr().String() + "/in"})
		Expect(err).NotTo(HaveOccurred())
		Expect(res.Status).To(Equal(http.StatusNoContent))
		var req string
		Eventually(wire).Should(Receive(&req))
		Expect(req).To(HavePrefix("PUT /in HTTP/1.1\r\n"))
		Expect(req).To(ContainSubstring("\r\nx-lower-case: 1\r\n"))
		Expect(strings.ToLower(req)).NotTo(ContainSubstring("user-agent"))
		Expect(req).NotTo(ContainSubstring("Connection: close\r\nConnection"), "no hop header copied twice")
	})

	It("answers 504 when the target does not answer within the replay timeout, and goes on serving", func() {
		_, c := startReceiver(receiver.Config{TLSListen: receiver.Off, SMTPListen: receiver.Off, ReplayTimeout: 200 * time.Millisecond})
		ch := newChannel(c, api.ChannelRequest{})
		Expect(post(freshClient(callWait), ch.URL, []byte(`{}`), nil)).To(Equal(200))
		release := make(chan struct{})
		srv, _ := target(func(_ http.ResponseWriter, r *http.Request) {
			select {
			case <-release:
			case <-r.Context().Done():
			}
		})
		DeferCleanup(func() { close(release) })
		_, err := c.Replay(specCtx(), ch.ID, 1, api.ReplayRequest{URL: srv.URL})
		Expect(errStatus(err)).To(Equal(http.StatusGatewayTimeout))
		Expect(err.Error()).To(ContainSubstring("within 200ms"))
		_, err = c.Health(specCtx())
		Expect(err).NotTo(HaveOccurred())
	})

	It("keeps at most 1 MiB of the answer and says it cut it off", func() {
		_, c := startReceiver(receiver.Config{TLSListen: receiver.Off, SMTPListen: receiver.Off})
		ch := newChannel(c, api.ChannelRequest{})
		Expect(post(freshClient(callWait), ch.URL, []byte(`{}`), nil)).To(Equal(200))
		srv, _ := target(func(w http.ResponseWriter, _ *http.Request) {
			_, _ = io.WriteString(w, strings.Repeat("x", 3<<20))
		})
		res, err := c.Replay(specCtx(), ch.ID, 1, api.ReplayRequest{URL: srv.URL})
		Expect(err).NotTo(HaveOccurred())
		Expect(res.Truncated).To(BeTrue())
		Expect(res.Body).To(HaveLen(1 << 20))
	})

	It("does not follow a redirect: the 3xx is the answer", func() {
		_, c := startReceiver(receiver.Config{TLSListen: receiver.Off, SMTPListen: receiver.Off})
		ch := newChannel(c, api.ChannelRequest{})
		Expect(post(freshClient(callWait), ch.URL, []byte(`{}`), nil)).To(Equal(200))
		srv, got := target(func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "/elsewhere", http.StatusFound)
		})
		res, err := c.Replay(specCtx(), ch.ID, 1, api.ReplayRequest{URL: srv.URL})
		Expect(err).NotTo(HaveOccurred())
		Expect(res.Status).To(Equal(http.StatusFound))
		Expect(res.Headers["Location"]).To(Equal([]string{"/elsewhere"}))
		Expect(got).To(HaveLen(1))
	})

	DescribeTable("refuses what it cannot or may not replay, with a clear error",
		func(body string, seq string, status int, message string) {
			rv, c := startReceiver(receiver.Config{TLSListen: receiver.Off, SMTPListen: receiver.Off, MaxBody: 8})
			ch := newChannel(c, api.ChannelRequest{ID: "known"})
			Expect(post(freshClient(callWait), ch.URL, []byte(`{}`), nil)).To(Equal(200))
			Expect(post(freshClient(callWait), ch.URL, []byte(`{"too":"long"}`), nil)).To(Equal(http.StatusRequestEntityTooLarge))
			callNo(c, ch.ID, 2)
			code, res, _ := control(http.MethodPost, rv.URL()+"/_hookcheck/channels/known/calls/"+seq+"/replay", []byte(body), nil)
			Expect(code).To(Equal(status))
			Expect(res.Get("status").Int()).To(Equal(int64(status)))
			Expect(res.Get("error").String()).To(ContainSubstring(message))
		},
		Entry("a URL that is not http(s)", `{"url":"file:///etc/passwd"}`, "1", http.StatusBadRequest, "only http and https"),
		Entry("no URL", `{}`, "1", http.StatusBadRequest, `give "url"`),
		Entry("a URL without a host", `{"url":"http:///x"}`, "1", http.StatusBadRequest, "no host"),
		Entry("an unknown field", `{"url":"http://127.0.0.1:1","follow":true}`, "1", http.StatusBadRequest, "unknown field"),
		Entry("a call not held", `{"url":"http://127.0.0.1:1"}`, "9", http.StatusNotFound, "holds no call 9"),
		Entry("a call whose body was cut off", `{"url":"http://127.0.0.1:1"}`, "2", http.StatusConflict, "cut off"),
		Entry("a target that refuses the connection", `{"url":"http://127.0.0.1:1/"}`, "1", http.StatusBadGateway, "send to http://127.0.0.1:1/"),
	)

	It("needs the control token and refuses a cross-site request (the target never sees it)", func() {
		rv, _ := startReceiver(receiver.Config{TLSListen: receiver.Off, SMTPListen: receiver.Off, ControlToken: "tok"})
		c := client.New(rv.URL(), client.WithToken("tok"))
		ch := newChannel(c, api.ChannelRequest{})
		Expect(post(freshClient(callWait), ch.URL, []byte(`{}`), nil)).To(Equal(200))
		srv, got := target(func(http.ResponseWriter, *http.Request) {})
		route := rv.URL() + "/_hookcheck/channels/" + ch.ID + "/calls/1/replay"
		body := []byte(`{"url":"` + srv.URL + `"}`)
		status, _, _ := control(http.MethodPost, route, body, nil)
		Expect(status).To(Equal(http.StatusUnauthorized))
		status, _, _ = control(http.MethodPost, route, body, hdr("Authorization", "Bearer tok", "Origin", "http://evil.example", "Content-Type", "text/plain"))
		Expect(status).To(Equal(http.StatusForbidden))
		rebound, err := http.NewRequest(http.MethodPost, route, strings.NewReader(string(body)))
		Expect(err).NotTo(HaveOccurred())
		rebound.Host = "rebound.example" // DNS rebinding: the browser sends the attacker's name
		rebound.Header.Set("Authorization", "Bearer tok")
		resp, err := http.DefaultClient.Do(rebound)
		Expect(err).NotTo(HaveOccurred())
		resp.Body.Close()
		Expect(resp.StatusCode).To(Equal(http.StatusForbidden))
		Expect(got).To(BeEmpty())
		status, _, _ = control(http.MethodPost, route, body, hdr("Authorization", "Bearer tok"))
		Expect(status).To(Equal(http.StatusOK))
		Expect(got).To(HaveLen(1))
	})
})
