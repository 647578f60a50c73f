package receiver_test

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/receiver"
	"github.com/hookcheck/hookcheck/receiver/api"
)

var _ = Describe("Inspector call detail", func() {
	const secret = "inspector-secret-value"
	noTLS := receiver.Config{TLSListen: receiver.Off, SMTPListen: receiver.Off}

	// signatureOf asks the signature route for call seq and checks that the
	// answer never carries the secret.
	signatureOf := func(rv *receiver.Receiver, id string, seq int) receiver.SignatureCheck {
		GinkgoHelper()
		status, _, raw := control(http.MethodGet, rv.URL()+"/_hookcheck/channels/"+id+"/calls/"+strconv.Itoa(seq)+"/signature", nil, nil)
		Expect(status).To(Equal(http.StatusOK), string(raw))
		Expect(string(raw)).NotTo(ContainSubstring(secret))
		var sc receiver.SignatureCheck
		Expect(json.Unmarshal(raw, &sc)).To(Succeed())
		Expect(sc.Seq).To(Equal(uint64(seq)))
		return sc
	}

	It("explains each signature verdict with the expected signature, never the secret", func() {
		rv, c := startReceiver(noTLS)
		ch := newChannel(c, api.ChannelRequest{Secret: secret})
		hc := freshClient(callWait)
		body := []byte(`{"EventId":"e-1","Event":"contact.created"}`)
		want := receiver.Sign(secret, body)
		other := receiver.Sign("another secret", body)
		post(hc, ch.URL, body, hdr("X-SuperOffice-Signature", want))
		post(hc, ch.URL, body, hdr("X-SuperOffice-Signature", other))
		post(hc, ch.URL, body, nil)
		post(hc, ch.URL, body, hdr("x-superoffice-signature", "not base64!"))
		post(hc, ch.URL, body, hdr("X-SuperOffice-Signature", "AAAA"))
		waitCalls(c, ch.ID, 0, 5)

		sc := signatureOf(rv, ch.ID, 1)
		Expect(sc.Verdict).To(Equal(api.SignatureValid))
		Expect(sc.Present).To(BeTrue())
		Expect(sc.Received).To(Equal(want))
		Expect(sc.Expected).To(Equal(want))
		Expect(sc.Header).To(Equal("X-SuperOffice-Signature"))

		sc = signatureOf(rv, ch.ID, 2)
		Expect(sc.Verdict).To(Equal(api.SignatureInvalid))
		Expect(sc.Received).To(Equal(other))
		Expect(sc.Expected).To(Equal(want))
		Expect(sc.Reason).To(ContainSubstring("another secret"))

		sc = signatureOf(rv, ch.ID, 3)
		Expect(sc.Verdict).To(Equal(api.SignatureMissing))
		Expect(sc.Present).To(BeFalse())
		Expect(sc.Expected).To(Equal(want))
		Expect(sc.Reason).To(ContainSubstring("no X-SuperOffice-Signature"))

		sc = signatureOf(rv, ch.ID, 4)
		Expect(sc.Verdict).To(Equal(api.SignatureInvalid))
		Expect(sc.Received).To(Equal("not base64!"))
		Expect(sc.Reason).To(ContainSubstring("not standard base64"))

		sc = signatureOf(rv, ch.ID, 5)
		Expect(sc.Verdict).To(Equal(api.SignatureInvalid))
		Expect(sc.Reason).To(ContainSubstring("3 bytes"))
	})

	It("gives no expected signature without a secret or a whole body", func() {
		rv, c := startReceiver(receiver.Config{TLSListen: receiver.Off, SMTPListen: receiver.Off, MaxBody: 16})
		open := newChannel(c, api.ChannelRequest{})
		signed := newChannel(c, api.ChannelRequest{Secret: secret})
		hc := freshClient(callWait)
		Expect(post(hc, open.URL, []byte(`{}`), hdr("X-SuperOffice-Signature", "abc"))).To(Equal(http.StatusOK))
		long := []byte(strings.Repeat("x", 64))
		Expect(post(hc, signed.URL, long, hdr("X-SuperOffice-Signature", receiver.Sign(secret, long)))).To(Equal(http.StatusRequestEntityTooLarge))
		waitCalls(c, open.ID, 0, 1)
		waitCalls(c, signed.ID, 0, 1)

		sc := signatureOf(rv, open.ID, 1)
		Expect(sc.Verdict).To(Equal(api.SignatureUnchecked))
		Expect(sc.Received).To(Equal("abc"))
		Expect(sc.Expected).To(BeEmpty())
		Expect(sc.Reason).To(ContainSubstring("no secret"))

		sc = signatureOf(rv, signed.ID, 1)
		Expect(sc.Verdict).To(Equal(api.SignatureUnchecked))
		Expect(sc.Expected).To(BeEmpty())
		Expect(sc.Reason).To(ContainSubstring("--max-body"))
	})

	It("serves one call by seq, and 404 for a seq it does not hold", func() {
		rv, c := startReceiver(noTLS)
		ch := newChannel(c, api.ChannelRequest{})
		hc := freshClient(callWait)
		post(hc, ch.URL, []byte(`{"n":1}`), nil)
		post(hc, ch.URL, []byte(`{"n":2}`), nil)
		waitCalls(c, ch.ID, 0, 2)

		status, js, _ := control(http.MethodGet, rv.URL()+"/_hookcheck/channels/"+ch.ID+"/calls/2", nil, nil)
		Expect(status).To(Equal(http.StatusOK))
		Expect(js.Get("seq").Int()).To(Equal(int64(2)))
		Expect(js.Get("body").String()).To(Equal(`{"n":2}`))

		for _, seq := range []string{"0", "3"} {
			for _, suffix := range []string{"", "/signature"} {
				status, js, _ = control(http.MethodGet, rv.URL()+"/_hookcheck/channels/"+ch.ID+"/calls/"+seq+suffix, nil, nil)
				Expect(status).To(Equal(http.StatusNotFound), seq+suffix)
				Expect(js.Get("status").Int()).To(Equal(int64(http.StatusNotFound)))
			}
		}
		status, _, _ = control(http.MethodGet, rv.URL()+"/_hookcheck/channels/nobody/calls/1/signature", nil, nil)
		Expect(status).To(Equal(http.StatusNotFound))
	})
})
