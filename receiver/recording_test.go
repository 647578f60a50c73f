package receiver_test

import (
	"io"
	"net/http"
	"net/http/httptrace"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/receiver"
	"github.com/hookcheck/hookcheck/receiver/api"
	"github.com/hookcheck/hookcheck/receiver/client"
)

var _ = Describe("Recording calls", func() {
	var (
		rv *receiver.Receiver
		c  *client.Client
		ch api.Channel
		hc *http.Client
	)

	BeforeEach(func() {
		rv, c = startReceiver(receiver.Config{})
		ch = newChannel(c, api.ChannelRequest{})
		hc = freshClient(callWait)
	})

	It("keeps the method, path below the channel, raw query, headers and exact body", func() {
		body := []byte("{\r\n\t\"Event\" : \"contact.changed\" ,\"Name\":\"Ærlig\"}\n\n")
		h := hdr("Content-Type", "application/json; charset=utf-8", "X-Custom", "one", "X-Custom", "two")
		before := time.Now()
		resp, _, err := sendCall(hc, http.MethodPost, ch.URL+"/extra/deeper?b=2&a=1&a=%20x", body, h)
		Expect(err).NotTo(HaveOccurred())
		Expect(resp.StatusCode).To(Equal(http.StatusOK))

		call := callNo(c, ch.ID, 1)
		Expect(call.Channel).To(Equal(ch.ID))
		Expect(call.Method).To(Equal(http.MethodPost))
		Expect(call.Path).To(Equal("/hooks/" + ch.ID + "/extra/deeper"))
		Expect(call.Query).To(Equal("b=2&a=1&a=%20x"))
		Expect(call.Proto).To(Equal("HTTP/1.1"))
		Expect(call.Headers).To(HaveKeyWithValue("X-Custom", []string{"one", "two"}))
		Expect(call.Headers).To(HaveKeyWithValue("Content-Type", []string{"application/json; charset=utf-8"}))
		Expect(call.Header("host")).To(Equal(hostPort(rv.URL())))
		Expect(call.Body).To(Equal(string(body)))
		Expect(call.BodyBase64).To(BeEmpty())
		Expect(call.BodySize).To(BeEquivalentTo(len(body)))
		Expect(call.Truncated).To(BeFalse())
		Expect(call.TLS).To(BeFalse())
		Expect(call.ReceivedAt).To(BeTemporally(">=", before.Add(-time.Second)))
		Expect(call.ReceivedAt).To(BeTemporally("<=", time.Now().Add(time.Second)))
		raw, err := call.RawBody()
		Expect(err).NotTo(HaveOccurred())
		Expect(raw).To(Equal(body))
	})

	DescribeTable("records any method and answers it 200",
		func(method string, body []byte) {
			resp, _, err := sendCall(hc, method, ch.URL, body, nil)
			Expect(err).NotTo(HaveOccurred())
			Expect(resp.StatusCode).To(Equal(http.StatusOK))
			call := callNo(c, ch.ID, 1)
			Expect(call.Method).To(Equal(method))
			Expect(call.Body).To(Equal(string(body)))
		},
		Entry("GET", http.MethodGet, nil),
		Entry("HEAD", http.MethodHead, nil),
		Entry("PUT", http.MethodPut, []byte(`{"a":1}`)),
		Entry("PATCH", http.MethodPatch, []byte(`{"a":2}`)),
		Entry("DELETE", http.MethodDelete, nil),
		Entry("OPTIONS", http.MethodOptions, nil),
		Entry("an extension method", "PROPFIND", []byte("<propfind/>")),
	)

	It("keeps a body that is not UTF-8 in bodyBase64, and RawBody gives the bytes back", func() {
		body := []byte{'{', '"', 'x', '"', ':', '"', 0xff, 0xfe, 0x00, 0xc3, '"', '}', 0x80}
		Expect(post(hc, ch.URL, body, nil)).To(Equal(http.StatusOK))
		call := callNo(c, ch.ID, 1)
		Expect(call.Body).To(BeEmpty())
		Expect(call.BodyBase64).NotTo(BeEmpty())
		Expect(call.BodySize).To(BeEquivalentTo(len(body)))
		raw, err := call.RawBody()
		Expect(err).NotTo(HaveOccurred())
		Expect(raw).To(Equal(body))
	})

	It("records the client's address as remoteAddr", func() {
		var local string
		trace := &httptrace.ClientTrace{GotConn: func(info httptrace.GotConnInfo) { local = info.Conn.LocalAddr().String() }}
		req, err := http.NewRequestWithContext(httptrace.WithClientTrace(specCtx(), trace), http.MethodPost, ch.URL, strings.NewReader("x"))
		Expect(err).NotTo(HaveOccurred())
		resp, err := hc.Do(req)
		Expect(err).NotTo(HaveOccurred())
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		Expect(local).NotTo(BeEmpty())
		Expect(callNo(c, ch.ID, 1).RemoteAddr).To(Equal(local))
	})

	It("reads event, eventId and retry from X-SuperOffice-* headers whatever their case", func() {
		h := hdr(
			"x-superoffice-event", "contact.changed",
			"x-superoffice-eventid", "88f91933-edce-4c1a-8ded-ade8e2f72434",
			"X-SUPEROFFICE-RETRY", "2",
		)
		Expect(post(hc, ch.URL, []byte(`{}`), h)).To(Equal(http.StatusOK))
		call := callNo(c, ch.ID, 1)
		Expect(call.Event).To(Equal("contact.changed"))
		Expect(call.EventID).To(Equal("88f91933-edce-4c1a-8ded-ade8e2f72434"))
		Expect(call.Retry).To(HaveValue(Equal(2)))
	})

	It("sends retry as JSON null when the header is absent or not a number", func() {
		Expect(post(hc, ch.URL, []byte(`{}`), nil)).To(Equal(http.StatusOK))
		Expect(post(hc, ch.URL, []byte(`{}`), hdr("X-SuperOffice-Retry", "soon"))).To(Equal(http.StatusOK))
		waitCalls(c, ch.ID, 0, 2)
		status, doc, _ := control(http.MethodGet, rv.URL()+"/_hookcheck/channels/"+ch.ID+"/calls", nil, nil)
		Expect(status).To(Equal(http.StatusOK))
		for _, i := range []string{"0", "1"} {
			retry := doc.Get("calls." + i + ".retry")
			Expect(retry.Exists()).To(BeTrue(), "call %s has no retry field", i)
			Expect(retry.Raw).To(Equal("null"))
			Expect(doc.Get("calls." + i + ".event").String()).To(BeEmpty())
		}
	})

	It("numbers a channel's calls 1..n in arrival order", func() {
		for i := range 5 {
			Expect(post(hc, ch.URL, []byte{byte('a' + i)}, nil)).To(Equal(http.StatusOK))
		}
		list := allCalls(c, ch.ID)
		Expect(list.Last).To(BeEquivalentTo(5))
		Expect(list.Calls).To(HaveLen(5))
		for i, call := range list.Calls {
			Expect(call.Seq).To(BeEquivalentTo(i + 1))
			Expect(call.Body).To(Equal(string(rune('a' + i))))
		}
	})

	It("creates an unknown channel on its first call, with no secret, and answers 200", func() {
		id := "made-on-the-fly_1"
		resp, body, err := sendCall(hc, http.MethodPost, rv.URL()+"/hooks/"+id, []byte(`{"Event":"test"}`), hdr("X-SuperOffice-Signature", "AAAA"))
		Expect(err).NotTo(HaveOccurred())
		Expect(resp.StatusCode).To(Equal(http.StatusOK))
		Expect(body).To(BeEmpty())

		info, err := c.Channel(specCtx(), id)
		Expect(err).NotTo(HaveOccurred())
		Expect(info.HasSecret).To(BeFalse())
		Expect(info.Calls).To(Equal(1))
		Expect(info.URL).To(Equal(rv.URL() + "/hooks/" + id))
		call := callNo(c, id, 1)
		Expect(call.Signature).To(Equal(api.SignatureUnchecked))
		Expect(call.Response.Status).To(Equal(http.StatusOK))
		Expect(call.Response.Rule).To(Equal(-1))
	})

	It("refuses a call whose channel id is malformed, without creating a channel", func() {
		resp, _, err := sendCall(hc, http.MethodPost, rv.URL()+"/hooks/bad%20id", []byte(`{}`), nil)
		Expect(err).NotTo(HaveOccurred())
		Expect(resp.StatusCode).To(Equal(http.StatusNotFound))
		list, err := c.Channels(specCtx())
		Expect(err).NotTo(HaveOccurred())
		Expect(list.Channels).To(HaveLen(1)) // only the spec's own channel
	})
})
