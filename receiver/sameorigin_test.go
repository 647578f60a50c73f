package receiver_test

import (
	"io"
	"net/http"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/receiver"
	"github.com/hookcheck/hookcheck/receiver/api"
	"github.com/hookcheck/hookcheck/receiver/client"
)

var _ = Describe("Cross-site requests to the control API", func() {
	var (
		rv   *receiver.Receiver
		c    *client.Client
		base string
		port string
	)

	BeforeEach(func() {
		rv, c = startReceiver(receiver.Config{SMTPListen: receiver.Off, PublicURL: "https://hooks.example.net", TLSHosts: []string{"receiver.lan"}})
		base = rv.URL()
		port = hostPort(base)[strings.LastIndex(hostPort(base), ":"):]
	})

	// send makes a control request with the given Host ("": the URL's)
	// and header pairs, and returns the status and the body.
	send := func(method, path, host, body string, pairs ...string) (int, string) {
		GinkgoHelper()
		req, err := http.NewRequest(method, base+path, strings.NewReader(body))
		Expect(err).NotTo(HaveOccurred())
		if host != "" {
			req.Host = host
		}
		for i := 0; i+1 < len(pairs); i += 2 {
			req.Header.Set(pairs[i], pairs[i+1])
		}
		resp, err := http.DefaultClient.Do(req)
		Expect(err).NotTo(HaveOccurred())
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		Expect(err).NotTo(HaveOccurred())
		return resp.StatusCode, string(b)
	}

	channelCount := func() int {
		GinkgoHelper()
		status, body := send(http.MethodGet, "/_hookcheck/channels", "", "")
		Expect(status).To(Equal(http.StatusOK))
		return strings.Count(body, `"id"`)
	}

	DescribeTable("refuses a write from a foreign Origin with 403 and a clear message, and creates nothing",
		func(origin, contentType string) {
			status, body := send(http.MethodPost, "/_hookcheck/channels", "", `{"id":"csrf"}`, "Origin", origin, "Content-Type", contentType)
			Expect(status).To(Equal(http.StatusForbidden))
			Expect(body).To(ContainSubstring(`"status":403`))
			Expect(body).To(ContainSubstring("cross-site request refused"))
			Expect(body).To(ContainSubstring(origin))
			Expect(channelCount()).To(BeZero())
		},
		Entry("a text/plain form post from another site", "https://evil.example", "text/plain"),
		Entry("JSON from another site", "http://evil.example", "application/json"),
		Entry("another port on loopback", "http://127.0.0.1:1", "text/plain"),
		Entry("localhost under another port", "http://localhost:3000", "text/plain"),
		Entry("a sandboxed or file: page", "null", "text/plain"),
	)

	It("refuses a fault script installed from a foreign Origin", func() {
		status, _ := send(http.MethodPost, "/_hookcheck/channels", "", `{"id":"mine"}`)
		Expect(status).To(Equal(http.StatusCreated))
		status, _ = send(http.MethodPut, "/_hookcheck/channels/mine/script", "", `[{"fault":"reset"}]`, "Origin", "https://evil.example", "Content-Type", "text/plain")
		Expect(status).To(Equal(http.StatusForbidden))
		_, body := send(http.MethodGet, "/_hookcheck/channels/mine/script", "", "")
		Expect(body).NotTo(ContainSubstring("reset"))
	})

	DescribeTable("refuses a request under a Host that is not one of the receiver's names (DNS rebinding)",
		func(path string) {
			status, body := send(http.MethodGet, path, "attacker.example"+port, "")
			Expect(status).To(Equal(http.StatusForbidden))
			Expect(body).To(ContainSubstring(`Host \"attacker.example` + port + `\" is not a name of this receiver`))
		},
		Entry("reading the journal", "/_hookcheck/channels"),
		Entry("health", "/_hookcheck/healthz"),
		Entry("the inspector page", "/"),
		Entry("an inspector asset", "/_hookcheck/ui/app.js"),
	)

	DescribeTable("accepts the receiver's own names as Host",
		func(host string) {
			status, _ := send(http.MethodGet, "/_hookcheck/channels", host, "")
			Expect(status).To(Equal(http.StatusOK))
		},
		Entry("localhost", "localhost"+":8088"),
		Entry("LOCALHOST.", "LOCALHOST."),
		Entry("any 127/8 address", "127.3.2.1:9"),
		Entry("::1", "[::1]:8088"),
		Entry("the public URL's host", "hooks.example.net"),
		Entry("a --tls-host name", "receiver.lan:8443"),
	)

	It("takes scripts as they are: curl -d without an Origin, with or without a JSON Content-Type", func() {
		status, _ := send(http.MethodPost, "/_hookcheck/channels", "", `{"id":"curl-form"}`, "Content-Type", "application/x-www-form-urlencoded")
		Expect(status).To(Equal(http.StatusCreated))
		status, _ = send(http.MethodPost, "/_hookcheck/channels", "", `{"id":"curl-json"}`, "Content-Type", "application/json")
		Expect(status).To(Equal(http.StatusCreated))
		Expect(channelCount()).To(Equal(2))
	})

	It("takes the receiver's own pages: an Origin of the address dialled, or of the public URL", func() {
		status, _ := send(http.MethodPost, "/_hookcheck/channels", "", `{"id":"page"}`, "Origin", base, "Content-Type", "application/json")
		Expect(status).To(Equal(http.StatusCreated))
		status, _ = send(http.MethodDelete, "/_hookcheck/channels/page", "hooks.example.net", "", "Origin", "https://hooks.example.net")
		Expect(status).To(Equal(http.StatusNoContent))
	})

	It("never refuses a webhook call for its Host or Origin", func() {
		newChannel(c, api.ChannelRequest{ID: "open"})
		// Straight to the listener: the channel's URL names the public host.
		req, err := http.NewRequest(http.MethodPost, base+"/hooks/open", strings.NewReader(`{"Event":"contact.created"}`))
		Expect(err).NotTo(HaveOccurred())
		req.Host = "abc123.tunnel.example"
		req.Header.Set("Origin", "https://evil.example")
		resp, err := http.DefaultClient.Do(req)
		Expect(err).NotTo(HaveOccurred())
		resp.Body.Close()
		Expect(resp.StatusCode).To(Equal(http.StatusOK))
		call := callNo(c, "open", 1)
		Expect(call.Header("Host")).To(Equal("abc123.tunnel.example"))
	})
})
