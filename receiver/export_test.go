package receiver_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/tidwall/gjson"

	"github.com/hookcheck/hookcheck/receiver"
	"github.com/hookcheck/hookcheck/receiver/api"
	"github.com/hookcheck/hookcheck/receiver/client"
)

var _ = Describe("Export", func() {
	const secret = "export-secret"
	var (
		rv    *receiver.Receiver
		c     *client.Client
		ch    api.Channel
		calls []api.Call
		json1 = []byte(`{"Event":"contact.changed","PrimaryKey":18}`)
		bin   = []byte{0xff, 0x00, 'a', 0x80}
	)

	BeforeEach(func() {
		rv, c = startReceiver(receiver.Config{})
		ch = newChannel(c, api.ChannelRequest{
			Secret: secret,
			Script: []api.Rule{{Times: ptr(1), Respond: &api.Respond{Status: 500, Body: "boom", Headers: map[string]string{"Content-Type": "text/plain"}}}},
		})
		hc := freshClient(callWait)
		h := hdr("Content-Type", "application/json", "X-SuperOffice-Event", "contact.changed", "X-SuperOffice-Signature", receiver.Sign(secret, json1))
		Expect(post(hc, ch.URL, json1, h)).To(Equal(500))
		resp, _, err := sendCall(hc, http.MethodPut, ch.URL+"/sub?x=1&y=a%20b", bin, hdr("Content-Type", "application/octet-stream"))
		Expect(err).NotTo(HaveOccurred())
		Expect(resp.StatusCode).To(Equal(200))
		resp, _, err = sendCall(hc, http.MethodGet, ch.URL, nil, nil)
		Expect(err).NotTo(HaveOccurred())
		Expect(resp.StatusCode).To(Equal(200))
		calls = waitCalls(c, ch.ID, 0, 3)
		answeredCall(c, ch.ID, 3)
		calls = allCalls(c, ch.ID).Calls
	})

	It("writes JSON Lines: one object per line, equal to the recorded calls", func() {
		for _, format := range []string{"jsonl", ""} {
			out, err := c.Export(specCtx(), ch.ID, format)
			Expect(err).NotTo(HaveOccurred())
			Expect(out).To(HaveSuffix("\n"))
			lines := bytes.Split(bytes.TrimSuffix(out, []byte("\n")), []byte("\n"))
			Expect(lines).To(HaveLen(len(calls)))
			for i, line := range lines {
				Expect(gjson.ValidBytes(line)).To(BeTrue(), "line %d is not JSON: %s", i+1, line)
				Expect(gjson.GetBytes(line, "@this").IsObject()).To(BeTrue())
				var got api.Call
				Expect(json.Unmarshal(line, &got)).To(Succeed())
				Expect(got).To(Equal(calls[i]))
			}
			Expect(gjson.GetBytes(lines[0], "signature").String()).To(Equal(api.SignatureValid))
			Expect(gjson.GetBytes(lines[0], "response.status").Int()).To(BeEquivalentTo(500))
			Expect(gjson.GetBytes(lines[1], "bodyBase64").String()).NotTo(BeEmpty())
		}
	})

	It("serves JSON Lines with a download name", func() {
		status, _, _ := control(http.MethodGet, rv.URL()+"/_hookcheck/channels/"+ch.ID+"/export?format=jsonl", nil, nil)
		Expect(status).To(Equal(http.StatusOK))
		resp, _, err := sendCall(http.DefaultClient, http.MethodGet, rv.URL()+"/_hookcheck/channels/"+ch.ID+"/export?format=jsonl", nil, nil)
		Expect(err).NotTo(HaveOccurred())
		Expect(resp.Header.Get("Content-Type")).To(Equal("application/x-ndjson"))
		Expect(resp.Header.Get("Content-Disposition")).To(ContainSubstring(ch.ID + ".jsonl"))
	})

	It("writes a HAR 1.2 log with one entry per call", func() {
		out, err := c.Export(specCtx(), ch.ID, "har")
		Expect(err).NotTo(HaveOccurred())
		Expect(gjson.ValidBytes(out)).To(BeTrue())
		doc := gjson.ParseBytes(out)
		Expect(doc.Get("log.version").String()).To(Equal("1.2"))
		Expect(doc.Get("log.creator.name").String()).NotTo(BeEmpty())
		Expect(doc.Get("log.creator.version").Exists()).To(BeTrue())
		entries := doc.Get("log.entries").Array()
		Expect(entries).To(HaveLen(3))

		for i, e := range entries {
			call := calls[i]
			started, err := time.Parse(time.RFC3339Nano, e.Get("startedDateTime").String())
			Expect(err).NotTo(HaveOccurred(), "entry %d", i)
			Expect(started.Equal(call.ReceivedAt)).To(BeTrue())
			Expect(e.Get("time").Exists()).To(BeTrue())
			Expect(e.Get("request.method").String()).To(Equal(call.Method))
			Expect(e.Get("request.httpVersion").String()).To(Equal("HTTP/1.1"))
			Expect(e.Get("request.headers").IsArray()).To(BeTrue())
			Expect(e.Get("request.cookies").IsArray()).To(BeTrue())
			Expect(e.Get("request.queryString").IsArray()).To(BeTrue())
			Expect(e.Get("response.status").Int()).To(BeEquivalentTo(call.Response.Status))
			Expect(e.Get("response.content").IsObject()).To(BeTrue())
			Expect(e.Get("cache").IsObject()).To(BeTrue())
			Expect(e.Get("timings.wait").Exists()).To(BeTrue())
			Expect(e.Get("_seq").Uint()).To(Equal(call.Seq))
		}

		first := entries[0]
		Expect(first.Get("request.url").String()).To(Equal(ch.URL))
		Expect(first.Get(`request.headers.#(name=="X-Superoffice-Signature").value`).String()).To(Equal(receiver.Sign(secret, json1)))
		Expect(first.Get(`request.headers.#(name=="X-Superoffice-Event").value`).String()).To(Equal("contact.changed"))
		Expect(first.Get("request.postData.text").String()).To(Equal(string(json1)))
		Expect(first.Get("request.postData.mimeType").String()).To(Equal("application/json"))
		Expect(first.Get("response.status").Int()).To(BeEquivalentTo(500))
		Expect(first.Get("response.content.text").String()).To(Equal("boom"))
		Expect(first.Get("_signature").String()).To(Equal(api.SignatureValid))

		second := entries[1]
		Expect(second.Get("request.method").String()).To(Equal(http.MethodPut))
		Expect(second.Get("request.url").String()).To(Equal(ch.URL + "/sub?x=1&y=a%20b"))
		Expect(second.Get(`request.queryString.#(name=="y").value`).String()).To(Equal("a b"))
		Expect(second.Get("request.postData._encoding").String()).To(Equal("base64"))
		Expect(second.Get("request.postData.text").String()).To(Equal(calls[1].BodyBase64))
		Expect(second.Get("response.status").Int()).To(BeEquivalentTo(200))

		Expect(entries[2].Get("request.postData").Exists()).To(BeFalse(), "a GET without a body has postData")
	})

	It("exports an empty channel as an empty JSONL file and a HAR log with no entries", func() {
		empty := newChannel(c, api.ChannelRequest{})
		out, err := c.Export(specCtx(), empty.ID, "jsonl")
		Expect(err).NotTo(HaveOccurred())
		Expect(out).To(BeEmpty())
		out, err = c.Export(specCtx(), empty.ID, "har")
		Expect(err).NotTo(HaveOccurred())
		Expect(gjson.GetBytes(out, "log.entries").IsArray()).To(BeTrue())
		Expect(gjson.GetBytes(out, "log.entries.#").Int()).To(BeZero())
	})
})
