package receiver_test

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/receiver"
	"github.com/hookcheck/hookcheck/receiver/api"
)

// bodyFor returns a body of a size that varies with i (so evicted calls'
// memory is reused across size classes) and that names i throughout.
func bodyFor(i int) []byte {
	unit := fmt.Sprintf("<%d>", i)
	return bytes.Repeat([]byte(unit), (100+(i*397)%3000)/len(unit))
}

var _ = Describe("Call memory at the bound", func() {
	It("keeps every held call's bytes and signature right while evicted calls' memory is reused", func() {
		const secret = "s3cret"
		_, c := startReceiver(receiver.Config{MaxCalls: 40})
		hc := freshClient(callWait)
		chA := newChannel(c, api.ChannelRequest{ID: "a", Secret: secret})
		chB := newChannel(c, api.ChannelRequest{ID: "b"})
		for i := 1; i <= 400; i++ {
			body := bodyFor(i)
			target, h := chB.URL, hdr("X-SuperOffice-Event", fmt.Sprint("n.", i))
			if i%3 != 0 {
				target, h = chA.URL, hdr("X-SuperOffice-Signature", receiver.Sign(secret, body), "X-SuperOffice-Event", fmt.Sprint("n.", i))
			}
			Expect(post(hc, target, body, h)).To(Equal(http.StatusOK))
		}
		held := 0
		for _, id := range []string{"a", "b"} {
			for _, call := range allCalls(c, id).Calls {
				held++
				var i int
				_, err := fmt.Sscanf(call.Event, "n.%d", &i)
				Expect(err).NotTo(HaveOccurred())
				Expect(call.Body).To(Equal(string(bodyFor(i))), "call %d", i)
				Expect(call.BodySize).To(BeEquivalentTo(len(bodyFor(i))))
				if id == "a" {
					Expect(call.Signature).To(Equal(api.SignatureValid), "call %d", i)
				}
			}
		}
		Expect(held).To(Equal(40))
	})

	It("answers 503 once closed, also where it is mounted on a server it does not own", func() {
		rv, err := receiver.Start(receiver.Config{})
		Expect(err).NotTo(HaveOccurred())
		srv := httptest.NewServer(rv)
		DeferCleanup(srv.Close)
		hc := freshClient(callWait)
		Expect(post(hc, srv.URL+"/hooks/x", []byte("{}"), nil)).To(Equal(http.StatusOK))
		Expect(rv.Close()).To(Succeed())
		Expect(post(hc, srv.URL+"/hooks/x", []byte("{}"), nil)).To(Equal(http.StatusServiceUnavailable))
		resp, err := hc.Get(srv.URL + "/_hookcheck/healthz")
		Expect(err).NotTo(HaveOccurred())
		resp.Body.Close()
		Expect(resp.StatusCode).To(Equal(http.StatusServiceUnavailable))
	})
})
