package receiver_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"syscall"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/receiver"
	"github.com/hookcheck/hookcheck/receiver/api"
	"github.com/hookcheck/hookcheck/receiver/client"
)

var _ = Describe("Fault scripts, seen by a real HTTP client", func() {
	var (
		c  *client.Client
		ch api.Channel
		hc *http.Client
	)

	BeforeEach(func() {
		_, c = startReceiver(receiver.Config{})
		ch = newChannel(c, api.ChannelRequest{})
		hc = freshClient(callWait)
	})

	// statuses sends n calls and returns the statuses the client saw.
	statuses := func(target string, n int, header http.Header) []int {
		GinkgoHelper()
		out := make([]int, n)
		for i := range out {
			out[i] = post(hc, target, []byte(fmt.Sprintf(`{"n":%d}`, i+1)), header)
		}
		return out
	}

	DescribeTable("answers with the scripted status, headers and body, and records them",
		func(respond api.Respond) {
			setScript(c, ch.ID, api.Rule{Respond: &respond})
			resp, body, err := sendCall(hc, http.MethodPost, ch.URL, []byte(`{}`), nil)
			Expect(err).NotTo(HaveOccurred())
			Expect(resp.StatusCode).To(Equal(respond.Status))
			Expect(string(body)).To(Equal(respond.Body))
			for k, v := range respond.Headers {
				Expect(resp.Header.Get(k)).To(Equal(v))
			}

			call := answeredCall(c, ch.ID, 1)
			Expect(call.Response.Status).To(Equal(respond.Status))
			Expect(call.Response.Body).To(Equal(respond.Body))
			Expect(call.Response.Fault).To(BeEmpty())
			Expect(call.Response.Rule).To(Equal(0))
			for k, v := range respond.Headers {
				Expect(http.Header(call.Response.Headers).Get(k)).To(Equal(v))
			}
		},
		Entry("410 Gone (tells NetServer to drop the webhook)", api.Respond{Status: http.StatusGone, Body: "gone for good"}),
		Entry("429 with Retry-After", api.Respond{Status: http.StatusTooManyRequests, Headers: map[string]string{"Retry-After": "120"}, Body: "slow down"}),
		Entry("503 with a JSON body and content type", api.Respond{Status: http.StatusServiceUnavailable, Headers: map[string]string{"Content-Type": "application/json", "X-Reason": "maintenance"}, Body: `{"error":"down"}`}),
		Entry("201 with no body", api.Respond{Status: http.StatusCreated}),
	)

	It("fails the first 9 calls with 500 and then answers 200, as one script", func() {
		setScript(c, ch.ID, api.Rule{Times: ptr(9), Respond: &api.Respond{Status: http.StatusInternalServerError, Body: "try again"}})
		got := statuses(ch.URL, 12, nil)
		want := []int{500, 500, 500, 500, 500, 500, 500, 500, 500, 200, 200, 200}
		Expect(got).To(Equal(want))

		list, err := c.Calls(specCtx(), ch.ID, client.CallQuery{Min: 12, Wait: callWait})
		Expect(err).NotTo(HaveOccurred())
		Expect(list.Calls).To(HaveLen(12))
		for i, call := range list.Calls {
			Expect(call.Response.Status).To(Equal(want[i]), "recorded status of call %d", call.Seq)
			if i < 9 {
				Expect(call.Response.Rule).To(Equal(0))
				Expect(call.Response.Body).To(Equal("try again"))
			} else {
				Expect(call.Response.Rule).To(Equal(-1))
			}
		}
	})

	It("delays the answer by at least the asked delay, and not absurdly more", func() {
		const delay = 300 * time.Millisecond
		setScript(c, ch.ID, api.Rule{Respond: &api.Respond{Delay: api.Duration(delay)}})
		start := time.Now()
		Expect(post(hc, ch.URL, []byte(`{}`), nil)).To(Equal(http.StatusOK))
		elapsed := time.Since(start)
		Expect(elapsed).To(BeNumerically(">=", delay))
		Expect(elapsed).To(BeNumerically("<", delay+5*time.Second))
		call := answeredCall(c, ch.ID, 1)
		Expect(call.Response.DelayMs).To(BeEquivalentTo(delay.Milliseconds()))
		Expect(call.Response.Status).To(Equal(http.StatusOK))
	})

	It("records the answer actually sent: none when the client leaves during the delay", func() {
		setScript(c, ch.ID, api.Rule{Respond: &api.Respond{Status: http.StatusAccepted, Delay: api.Duration(20 * time.Second)}})
		_, _, err := sendCall(freshClient(200*time.Millisecond), http.MethodPost, ch.URL, []byte(`{}`), nil)
		Expect(err).To(HaveOccurred())
		// On arrival the call shows the planned 202; once the receiver sees
		// the client go, it records that no status line went out.
		Eventually(func() int { return allCalls(c, ch.ID).Calls[0].Response.Status }, callWait, 20*time.Millisecond).Should(BeZero())
		call := allCalls(c, ch.ID).Calls[0]
		Expect(call.Response.DelayMs).To(BeEquivalentTo(20000))
		Expect(call.Response.Rule).To(Equal(0))
		Expect(call.Response.Body).To(BeEmpty())
	})

	It("adds jitter within [delay, delay+jitter) and records the delay it applied", func() {
		const delay, jitter = 20 * time.Millisecond, 150 * time.Millisecond
		setScript(c, ch.ID, api.Rule{Respond: &api.Respond{Delay: api.Duration(delay), Jitter: api.Duration(jitter)}})
		elapsed := make([]time.Duration, 6)
		for i := range elapsed {
			start := time.Now()
			Expect(post(hc, ch.URL, []byte(`{}`), nil)).To(Equal(http.StatusOK))
			elapsed[i] = time.Since(start)
		}
		seen := map[int64]bool{}
		for i := range elapsed {
			call := answeredCall(c, ch.ID, uint64(i+1))
			d := call.Response.DelayMs
			Expect(d).To(BeNumerically(">=", delay.Milliseconds()))
			Expect(d).To(BeNumerically("<", (delay + jitter).Milliseconds()))
			Expect(elapsed[i]).To(BeNumerically(">=", time.Duration(d)*time.Millisecond))
			seen[d] = true
		}
		Expect(len(seen)).To(BeNumerically(">", 1), "jitter gave every call the same delay")
	})

	It("hangs: the client times out and the call is recorded as hang", func() {
		setScript(c, ch.ID, api.Rule{Fault: &api.Fault{Type: "hang"}})
		_, _, err := sendCall(freshClient(300*time.Millisecond), http.MethodPost, ch.URL, []byte(`{}`), nil)
		Expect(err).To(HaveOccurred())
		var ne net.Error
		Expect(errors.As(err, &ne) && ne.Timeout()).To(BeTrue(), "want a client timeout, got %v", err)
		call := answeredCall(c, ch.ID, 1)
		Expect(call.Response.Fault).To(Equal("hang"))
		Expect(call.Response.Status).To(BeZero())
		Expect(call.Response.Rule).To(Equal(0))
	})

	It("resets the connection", func() {
		setScript(c, ch.ID, api.Rule{Fault: &api.Fault{Type: "reset"}})
		_, _, err := sendCall(hc, http.MethodPost, ch.URL, []byte(`{}`), nil)
		Expect(err).To(HaveOccurred())
		Expect(errors.Is(err, syscall.ECONNRESET)).To(BeTrue(), "want connection reset by peer, got %v", err)
		call := answeredCall(c, ch.ID, 1)
		Expect(call.Response.Fault).To(Equal("reset"))
		Expect(call.Response.Status).To(BeZero())
	})

	It("closes the connection before answering (EOF)", func() {
		setScript(c, ch.ID, api.Rule{Fault: &api.Fault{Type: "close"}})
		_, _, err := sendCall(hc, http.MethodPost, ch.URL, []byte(`{}`), nil)
		Expect(err).To(HaveOccurred())
		Expect(errors.Is(err, io.EOF)).To(BeTrue(), "want EOF, got %v", err)
		call := answeredCall(c, ch.ID, 1)
		Expect(call.Response.Fault).To(Equal("close"))
		Expect(call.Response.Status).To(BeZero())
	})

	It("answers garbage that is not HTTP", func() {
		setScript(c, ch.ID, api.Rule{Fault: &api.Fault{Type: "garbage", Bytes: 200}})
		_, _, err := sendCall(hc, http.MethodPost, ch.URL, []byte(`{}`), nil)
		// Depending on the bytes, net/http names the response, its status
		// code or its version malformed.
		Expect(err).To(MatchError(ContainSubstring("malformed HTTP")))
		call := answeredCall(c, ch.ID, 1)
		Expect(call.Response.Fault).To(Equal("garbage"))
		Expect(call.Response.Status).To(BeZero())
	})

	It("dribbles the whole body over about the asked duration (slow-body)", func() {
		const d = 600 * time.Millisecond
		body := strings.Repeat("0123456789abcdef", 256) // 4 KiB
		setScript(c, ch.ID, api.Rule{
			Respond: &api.Respond{Status: http.StatusAccepted, Body: body},
			Fault:   &api.Fault{Type: "slow-body", Duration: api.Duration(d)},
		})
		start := time.Now()
		resp, err := hc.Post(ch.URL, "application/json", strings.NewReader(`{}`))
		Expect(err).NotTo(HaveOccurred())
		defer resp.Body.Close()
		Expect(resp.StatusCode).To(Equal(http.StatusAccepted))
		Expect(resp.ContentLength).To(BeEquivalentTo(len(body)))
		var got bytes.Buffer
		reads := 0
		buf := make([]byte, 64<<10)
		for {
			n, err := resp.Body.Read(buf)
			if n > 0 {
				reads++
				got.Write(buf[:n])
			}
			if err == io.EOF {
				break
			}
			Expect(err).NotTo(HaveOccurred())
		}
		elapsed := time.Since(start)
		Expect(got.String()).To(Equal(body))
		Expect(reads).To(BeNumerically(">", 1), "the body came in one piece")
		Expect(elapsed).To(BeNumerically(">=", d))
		Expect(elapsed).To(BeNumerically("<", d+5*time.Second))

		call := answeredCall(c, ch.ID, 1)
		Expect(call.Response.Fault).To(Equal("slow-body"))
		Expect(call.Response.Status).To(Equal(http.StatusAccepted))
		Eventually(func() string { return allCalls(c, ch.ID).Calls[0].Response.Body }, callWait).Should(Equal(body))
	})

	Describe("probability with a seed", func() {
		rule := func(seed uint64) api.Rule {
			return api.Rule{Probability: ptr(0.5), Seed: ptr(seed), Respond: &api.Respond{Status: http.StatusServiceUnavailable}}
		}

		It("gives the same sequence on two channels with the same seed, and a mix of answers", func() {
			a := newChannel(c, api.ChannelRequest{Script: []api.Rule{rule(42)}})
			b := newChannel(c, api.ChannelRequest{Script: []api.Rule{rule(42)}})
			seqA := statuses(a.URL, 24, nil)
			seqB := statuses(b.URL, 24, nil)
			Expect(seqA).To(Equal(seqB))
			Expect(seqA).To(ContainElement(http.StatusServiceUnavailable))
			Expect(seqA).To(ContainElement(http.StatusOK))

			other := newChannel(c, api.ChannelRequest{Script: []api.Rule{rule(43)}})
			Expect(statuses(other.URL, 24, nil)).NotTo(Equal(seqA), "another seed gave the same sequence")

			list, err := c.Calls(specCtx(), a.ID, client.CallQuery{Min: 24, Wait: callWait})
			Expect(err).NotTo(HaveOccurred())
			for i, call := range list.Calls {
				Expect(call.Response.Status).To(Equal(seqA[i]))
				if seqA[i] == http.StatusServiceUnavailable {
					Expect(call.Response.Rule).To(Equal(0))
				} else {
					Expect(call.Response.Rule).To(Equal(-1))
				}
			}
		})

		It("never answers with probability 0 and always with probability 1", func() {
			setScript(c, ch.ID,
				api.Rule{Probability: ptr(0.0), Respond: &api.Respond{Status: http.StatusTeapot}},
				api.Rule{Probability: ptr(1.0), Respond: &api.Respond{Status: http.StatusAccepted}},
			)
			Expect(statuses(ch.URL, 5, nil)).To(HaveEach(http.StatusAccepted))
		})
	})

	Describe("matching", func() {
		It("matches by event, case-insensitively", func() {
			setScript(c, ch.ID, api.Rule{Match: &api.Match{Event: "contact.changed"}, Respond: &api.Respond{Status: http.StatusInternalServerError}})
			Expect(post(hc, ch.URL, []byte(`{}`), hdr("x-superoffice-event", "Contact.Changed"))).To(Equal(500))
			Expect(post(hc, ch.URL, []byte(`{}`), hdr("X-SuperOffice-Event", "sale.created"))).To(Equal(200))
			Expect(post(hc, ch.URL, []byte(`{}`), nil)).To(Equal(200))
		})

		It("matches by header value (name in any case, value exact)", func() {
			setScript(c, ch.ID, api.Rule{Match: &api.Match{Header: map[string]string{"x-tenant": "Cust1234"}}, Respond: &api.Respond{Status: http.StatusUnauthorized}})
			Expect(post(hc, ch.URL, []byte(`{}`), hdr("X-Tenant", "Cust1234"))).To(Equal(401))
			Expect(post(hc, ch.URL, []byte(`{}`), hdr("X-Tenant", "cust1234"))).To(Equal(200))
			Expect(post(hc, ch.URL, []byte(`{}`), hdr("X-Other", "Cust1234"))).To(Equal(200))
		})

		It("matches by nth call ranges, closed and open", func() {
			setScript(c, ch.ID,
				api.Rule{Match: &api.Match{Nth: "2-3"}, Respond: &api.Respond{Status: 500}},
				api.Rule{Match: &api.Match{Nth: "5-"}, Respond: &api.Respond{Status: 202}},
			)
			Expect(statuses(ch.URL, 7, nil)).To(Equal([]int{200, 500, 500, 200, 202, 202, 202}))
			list := allCalls(c, ch.ID)
			Expect(list.Calls[1].Response.Rule).To(Equal(0))
			Expect(list.Calls[5].Response.Rule).To(Equal(1))
		})

		It("needs every part of a match to hold", func() {
			setScript(c, ch.ID, api.Rule{
				Match:   &api.Match{Event: "test", Header: map[string]string{"X-Hook-Test": "true"}},
				Respond: &api.Respond{Status: http.StatusTeapot},
			})
			Expect(post(hc, ch.URL, []byte(`{}`), hdr("X-SuperOffice-Event", "test"))).To(Equal(200))
			Expect(post(hc, ch.URL, []byte(`{}`), hdr("X-Hook-Test", "true"))).To(Equal(200))
			Expect(post(hc, ch.URL, []byte(`{}`), hdr("X-SuperOffice-Event", "test", "X-Hook-Test", "true"))).To(Equal(http.StatusTeapot))
		})

		It("uses each rule up to its times, then falls through to the next, then to 200", func() {
			setScript(c, ch.ID,
				api.Rule{Times: ptr(2), Respond: &api.Respond{Status: 429, Headers: map[string]string{"Retry-After": "1"}}},
				api.Rule{Times: ptr(1), Respond: &api.Respond{Status: 503}},
			)
			Expect(statuses(ch.URL, 5, nil)).To(Equal([]int{429, 429, 503, 200, 200}))
		})

		It("reports each rule's uses left as calls use them up, null for a rule without times", func() {
			res := setScript(c, ch.ID,
				api.Rule{Times: ptr(2), Respond: &api.Respond{Status: 429}},
				api.Rule{Match: &api.Match{Event: "never"}, Times: ptr(5), Respond: &api.Respond{Status: 503}},
				api.Rule{Respond: &api.Respond{Status: 500}},
			)
			Expect(res.UsesLeft).To(Equal([]*int{ptr(2), ptr(5), nil}))
			left := func() []*int {
				GinkgoHelper()
				got, err := c.Script(specCtx(), ch.ID)
				Expect(err).NotTo(HaveOccurred())
				return got.UsesLeft
			}
			Expect(statuses(ch.URL, 1, nil)).To(Equal([]int{429}))
			Expect(left()).To(Equal([]*int{ptr(1), ptr(5), nil}))
			Expect(statuses(ch.URL, 2, nil)).To(Equal([]int{429, 500}))
			Expect(left()).To(Equal([]*int{ptr(0), ptr(5), nil}), "a rule that did not match keeps its uses")
			Expect(setScript(c, ch.ID).UsesLeft).To(BeEmpty())
		})

		It("applies a replaced script from the next call on, with fresh counts", func() {
			setScript(c, ch.ID, api.Rule{Times: ptr(1), Respond: &api.Respond{Status: 500}})
			Expect(statuses(ch.URL, 2, nil)).To(Equal([]int{500, 200}))
			res := setScript(c, ch.ID, api.Rule{Times: ptr(1), Respond: &api.Respond{Status: 502}})
			Expect(res.Warnings).To(BeEmpty())
			got, err := c.Script(specCtx(), ch.ID)
			Expect(err).NotTo(HaveOccurred())
			Expect(got.Script).To(HaveLen(1))
			Expect(got.Script[0].Respond.Status).To(Equal(502))
			Expect(statuses(ch.URL, 2, nil)).To(Equal([]int{502, 200}))
			setScript(c, ch.ID)
			Expect(statuses(ch.URL, 1, nil)).To(Equal([]int{200}))
		})
	})

	It("applies faults over HTTPS too", func() {
		rv, tc := startReceiver(receiver.Config{})
		tch := newChannel(tc, api.ChannelRequest{Script: []api.Rule{{Times: ptr(1), Fault: &api.Fault{Type: "reset"}}, {Respond: &api.Respond{Status: 418}}}})
		https := trustingClient(rv.CAPEM())
		_, _, err := sendCall(https, http.MethodPost, tch.TLSURL, []byte(`{}`), nil)
		Expect(err).To(HaveOccurred())
		resp, _, err := sendCall(https, http.MethodPost, tch.TLSURL, []byte(`{}`), nil)
		Expect(err).NotTo(HaveOccurred())
		Expect(resp.StatusCode).To(Equal(http.StatusTeapot))
		Expect(answeredCall(tc, tch.ID, 1).Response.Fault).To(Equal("reset"))
		Expect(answeredCall(tc, tch.ID, 2).TLS).To(BeTrue())
	})
})
