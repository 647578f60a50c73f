package receiver_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/smtp"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/receiver"
	"github.com/hookcheck/hookcheck/receiver/api"
	"github.com/hookcheck/hookcheck/receiver/client"
)

// sseEvent is one server-sent event, or a comment line when Comment is set.
type sseEvent struct {
	Name, ID, Data string
	Comment        string
}

// sseStream reads a server-sent event stream in the background, so a spec
// can wait for its next event with a deadline.
type sseStream struct {
	events chan sseEvent
	done   chan struct{} // closed when the stream has ended
	stop   chan struct{}
}

// openSSE opens a stream that must answer 200 text/event-stream and stops
// reading it when the spec ends.
func openSSE(target string, header http.Header) *sseStream {
	GinkgoHelper()
	ctx, cancel := context.WithCancel(context.Background())
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	Expect(err).NotTo(HaveOccurred())
	for k, v := range header {
		req.Header[k] = v
	}
	hc := &http.Client{Transport: &http.Transport{DisableKeepAlives: true, Proxy: nil}}
	resp, err := hc.Do(req)
	if err != nil {
		cancel()
	}
	Expect(err).NotTo(HaveOccurred())
	Expect(resp.StatusCode).To(Equal(http.StatusOK))
	Expect(resp.Header.Get("Content-Type")).To(HavePrefix("text/event-stream"))
	s := &sseStream{events: make(chan sseEvent, 1024), done: make(chan struct{}), stop: make(chan struct{})}
	go s.read(bufio.NewReader(resp.Body))
	DeferCleanup(func() {
		close(s.stop)
		cancel()
		_ = resp.Body.Close()
		<-s.done
	})
	return s
}

// read parses the stream until it ends.
func (s *sseStream) read(br *bufio.Reader) {
	defer close(s.done)
	var ev sseEvent
	var data []string
	emit := func(e sseEvent) bool {
		select {
		case s.events <- e:
			return true
		case <-s.stop:
			return false
		}
	}
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			return
		}
		line = strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r")
		switch {
		case line == "":
			if len(data) > 0 || ev.Name != "" {
				ev.Data = strings.Join(data, "\n")
				if !emit(ev) {
					return
				}
			}
			ev, data = sseEvent{}, nil
		case strings.HasPrefix(line, ":"):
			if !emit(sseEvent{Comment: strings.TrimSpace(line[1:])}) {
				return
			}
		default:
			field, value, _ := strings.Cut(line, ":")
			value = strings.TrimPrefix(value, " ")
			switch field {
			case "event":
				ev.Name = value
			case "id":
				ev.ID = value
			case "data":
				data = append(data, value)
			}
		}
	}
}

// next returns the next event that is not a comment, failing the spec when
// none comes within callWait or the stream ends first.
func (s *sseStream) next() sseEvent {
	GinkgoHelper()
	deadline := time.NewTimer(callWait)
	defer deadline.Stop()
	for {
		select {
		case ev := <-s.events:
			if ev.Comment != "" {
				continue
			}
			return ev
		case <-s.done:
			select {
			case ev := <-s.events:
				if ev.Comment == "" {
					return ev
				}
				continue
			default:
			}
			Fail("the stream ended before the next event")
		case <-deadline.C:
			Fail(fmt.Sprintf("no event within %s", callWait))
		}
	}
}

// nextComment returns the text of the next comment, skipping events.
func (s *sseStream) nextComment() string {
	GinkgoHelper()
	deadline := time.NewTimer(callWait)
	defer deadline.Stop()
	for {
		select {
		case ev := <-s.events:
			if ev.Comment != "" {
				return ev.Comment
			}
		case <-s.done:
			Fail("the stream ended before the next comment")
		case <-deadline.C:
			Fail(fmt.Sprintf("no comment within %s", callWait))
		}
	}
}

// ended waits until the server has ended the stream.
func (s *sseStream) ended() {
	GinkgoHelper()
	select {
	case <-s.done:
	case <-time.After(callWait):
		Fail(fmt.Sprintf("the stream did not end within %s", callWait))
	}
}

// sseCall decodes the CALL of a call or update event.
func sseCall(ev sseEvent) api.Call {
	GinkgoHelper()
	var c api.Call
	Expect(json.Unmarshal([]byte(ev.Data), &c)).To(Succeed(), "event data: %s", ev.Data)
	return c
}

// streamURL returns the stream route of a channel with a query.
func streamURL(rv *receiver.Receiver, id, query string) string {
	u := rv.URL() + "/_hookcheck/channels/" + id + "/stream"
	if query != "" {
		u += "?" + query
	}
	return u
}

var _ = Describe("Inspector streams", func() {
	const secret = "s3cret"
	noTLS := receiver.Config{TLSListen: receiver.Off, SMTPListen: receiver.Off}

	Describe("GET /_hookcheck/channels/{id}/stream", func() {
		It("sends each call as a call event with its seq as id, as soon as it is recorded", func() {
			rv, c := startReceiver(noTLS)
			ch := newChannel(c, api.ChannelRequest{Secret: secret})
			s := openSSE(streamURL(rv, ch.ID, ""), nil)
			Expect(s.nextComment()).To(ContainSubstring(ch.ID)) // the opening comment: subscribed

			body := `{"EventId":"4b5ce038-0000-4000-8000-000000000001","Event":"contact.created","PrimaryKey":18}`
			Expect(post(freshClient(callWait), ch.URL, []byte(body), hdr(
				"X-SuperOffice-Event", "contact.created",
				"X-SuperOffice-EventId", "4b5ce038-0000-4000-8000-000000000001",
				"X-SuperOffice-Retry", "2",
				"X-SuperOffice-Signature", receiver.Sign(secret, []byte(body)),
			))).To(Equal(http.StatusOK))

			ev := s.next()
			Expect(ev.Name).To(Equal("call"))
			Expect(ev.ID).To(Equal("1"))
			call := sseCall(ev)
			Expect(call.Seq).To(Equal(uint64(1)))
			Expect(call.Channel).To(Equal(ch.ID))
			Expect(call.Body).To(Equal(body))
			Expect(call.Signature).To(Equal(api.SignatureValid))
			Expect(call.Event).To(Equal("contact.created"))
			Expect(call.EventID).To(Equal("4b5ce038-0000-4000-8000-000000000001"))
			Expect(call.Retry).To(HaveValue(Equal(2)))

			Expect(post(freshClient(callWait), ch.URL, []byte("{}"), nil)).To(Equal(http.StatusOK))
			ev = s.next()
			if ev.Name == "update" { // the first call's answer, recorded after it went out
				Expect(sseCall(ev).Seq).To(Equal(uint64(1)))
				ev = s.next()
			}
			Expect(ev.Name).To(Equal("call"))
			Expect(sseCall(ev).Signature).To(Equal(api.SignatureMissing))
		})

		It("resumes after the seq given as after= or as a larger Last-Event-ID", func() {
			rv, c := startReceiver(noTLS)
			ch := newChannel(c, api.ChannelRequest{})
			hc := freshClient(callWait)
			for i := 1; i <= 3; i++ {
				Expect(post(hc, ch.URL, []byte(fmt.Sprintf(`{"n":%d}`, i)), nil)).To(Equal(http.StatusOK))
			}
			waitCalls(c, ch.ID, 0, 3)

			fromAfter := openSSE(streamURL(rv, ch.ID, "after=2"), nil)
			ev := fromAfter.next()
			Expect(ev.Name).To(Equal("call"))
			Expect(ev.ID).To(Equal("3"))

			fromHeader := openSSE(streamURL(rv, ch.ID, ""), http.Header{"Last-Event-ID": {"1"}})
			Expect(fromHeader.next().ID).To(Equal("2"))
			Expect(fromHeader.next().ID).To(Equal("3"))

			larger := openSSE(streamURL(rv, ch.ID, "after=1"), http.Header{"Last-Event-ID": {"2"}})
			Expect(larger.next().ID).To(Equal("3"))

			// After the catch-up, the stream goes on live.
			Expect(post(hc, ch.URL, []byte(`{"n":4}`), nil)).To(Equal(http.StatusOK))
			Expect(fromAfter.next().ID).To(Equal("4"))
			Expect(larger.next().ID).To(Equal("4"))
		})

		It("sends an update event, without an id, when a sent call's recorded answer changes", func() {
			rv, c := startReceiver(noTLS)
			ch := newChannel(c, api.ChannelRequest{})
			setScript(c, ch.ID, api.Rule{Respond: &api.Respond{Status: http.StatusInternalServerError, Delay: api.Duration(time.Minute)}})
			s := openSSE(streamURL(rv, ch.ID, ""), nil)

			// The sender gives up while the answer is delayed: the call was
			// recorded with the planned 500, and no answer went out.
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			req, err := http.NewRequestWithContext(ctx, http.MethodPost, ch.URL, strings.NewReader(`{"a":1}`))
			Expect(err).NotTo(HaveOccurred())
			sent := make(chan error, 1)
			go func() {
				resp, err := freshClient(time.Minute).Do(req)
				if err == nil {
					_ = resp.Body.Close()
				}
				sent <- err
			}()

			ev := s.next()
			Expect(ev.Name).To(Equal("call"))
			planned := sseCall(ev)
			Expect(planned.Response.Status).To(Equal(http.StatusInternalServerError))
			Expect(planned.Response.DelayMs).To(Equal(int64(60000)))

			cancel()
			Eventually(sent, callWait).Should(Receive(HaveOccurred()))
			ev = s.next()
			Expect(ev.Name).To(Equal("update"))
			Expect(ev.ID).To(BeEmpty(), "an update must not move Last-Event-ID")
			updated := sseCall(ev)
			Expect(updated.Seq).To(Equal(planned.Seq))
			Expect(updated.Response.Status).To(BeZero(), "no answer went out")
			Expect(updated.Response.DelayMs).To(Equal(int64(60000)))
		})

		It("ends when the receiver closes", func() {
			rv, c := startReceiver(noTLS)
			ch := newChannel(c, api.ChannelRequest{})
			s := openSSE(streamURL(rv, ch.ID, ""), nil)
			s.nextComment()
			Expect(rv.Close()).To(Succeed())
			s.ended()
		})

		It("sends keep-alive comments, and a gone event before it ends when the channel is deleted", func() {
			rv, c := startReceiver(noTLS)
			ch := newChannel(c, api.ChannelRequest{})
			s := openSSE(streamURL(rv, ch.ID, "keepalive=100ms"), nil)
			Expect(s.nextComment()).To(ContainSubstring(ch.ID))
			Expect(s.nextComment()).To(Equal("keep-alive"))

			Expect(c.DeleteChannel(specCtx(), ch.ID)).To(Succeed())
			ev := s.next()
			Expect(ev.Name).To(Equal("gone"))
			Expect(ev.Data).To(ContainSubstring(ch.ID))
			s.ended()
		})

		It("sends gone as soon as the channel is deleted, not at the next keep-alive", func() {
			rv, c := startReceiver(noTLS)
			ch := newChannel(c, api.ChannelRequest{})
			s := openSSE(streamURL(rv, ch.ID, "keepalive=1m"), nil)
			Expect(s.nextComment()).To(ContainSubstring(ch.ID))
			Expect(c.DeleteChannel(specCtx(), ch.ID)).To(Succeed())
			ev := s.next()
			Expect(ev.Name).To(Equal("gone"))
			s.ended()
		})

		It("answers 404 with the JSON error for an unknown channel, and 400 for a bad after", func() {
			rv, c := startReceiver(noTLS)
			status, js, _ := control(http.MethodGet, streamURL(rv, "nobody", ""), nil, nil)
			Expect(status).To(Equal(http.StatusNotFound))
			Expect(js.Get("status").Int()).To(Equal(int64(http.StatusNotFound)))
			Expect(js.Get("error").String()).To(ContainSubstring(`"nobody" not found`))

			ch := newChannel(c, api.ChannelRequest{})
			status, js, _ = control(http.MethodGet, streamURL(rv, ch.ID, "after=-1"), nil, nil)
			Expect(status).To(Equal(http.StatusBadRequest))
			Expect(js.Get("error").String()).To(ContainSubstring("after"))
			Expect(js.Get("status").Int()).To(Equal(int64(http.StatusBadRequest)))
		})
	})

	Describe("GET /_hookcheck/mail/stream", func() {
		It("sends captured e-mails as mail events as they arrive, filtered by to=", func() {
			rv, _ := startReceiver(receiver.Config{TLSListen: receiver.Off})
			s := openSSE(rv.URL()+"/_hookcheck/mail/stream?to=ops@example.com", nil)
			s.nextComment()

			send := func(to, subject string) {
				msg := "From: netserver@example.com\r\nTo: " + to + "\r\nSubject: " + subject + "\r\n\r\nWebhook stopped.\r\n"
				Expect(smtp.SendMail(rv.SMTPAddr(), nil, "netserver@example.com", []string{to}, []byte(msg))).To(Succeed())
			}
			send("someone@example.com", "not for ops")
			send("ops@example.com", "TooManyErrors")

			ev := s.next()
			Expect(ev.Name).To(Equal("mail"))
			Expect(ev.ID).To(Equal("2"))
			var m api.Mail
			Expect(json.Unmarshal([]byte(ev.Data), &m)).To(Succeed())
			Expect(m.Subject).To(Equal("TooManyErrors"))
			Expect(m.To).To(ConsistOf("ops@example.com"))
		})

		It("answers 404 without an SMTP listener", func() {
			rv, _ := startReceiver(noTLS)
			status, js, _ := control(http.MethodGet, rv.URL()+"/_hookcheck/mail/stream", nil, nil)
			Expect(status).To(Equal(http.StatusNotFound))
			Expect(js.Get("error").String()).To(ContainSubstring("SMTP"))
		})
	})

	Describe("with --control-token", func() {
		It("takes the token as ?token= on stream routes only", func() {
			rv, _ := startReceiver(receiver.Config{TLSListen: receiver.Off, SMTPListen: "", ControlToken: "tok"})
			c := client.New(rv.URL(), client.WithToken("tok"))
			ch := newChannel(c, api.ChannelRequest{})

			for _, target := range []string{
				streamURL(rv, ch.ID, ""),
				streamURL(rv, ch.ID, "token=wrong"),
				rv.URL() + "/_hookcheck/mail/stream?token=wrong",
				rv.URL() + "/_hookcheck/channels?token=tok",
				rv.URL() + "/_hookcheck/channels/" + ch.ID + "/calls?token=tok",
				rv.URL() + "/_hookcheck/channels/" + ch.ID + "/calls/1/signature?token=tok",
			} {
				status, js, _ := control(http.MethodGet, target, nil, nil)
				Expect(status).To(Equal(http.StatusUnauthorized), target)
				Expect(js.Get("status").Int()).To(Equal(int64(http.StatusUnauthorized)), target)
			}

			s := openSSE(streamURL(rv, ch.ID, "token=tok"), nil)
			Expect(post(freshClient(callWait), ch.URL, []byte(`{}`), nil)).To(Equal(http.StatusOK))
			Expect(s.next().Name).To(Equal("call"))
			openSSE(rv.URL()+"/_hookcheck/mail/stream?token=tok", nil).nextComment()
			openSSE(streamURL(rv, ch.ID, ""), http.Header{"Authorization": {"Bearer tok"}}).nextComment()
		})
	})
})
