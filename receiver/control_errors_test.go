package receiver_test

import (
	"bytes"
	"net/http"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/receiver"
	"github.com/hookcheck/hookcheck/receiver/api"
	"github.com/hookcheck/hookcheck/receiver/client"
)

var _ = Describe("Control API errors", func() {
	var (
		rv *receiver.Receiver
		c  *client.Client
	)

	BeforeEach(func() {
		rv, c = startReceiver(receiver.Config{})
		newChannel(c, api.ChannelRequest{ID: "known"})
	})

	// expectError sends a raw request and checks the error shape, then that
	// the receiver still serves the control API and calls.
	expectError := func(method, path string, body []byte, want int) string {
		GinkgoHelper()
		status, doc, raw := control(method, rv.URL()+path, body, nil)
		Expect(status).To(Equal(want), "body: %s", raw)
		Expect(doc.IsObject()).To(BeTrue(), "error body is not a JSON object: %s", raw)
		Expect(doc.Get("error").String()).NotTo(BeEmpty())
		Expect(doc.Get("status").Int()).To(BeEquivalentTo(want))

		_, err := c.Health(specCtx())
		Expect(err).NotTo(HaveOccurred())
		Expect(post(freshClient(callWait), rv.URL()+"/hooks/liveness-probe", []byte("still serving"), nil)).To(Equal(http.StatusOK))
		return doc.Get("error").String()
	}

	DescribeTable("answers bad input with {error, status} and keeps serving",
		func(method, path, body string, want int) {
			var b []byte
			if body != "" {
				b = []byte(body)
			}
			expectError(method, path, b, want)
		},
		Entry("malformed JSON", "POST", "/_hookcheck/channels", `{"secret":`, 400),
		Entry("JSON of the wrong type", "POST", "/_hookcheck/channels", `["secret"]`, 400),
		Entry("trailing data after the document", "POST", "/_hookcheck/channels", `{} {}`, 400),
		Entry("an unknown field", "POST", "/_hookcheck/channels", `{"secret":"s","sekret":"t"}`, 400),
		Entry("an unknown field in a rule", "PUT", "/_hookcheck/channels/known/script", `[{"respond":{"status":500},"respnd":{}}]`, 400),
		Entry("an unknown fault", "PUT", "/_hookcheck/channels/known/script", `[{"fault":"explode"}]`, 400),
		Entry("an unknown fault parameter", "PUT", "/_hookcheck/channels/known/script", `[{"fault":{"type":"reset","color":"red"}}]`, 400),
		Entry("a fault with no type", "PUT", "/_hookcheck/channels/known/script", `[{"fault":{}}]`, 400),
		Entry("a negative delay", "PUT", "/_hookcheck/channels/known/script", `[{"respond":{"delay":"-1s"}}]`, 400),
		Entry("a negative jitter in milliseconds", "PUT", "/_hookcheck/channels/known/script", `[{"respond":{"jitter":-5}}]`, 400),
		Entry("a duration that does not parse", "PUT", "/_hookcheck/channels/known/script", `[{"respond":{"delay":"soon"}}]`, 400),
		Entry("probability 1.5", "PUT", "/_hookcheck/channels/known/script", `[{"probability":1.5,"respond":{"status":500}}]`, 400),
		Entry("a negative probability", "PUT", "/_hookcheck/channels/known/script", `[{"probability":-0.1}]`, 400),
		Entry("nth 0", "PUT", "/_hookcheck/channels/known/script", `[{"match":{"nth":"0"}}]`, 400),
		Entry("nth backwards", "PUT", "/_hookcheck/channels/known/script", `[{"match":{"nth":"9-1"}}]`, 400),
		Entry("nth that is not a number", "PUT", "/_hookcheck/channels/known/script", `[{"match":{"nth":"first"}}]`, 400),
		Entry("negative times", "PUT", "/_hookcheck/channels/known/script", `[{"times":-1}]`, 400),
		Entry("a status that is not HTTP", "PUT", "/_hookcheck/channels/known/script", `[{"respond":{"status":999}}]`, 400),
		Entry("a bad response header name", "PUT", "/_hookcheck/channels/known/script", `[{"respond":{"headers":{"Bad Name":"x"}}}]`, 400),
		Entry("a response header value with a line break", "PUT", "/_hookcheck/channels/known/script", `[{"respond":{"headers":{"X-A":"a\r\nX-B: b"}}}]`, 400),
		Entry("an empty script body", "PUT", "/_hookcheck/channels/known/script", ``, 400),
		Entry("a bad script in channel creation", "POST", "/_hookcheck/channels", `{"id":"new","script":[{"fault":"explode"}]}`, 400),
		Entry("a bad channel id", "POST", "/_hookcheck/channels", `{"id":"bad id"}`, 400),
		Entry("a channel id with a slash", "POST", "/_hookcheck/channels", `{"id":"a/b"}`, 400),
		Entry("a duplicate channel id", "POST", "/_hookcheck/channels", `{"id":"known"}`, 409),
		Entry("wait that is not a duration", "GET", "/_hookcheck/channels/known/calls?wait=soon", "", 400),
		Entry("a negative wait", "GET", "/_hookcheck/channels/known/calls?wait=-1s", "", 400),
		Entry("a negative after", "GET", "/_hookcheck/channels/known/calls?after=-1", "", 400),
		Entry("min that is not a number", "GET", "/_hookcheck/channels/known/calls?min=many", "", 400),
		Entry("a negative limit", "GET", "/_hookcheck/channels/known/calls?limit=-2", "", 400),
		Entry("a bad wait on mail", "GET", "/_hookcheck/mail?wait=forever", "", 400),
		Entry("a bad export format", "GET", "/_hookcheck/channels/known/export?format=xml", "", 400),
		Entry("calls of an unknown channel", "GET", "/_hookcheck/channels/nope/calls", "", 404),
		Entry("a waiting query on an unknown channel", "GET", "/_hookcheck/channels/nope/calls?wait=10s", "", 404),
		Entry("the script of an unknown channel", "GET", "/_hookcheck/channels/nope/script", "", 404),
		Entry("a new script for an unknown channel", "PUT", "/_hookcheck/channels/nope/script", `[]`, 404),
		Entry("the export of an unknown channel", "GET", "/_hookcheck/channels/nope/export?format=jsonl", "", 404),
		Entry("deleting an unknown channel", "DELETE", "/_hookcheck/channels/nope", "", 404),
		Entry("describing an unknown channel", "GET", "/_hookcheck/channels/nope", "", 404),
		Entry("an unknown route", "GET", "/_hookcheck/nope", "", 404),
		Entry("a path outside both", "GET", "/nope", "", 404),
		Entry("/hooks/ with no id", "POST", "/hooks/", "{}", 404),
		Entry("a wrong method on channels", "DELETE", "/_hookcheck/channels", "", 405),
		Entry("a wrong method on healthz", "POST", "/_hookcheck/healthz", "", 405),
		Entry("a wrong method on a script", "POST", "/_hookcheck/channels/known/script", "[]", 405),
		Entry("a wrong method on calls", "PATCH", "/_hookcheck/channels/known/calls", "", 405),
	)

	It("answers 413 to a control body over 1 MiB", func() {
		big := append([]byte(`{"secret":"`), bytes.Repeat([]byte("x"), 1<<20)...)
		big = append(big, `"}`...)
		expectError("POST", "/_hookcheck/channels", big, http.StatusRequestEntityTooLarge)
		script := append([]byte(`[{"respond":{"body":"`), bytes.Repeat([]byte("x"), 1<<20)...)
		script = append(script, `"}}]`...)
		expectError("PUT", "/_hookcheck/channels/known/script", script, http.StatusRequestEntityTooLarge)
	})

	It("refuses a delay in milliseconds past what a duration holds as out of range, not as negative", func() {
		msg := expectError("PUT", "/_hookcheck/channels/known/script", []byte(`[{"respond":{"delay":1e300}}]`), 400)
		Expect(msg).To(ContainSubstring("1e300 ms is out of range"))
		Expect(msg).NotTo(ContainSubstring("negative"))
		msg = expectError("PUT", "/_hookcheck/channels/known/script", []byte(`[{"respond":{"jitter":-1e300}}]`), 400)
		Expect(msg).To(ContainSubstring("out of range"))
	})

	It("keeps the old script when a new one is refused", func() {
		setScript(c, "known", api.Rule{Respond: &api.Respond{Status: http.StatusAccepted}})
		expectError("PUT", "/_hookcheck/channels/known/script", []byte(`[{"respond":{"status":500}},{"fault":"explode"}]`), 400)
		Expect(post(freshClient(callWait), rv.URL()+"/hooks/known", []byte("x"), nil)).To(Equal(http.StatusAccepted))
	})

	It("does not create a channel whose script is refused", func() {
		expectError("POST", "/_hookcheck/channels", []byte(`{"id":"refused","script":[{"probability":2}]}`), 400)
		_, err := c.Channel(specCtx(), "refused")
		Expect(errStatus(err)).To(Equal(http.StatusNotFound))
	})

	It("gives client errors that carry the status", func() {
		_, err := c.Calls(specCtx(), "nope", client.CallQuery{})
		Expect(errStatus(err)).To(Equal(http.StatusNotFound))
		Expect(err).To(MatchError(ContainSubstring("nope")))
		_, err = c.CreateChannel(specCtx(), api.ChannelRequest{ID: "known"})
		Expect(errStatus(err)).To(Equal(http.StatusConflict))
		_, err = c.SetScript(specCtx(), "known", []api.Rule{{Probability: ptr(1.5)}})
		Expect(errStatus(err)).To(Equal(http.StatusBadRequest))
		Expect(err).To(MatchError(ContainSubstring("probability")))
		_, err = c.Export(specCtx(), "known", "xml")
		Expect(errStatus(err)).To(Equal(http.StatusBadRequest))
		Expect(c.DeleteChannel(specCtx(), "nope")).To(MatchError(ContainSubstring("404")))
	})

	It("accepts a script as a bare list or as {\"script\": [...]}, and durations as strings or milliseconds", func() {
		status, doc, raw := control("PUT", rv.URL()+"/_hookcheck/channels/known/script", []byte(`[{"respond":{"status":201,"delay":5}}]`), nil)
		Expect(status).To(Equal(http.StatusOK), "%s", raw)
		Expect(doc.Get("script.0.respond.delay").String()).To(Equal("5ms"))
		status, doc, raw = control("PUT", rv.URL()+"/_hookcheck/channels/known/script", []byte(`{"script":[{"respond":{"status":202,"delay":"7ms"}}]}`), nil)
		Expect(status).To(Equal(http.StatusOK), "%s", raw)
		Expect(doc.Get("script.0.respond.status").Int()).To(BeEquivalentTo(202))
		Expect(post(freshClient(callWait), rv.URL()+"/hooks/known", []byte("x"), nil)).To(Equal(http.StatusAccepted))
	})

	It("deletes a channel and its calls", func() {
		Expect(post(freshClient(callWait), rv.URL()+"/hooks/known", []byte("x"), nil)).To(Equal(http.StatusOK))
		Expect(c.DeleteChannel(specCtx(), "known")).To(Succeed())
		_, err := c.Calls(specCtx(), "known", client.CallQuery{})
		Expect(errStatus(err)).To(Equal(http.StatusNotFound))
		list, err := c.Channels(specCtx())
		Expect(err).NotTo(HaveOccurred())
		Expect(list.Channels).To(BeEmpty())
		Expect(c.DeleteChannel(specCtx(), "known")).To(MatchError(ContainSubstring("404")))
	})

	Describe("with a control token", func() {
		const token = "t0ken-x"
		var tok *receiver.Receiver

		BeforeEach(func() { tok, _ = startReceiver(receiver.Config{ControlToken: token}) })

		It("answers 401 without the token or with a wrong one, and 200 with it", func() {
			for _, h := range []http.Header{nil, hdr("Authorization", "Bearer wrong"), hdr("Authorization", token), hdr("Authorization", "Basic "+token)} {
				status, doc, raw := control("GET", tok.URL()+"/_hookcheck/channels", nil, h)
				Expect(status).To(Equal(http.StatusUnauthorized), "%v: %s", h, raw)
				Expect(doc.Get("status").Int()).To(BeEquivalentTo(401))
				Expect(doc.Get("error").String()).NotTo(BeEmpty())
			}
			status, _, _ := control("GET", tok.URL()+"/_hookcheck/channels", nil, hdr("Authorization", "Bearer "+token))
			Expect(status).To(Equal(http.StatusOK))
			// Unknown routes are guarded too: nothing leaks without the token.
			status, _, _ = control("GET", tok.URL()+"/_hookcheck/nope", nil, nil)
			Expect(status).To(Equal(http.StatusUnauthorized))
		})

		It("works through the client with WithToken and fails without it", func() {
			_, err := client.New(tok.URL()).CreateChannel(specCtx(), api.ChannelRequest{})
			Expect(errStatus(err)).To(Equal(http.StatusUnauthorized))
			withToken := client.New(tok.URL(), client.WithToken(token))
			ch, err := withToken.CreateChannel(specCtx(), api.ChannelRequest{})
			Expect(err).NotTo(HaveOccurred())
			_, err = withToken.Calls(specCtx(), ch.ID, client.CallQuery{})
			Expect(err).NotTo(HaveOccurred())
		})

		It("leaves healthz, ca.pem and the hooks themselves open", func() {
			status, _, _ := control("GET", tok.URL()+"/_hookcheck/healthz", nil, nil)
			Expect(status).To(Equal(http.StatusOK))
			status, _, raw := control("GET", tok.URL()+"/_hookcheck/ca.pem", nil, nil)
			Expect(status).To(Equal(http.StatusOK))
			Expect(string(raw)).To(HavePrefix("-----BEGIN CERTIFICATE-----"))
			Expect(post(freshClient(callWait), tok.URL()+"/hooks/anyone", []byte("x"), nil)).To(Equal(http.StatusOK))
		})
	})
})
