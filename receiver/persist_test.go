package receiver_test

import (
	"crypto/tls"
	"net/http"
	"net/smtp"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/receiver"
	"github.com/hookcheck/hookcheck/receiver/api"
	"github.com/hookcheck/hookcheck/receiver/client"
	"github.com/hookcheck/hookcheck/receiver/store"
)

// restart closes rv and starts a receiver with cfg on the same data
// directory.
func restart(rv *receiver.Receiver, cfg receiver.Config) (*receiver.Receiver, *client.Client) {
	GinkgoHelper()
	Expect(rv.Close()).To(Succeed())
	return startReceiver(cfg)
}

// healthOf returns the receiver's healthz answer.
func healthOf(c *client.Client) api.Health {
	GinkgoHelper()
	h, err := c.Health(specCtx())
	Expect(err).NotTo(HaveOccurred())
	return h
}

var _ = Describe("A receiver with a data directory", func() {
	var cfg receiver.Config

	BeforeEach(func() {
		cfg = receiver.Config{DataDir: filepath.Join(GinkgoT().TempDir(), "data")}
	})

	It("keeps channels, calls exactly as recorded, the script's uses left and e-mails across a restart", func() {
		rv, c := startReceiver(cfg)
		ch := newChannel(c, api.ChannelRequest{ID: "kept", Secret: "s3cret", Script: []api.Rule{
			{Times: ptr(2), Respond: &api.Respond{Status: 500, Body: "boom", Headers: map[string]string{"Retry-After": "1"}}},
			{Match: &api.Match{Event: "contact.deleted"}, Times: ptr(5), Respond: &api.Respond{Status: 410}},
		}})
		hc := freshClient(callWait)
		body := []byte(`{"Event":"contact.changed","Ä":"\u00e9"}`)
		Expect(post(hc, ch.URL+"/sub?x=1", body, hdr("X-SuperOffice-Signature", receiver.Sign("s3cret", body), "X-SuperOffice-Event", "contact.changed"))).To(Equal(500))
		Expect(post(hc, ch.URL, body, hdr("X-SuperOffice-Signature", "bad"))).To(Equal(500))
		Expect(post(hc, ch.URL, []byte("\xff\x00binary"), hdr("X-SuperOffice-Event", "contact.deleted"))).To(Equal(410))
		Expect(post(hc, ch.URL, body, nil)).To(Equal(200))
		Expect(smtp.SendMail(rv.SMTPAddr(), nil, "ns@example.com", []string{"ops@example.com"}, mailMessage("ops@example.com", "TooManyErrors", "hook 7"))).To(Succeed())
		Eventually(func() int { return healthOf(c).Mails }, callWait).Should(Equal(1))
		before := allCalls(c, ch.ID)
		Expect(before.Calls).To(HaveLen(4))
		script, err := c.Script(specCtx(), ch.ID)
		Expect(err).NotTo(HaveOccurred())
		jsonl, err := c.Export(specCtx(), ch.ID, "jsonl")
		Expect(err).NotTo(HaveOccurred())

		rv, c = restart(rv, cfg)
		url := rv.URL() + "/hooks/" + ch.ID // the same path: the port is new here
		after := allCalls(c, ch.ID)
		Expect(after).To(Equal(before), "every call as recorded: bytes, headers as sent, timing, verdict, answer")
		Expect(after.Calls[0].Signature).To(Equal(api.SignatureValid))
		Expect(after.Calls[1].Signature).To(Equal(api.SignatureInvalid))
		Expect(after.Calls[2].BodyBase64).NotTo(BeEmpty())
		Expect(after.Calls[0].RawHeaders).NotTo(BeEmpty(), "the header lines as sent")
		again, err := c.Export(specCtx(), ch.ID, "jsonl")
		Expect(err).NotTo(HaveOccurred())
		Expect(again).To(Equal(jsonl))
		gotScript, err := c.Script(specCtx(), ch.ID)
		Expect(err).NotTo(HaveOccurred())
		Expect(gotScript).To(Equal(script))
		Expect(*gotScript.UsesLeft[0]).To(BeZero())
		Expect(*gotScript.UsesLeft[1]).To(Equal(4))
		info, err := c.Channel(specCtx(), ch.ID)
		Expect(err).NotTo(HaveOccurred())
		Expect(info.HasSecret).To(BeTrue())
		mails, err := c.Mail(specCtx(), client.MailQuery{})
		Expect(err).NotTo(HaveOccurred())
		Expect(mails.Mails).To(HaveLen(1))
		Expect(mails.Mails[0].Subject).To(Equal("TooManyErrors"))

		// The secret and script go on; numbering goes on where it stopped.
		Expect(post(hc, url, body, hdr("X-SuperOffice-Signature", receiver.Sign("s3cret", body), "X-SuperOffice-Event", "contact.deleted"))).To(Equal(410))
		next := waitCalls(c, ch.ID, 4, 1)
		Expect(next[0].Seq).To(Equal(uint64(5)))
		Expect(next[0].Signature).To(Equal(api.SignatureValid))
		h := healthOf(c)
		Expect(h.Storage).NotTo(BeNil())
		Expect(h.Storage.Loaded).To(Equal(4))
		Expect(h.Storage.SchemaVersion).To(Equal(store.SchemaVersion))
		Expect(h.Warnings).To(BeEmpty())
	})

	It("keeps a channel's TLS kind across a restart, its tlsUrl presenting that kind again", func() {
		rv, c := startReceiver(cfg)
		ch := newChannel(c, api.ChannelRequest{ID: "expired-one", TLS: api.TLSExpired})
		Expect(ch.TLS).To(Equal(api.TLSExpired))
		Expect(ch.TLSURL).NotTo(BeEmpty())

		_, c = restart(rv, cfg)
		info, err := c.Channel(specCtx(), ch.ID)
		Expect(err).NotTo(HaveOccurred())
		Expect(info.TLS).To(Equal(api.TLSExpired), "the kind is kept with the channel")
		Expect(info.TLSURL).NotTo(BeEmpty())
		u, err := url.Parse(info.TLSURL)
		Expect(err).NotTo(HaveOccurred())
		conn, err := tls.Dial("tcp", u.Host, &tls.Config{InsecureSkipVerify: true}) //nolint:gosec // the test reads the certificate it is shown
		Expect(err).NotTo(HaveOccurred())
		defer conn.Close()
		leaf := conn.ConnectionState().PeerCertificates[0]
		Expect(leaf.NotAfter).To(BeTemporally("<", time.Now()), "the restored channel's tlsUrl presents an expired certificate")
	})

	It("forgets on disk what it forgets in memory: deleted channels, cleared calls", func() {
		rv, c := startReceiver(cfg)
		gone := newChannel(c, api.ChannelRequest{ID: "gone"})
		cleared := newChannel(c, api.ChannelRequest{ID: "cleared"})
		hc := freshClient(callWait)
		for range 3 {
			Expect(post(hc, gone.URL, []byte("x"), nil)).To(Equal(200))
			Expect(post(hc, cleared.URL, []byte("y"), nil)).To(Equal(200))
		}
		Expect(c.DeleteChannel(specCtx(), gone.ID)).To(Succeed())
		_, err := c.ClearCalls(specCtx(), cleared.ID)
		Expect(err).NotTo(HaveOccurred())
		Expect(post(hc, cleared.URL, []byte("z"), nil)).To(Equal(200))
		waitCalls(c, cleared.ID, 3, 1)

		_, c = restart(rv, cfg)
		list, err := c.Channels(specCtx())
		Expect(err).NotTo(HaveOccurred())
		Expect(list.Channels).To(HaveLen(1))
		calls := allCalls(c, cleared.ID)
		Expect(calls.Calls).To(HaveLen(1))
		Expect(calls.Calls[0].Seq).To(Equal(uint64(4)))
		Expect(calls.Calls[0].Body).To(Equal("z"))
		Expect(healthOf(c).Storage.Calls).To(Equal(1))
	})

	It("holds no more calls on disk than --max-calls, evicting the oldest, and keeps the file's size flat", func() {
		cfg.MaxCalls = 200
		rv, c := startReceiver(cfg)
		ch := newChannel(c, api.ChannelRequest{ID: "bounded"})
		hc := &http.Client{Timeout: callWait}
		body := []byte(strings.Repeat("b", 1500))
		send := func(n int) {
			GinkgoHelper()
			for range n {
				Expect(post(hc, ch.URL, body, nil)).To(Equal(200))
			}
		}
		onDisk := func(last uint64) func(g Gomega) {
			return func(g Gomega) {
				h := healthOf(c)
				g.Expect(h.Storage.Calls).To(Equal(200))
				info, err := c.Channel(specCtx(), ch.ID)
				g.Expect(err).NotTo(HaveOccurred())
				g.Expect(info.Last).To(Equal(last))
			}
		}
		send(1000)
		Eventually(onDisk(1000), callWait).Should(Succeed())
		size := healthOf(c).Storage.Bytes
		for round := 2; round <= 4; round++ {
			send(1000)
			Eventually(onDisk(uint64(1000*round)), callWait).Should(Succeed())
		}
		Expect(healthOf(c).Storage.Bytes).To(BeNumerically("<=", size*3/2), "freed pages are reused")

		cfg.MaxCalls = 50 // a smaller bound at restart evicts the oldest
		_, c = restart(rv, cfg)
		calls := allCalls(c, ch.ID)
		Expect(calls.Calls).To(HaveLen(50))
		Expect(calls.Calls[0].Seq).To(Equal(uint64(3951)))
		Expect(calls.Evicted).To(Equal(uint64(3950)))
		Eventually(func() int { return healthOf(c).Storage.Calls }, callWait).Should(Equal(50))
	})

	It("answers and records every call with --sync, each on disk before its answer", func() {
		cfg.Sync = true
		rv, c := startReceiver(cfg)
		ch := newChannel(c, api.ChannelRequest{ID: "synced"})
		hc := freshClient(callWait)
		for range 20 {
			Expect(post(hc, ch.URL, []byte("s"), nil)).To(Equal(200))
			Expect(healthOf(c).Storage.Calls).To(BeNumerically(">=", 1))
		}
		Expect(healthOf(c).Storage.Calls).To(Equal(20), "every answered call was on disk before its answer")
		Expect(healthOf(c).Storage.Sync).To(BeTrue())
		_ = rv
	})

	It("refuses a data directory that is a file, and leaves it as it is", func() {
		path := filepath.Join(GinkgoT().TempDir(), "file")
		Expect(os.WriteFile(path, []byte("not a dir"), 0o600)).To(Succeed())
		_, err := receiver.Start(receiver.Config{DataDir: path})
		Expect(err).To(MatchError(ContainSubstring("is a file, not a directory")))
		Expect(os.ReadFile(path)).To(Equal([]byte("not a dir")))
	})

	It("refuses a second receiver on the same data directory", func() {
		startReceiver(cfg)
		_, err := receiver.Start(cfg)
		Expect(err).To(MatchError(store.ErrInUse))
	})

	It("refuses to start on a file system with less free space than asked for", func() {
		cfg.DataMinFree = 1 << 62
		_, err := receiver.Start(cfg)
		Expect(err).To(MatchError(store.ErrNoSpace))
		Expect(err.Error()).To(ContainSubstring("--data-min-free"))
	})

	It("shows calls recorded before a restart to a reader waiting from before it", func() {
		rv, c := startReceiver(cfg)
		ch := newChannel(c, api.ChannelRequest{ID: "w"})
		Expect(post(freshClient(callWait), ch.URL, []byte("1"), nil)).To(Equal(200))
		_, c = restart(rv, cfg)
		got, err := c.WaitCalls(specCtx(), ch.ID, 0, 1, time.Second)
		Expect(err).NotTo(HaveOccurred())
		Expect(got).To(HaveLen(1))
	})
})
