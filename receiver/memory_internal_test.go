package receiver

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/receiver/api"
	"github.com/hookcheck/hookcheck/receiver/fault"
	"github.com/hookcheck/hookcheck/receiver/journal"
)

var _ = Describe("Receiver memory", func() {
	It("maps no new call memory once the journal is at its bound, however many calls follow", func() {
		rv, err := Start(Config{MaxCalls: 500, TLSListen: Off, SMTPListen: Off})
		Expect(err).NotTo(HaveOccurred())
		DeferCleanup(rv.Close)
		body := []byte(`{"Event":"contact.changed","pad":"` + strings.Repeat("x", 1000) + `"}`)
		send := func(n int) {
			GinkgoHelper()
			for range n {
				resp, err := http.Post(rv.URL()+"/hooks/mem", "application/json", bytes.NewReader(body))
				Expect(err).NotTo(HaveOccurred())
				resp.Body.Close()
				Expect(resp.StatusCode).To(Equal(http.StatusOK))
			}
		}
		send(500)
		atBound := rv.channels.bufs.mappedBytes()
		Expect(atBound).To(BeNumerically(">", 0))
		send(3000)
		Expect(rv.channels.bufs.mappedBytes()).To(Equal(atBound))
		Expect(rv.channels.bound.Held()).To(Equal(500))
	})

	It("keeps an answer row only while a held call points at it", func() {
		rv, err := Start(Config{MaxCalls: 20, TLSListen: Off, SMTPListen: Off})
		Expect(err).NotTo(HaveOccurred())
		DeferCleanup(rv.Close)
		ch, err := rv.channels.getOrCreate("rows")
		Expect(err).NotTo(HaveOccurred())
		// Ten answers in turn: statuses 500..509 by the call's ordinal.
		var rules []api.Rule
		for k := range 10 {
			rules = append(rules, api.Rule{Match: &api.Match{Nth: fmt.Sprintf("%d-%d", 30*k+1, 30*k+30)}, Respond: &api.Respond{Status: 500 + k}})
		}
		_, err = ch.setScript(rules, fault.Limits{})
		Expect(err).NotTo(HaveOccurred())
		for i := range 300 {
			resp, err := http.Post(rv.URL()+"/hooks/rows", "application/json", strings.NewReader("{}"))
			Expect(err).NotTo(HaveOccurred())
			resp.Body.Close()
			Expect(resp.StatusCode).To(Equal(500 + i/30))
		}
		rows := func() int { // read under the journal's lock, as responses wants
			n := 0
			journal.FindMap(context.Background(), ch.log, journal.Query[storedCall]{Limit: 1}, func(*storedCall) int { n = ch.responses.held(); return 0 })
			return n
		}
		Expect(rows()).To(Equal(1), "the 20 held calls all got 509")
		calls := ch.find(context.Background(), journal.Query[storedCall]{})
		Expect(calls).To(HaveLen(20))
		Expect(calls[0].Response.Status).To(Equal(509))
	})

	It("releases the call memory when it closes", func() {
		rv, err := Start(Config{TLSListen: Off, SMTPListen: Off})
		Expect(err).NotTo(HaveOccurred())
		resp, err := http.Post(rv.URL()+"/hooks/mem", "application/json", strings.NewReader("{}"))
		Expect(err).NotTo(HaveOccurred())
		resp.Body.Close()
		Expect(rv.channels.bufs.mappedBytes()).To(BeNumerically(">", 0))
		Expect(rv.Close()).To(Succeed())
		Expect(rv.channels.bufs.mappedBytes()).To(BeZero())
		Expect(rv.channels.bound.Held()).To(BeZero())
	})
})
