package receiver_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/tidwall/gjson"

	"github.com/hookcheck/hookcheck/receiver"
	"github.com/hookcheck/hookcheck/receiver/api"
	"github.com/hookcheck/hookcheck/receiver/client"
)

// callWait bounds how long a spec waits for calls or mails it has already
// caused; it is a deadline for failure, not a pause.
const callWait = 5 * time.Second

// startReceiver starts a receiver with cfg on loopback ports (the zero
// Config binds 127.0.0.1:0 for HTTP, HTTPS and SMTP), closes it when the
// spec ends, and returns it with a control client.
func startReceiver(cfg receiver.Config) (*receiver.Receiver, *client.Client) {
	GinkgoHelper()
	rv, err := receiver.Start(cfg)
	Expect(err).NotTo(HaveOccurred())
	DeferCleanup(rv.Close)
	return rv, client.New(rv.URL())
}

// specCtx returns a context that ends when the spec does, or after a
// minute at the latest.
func specCtx() context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	DeferCleanup(cancel)
	return ctx
}

// newChannel creates a channel through the control API.
func newChannel(c *client.Client, req api.ChannelRequest) api.Channel {
	GinkgoHelper()
	ch, err := c.CreateChannel(specCtx(), req)
	Expect(err).NotTo(HaveOccurred())
	Expect(ch.ID).NotTo(BeEmpty())
	return ch
}

// setScript replaces a channel's fault script and returns it as it runs.
func setScript(c *client.Client, id string, rules ...api.Rule) api.ScriptResult {
	GinkgoHelper()
	res, err := c.SetScript(specCtx(), id, rules)
	Expect(err).NotTo(HaveOccurred())
	return res
}

// freshClient returns an HTTP client that opens a new connection for every
// request, so a fault that breaks one connection cannot affect the next
// call, and gives up after timeout.
func freshClient(timeout time.Duration) *http.Client {
	return &http.Client{
		Timeout:   timeout,
		Transport: &http.Transport{DisableKeepAlives: true, Proxy: nil},
	}
}

// sendCall makes one request with the given body and headers and returns
// the response with its body read, or the transport error.
func sendCall(hc *http.Client, method, target string, body []byte, header http.Header) (*http.Response, []byte, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, target, rd)
	if err != nil {
		return nil, nil, err
	}
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp, b, err
}

// post sends a POST that must get an HTTP answer and returns its status.
func post(hc *http.Client, target string, body []byte, header http.Header) int {
	GinkgoHelper()
	resp, _, err := sendCall(hc, http.MethodPost, target, body, header)
	Expect(err).NotTo(HaveOccurred())
	return resp.StatusCode
}

// waitCalls waits for n calls after seq after and returns them.
func waitCalls(c *client.Client, id string, after uint64, n int) []api.Call {
	GinkgoHelper()
	calls, err := c.WaitCalls(specCtx(), id, after, n, callWait)
	Expect(err).NotTo(HaveOccurred())
	return calls
}

// allCalls returns the calls a channel holds, without waiting.
func allCalls(c *client.Client, id string) api.CallList {
	GinkgoHelper()
	list, err := c.Calls(specCtx(), id, client.CallQuery{})
	Expect(err).NotTo(HaveOccurred())
	return list
}

// callNo waits for the call numbered seq and returns it.
func callNo(c *client.Client, id string, seq uint64) api.Call {
	GinkgoHelper()
	calls := waitCalls(c, id, seq-1, 1)
	Expect(calls[0].Seq).To(Equal(seq))
	return calls[0]
}

// answeredCall waits until call seq has a response recorded (a status or
// a fault) and returns it. A call is recorded on arrival with its planned
// answer and updated with the answer actually sent, which can land an
// instant after the client saw it.
func answeredCall(c *client.Client, id string, seq uint64) api.Call {
	GinkgoHelper()
	var call api.Call
	Eventually(func(g Gomega) {
		list, err := c.Calls(specCtx(), id, client.CallQuery{After: seq - 1, Limit: 1})
		g.Expect(err).NotTo(HaveOccurred())
		g.Expect(list.Calls).To(HaveLen(1))
		call = list.Calls[0]
		g.Expect(call.Response.Status != 0 || call.Response.Fault != "").To(BeTrue(), "call %d has no response recorded yet", seq)
	}, callWait, 10*time.Millisecond).Should(Succeed())
	return call
}

// errStatus returns the HTTP status of a control-API error, or 0.
func errStatus(err error) int {
	var e *api.Error
	if errors.As(err, &e) {
		return e.Status
	}
	return 0
}

// control sends a raw control-API request and returns the status and the
// parsed JSON body.
func control(method, target string, body []byte, header http.Header) (int, gjson.Result, []byte) {
	GinkgoHelper()
	resp, b, err := sendCall(http.DefaultClient, method, target, body, header)
	Expect(err).NotTo(HaveOccurred())
	return resp.StatusCode, gjson.ParseBytes(b), b
}

// hostPort returns the host:port of a URL.
func hostPort(raw string) string {
	GinkgoHelper()
	u, err := url.Parse(raw)
	Expect(err).NotTo(HaveOccurred())
	return u.Host
}

// hdr builds an http.Header from name/value pairs, keeping the names as
// given (not canonicalised), so a spec can send lower-case names.
func hdr(pairs ...string) http.Header {
	h := http.Header{}
	for i := 0; i+1 < len(pairs); i += 2 {
		h[pairs[i]] = append(h[pairs[i]], pairs[i+1])
	}
	return h
}

// ptr returns a pointer to v.
func ptr[T any](v T) *T { return &v }
