package cli_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"net"
	"net/http"
	"net/smtp"
	"os"
	"path/filepath"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/onsi/gomega/gbytes"

	"github.com/hookcheck/hookcheck/receiver/api"
	"github.com/hookcheck/hookcheck/receiver/client"
)

// ctx returns a context that ends when the spec does.
func ctx() context.Context {
	c, cancel := context.WithTimeout(context.Background(), time.Minute)
	DeferCleanup(cancel)
	return c
}

// postCall sends one webhook call and returns the status.
func postCall(target string, body []byte) int {
	GinkgoHelper()
	hc := &http.Client{Timeout: quickly, Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := hc.Post(target, "application/json", bytes.NewReader(body))
	Expect(err).NotTo(HaveOccurred())
	resp.Body.Close()
	return resp.StatusCode
}

// statusOf returns the HTTP status of a control-API error, or 0.
func statusOf(err error) int {
	if e, ok := err.(*api.Error); ok {
		return e.Status
	}
	return 0
}

var _ = Describe("hookcheck receive", func() {
	It("writes the addr file, serves HTTP, HTTPS, SMTP and the control API, and exits 0 when cancelled", func() {
		path := addrFile()
		s := startServer(nil, append([]string{"receive", "--addr-file", path}, loopback...)...)
		addrs := s.waitAddrFile(path)
		Expect(addrs.HTTP).To(MatchRegexp(`^http://127\.0\.0\.1:\d+$`))
		Expect(addrs.HTTPS).To(MatchRegexp(`^https://127\.0\.0\.1:\d+$`))
		Expect(addrs.SMTP).To(MatchRegexp(`^127\.0\.0\.1:\d+$`))
		Eventually(s.stdout, quickly).Should(gbytes.Say("hookcheck receiver ready"))
		Expect(string(s.stdout.Contents())).To(ContainSubstring(addrs.HTTP))
		Expect(string(s.stdout.Contents())).To(ContainSubstring(addrs.HTTPS))
		Expect(string(s.stdout.Contents())).To(ContainSubstring(addrs.SMTP))

		// The control API and a call over HTTP.
		c := client.New(addrs.HTTP)
		h, err := c.Health(ctx())
		Expect(err).NotTo(HaveOccurred())
		Expect(h.OK).To(BeTrue())
		ch, err := c.CreateChannel(ctx(), api.ChannelRequest{Secret: "s"})
		Expect(err).NotTo(HaveOccurred())
		Expect(ch.URL).To(HavePrefix(addrs.HTTP + "/hooks/"))
		Expect(ch.TLSURL).To(HavePrefix(addrs.HTTPS + "/hooks/"))
		Expect(postCall(ch.URL, []byte(`{"Event":"test"}`))).To(Equal(http.StatusOK))

		// A call over HTTPS, trusting the served CA.
		ca, err := c.CA(ctx())
		Expect(err).NotTo(HaveOccurred())
		pool := x509.NewCertPool()
		Expect(pool.AppendCertsFromPEM(ca)).To(BeTrue())
		hc := &http.Client{Timeout: quickly, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
		resp, err := hc.Post(ch.TLSURL, "application/json", strings.NewReader(`{}`))
		Expect(err).NotTo(HaveOccurred())
		resp.Body.Close()
		Expect(resp.StatusCode).To(Equal(http.StatusOK))
		calls, err := c.WaitCalls(ctx(), ch.ID, 0, 2, quickly)
		Expect(err).NotTo(HaveOccurred())
		Expect(calls[0].Signature).To(Equal(api.SignatureMissing))
		Expect(calls[1].TLS).To(BeTrue())

		// An e-mail to the SMTP sink.
		Expect(smtp.SendMail(addrs.SMTP, nil, "netserver@example.com", []string{"ops@example.com"},
			[]byte("Subject: stopped\r\n\r\nTooManyErrors\r\n"))).To(Succeed())
		mails, err := c.Mail(ctx(), client.MailQuery{To: "ops@example.com", Wait: quickly})
		Expect(err).NotTo(HaveOccurred())
		Expect(mails.Mails).To(HaveLen(1))
		Expect(mails.Mails[0].Subject).To(Equal("stopped"))

		start := time.Now()
		Expect(s.stop()).To(Equal(0))
		Expect(time.Since(start)).To(BeNumerically("<", 5*time.Second))
		Expect(string(s.stdout.Contents())).To(ContainSubstring("stopping"))
		Expect(string(s.stderr.Contents())).To(BeEmpty())
		for _, a := range []string{strings.TrimPrefix(addrs.HTTP, "http://"), strings.TrimPrefix(addrs.HTTPS, "https://"), addrs.SMTP} {
			_, err := net.DialTimeout("tcp", a, time.Second)
			Expect(err).To(HaveOccurred(), "%s still accepts after the command returned", a)
		}
	})

	It("exits 0 promptly when cancelled while a client holds a hang call", func() {
		path := addrFile()
		s := startServer(nil, append([]string{"receive", "--addr-file", path}, loopback...)...)
		addrs := s.waitAddrFile(path)
		c := client.New(addrs.HTTP)
		ch, err := c.CreateChannel(ctx(), api.ChannelRequest{Script: []api.Rule{{Fault: &api.Fault{Type: "hang"}}}})
		Expect(err).NotTo(HaveOccurred())
		hung := make(chan error, 1)
		go func() {
			hc := &http.Client{Timeout: time.Minute}
			resp, err := hc.Post(ch.URL, "application/json", strings.NewReader(`{}`))
			if err == nil {
				resp.Body.Close()
			}
			hung <- err
		}()
		_, err = c.WaitCalls(ctx(), ch.ID, 0, 1, quickly)
		Expect(err).NotTo(HaveOccurred())
		start := time.Now()
		Expect(s.stop()).To(Equal(0))
		Expect(time.Since(start)).To(BeNumerically("<", 5*time.Second))
		Eventually(hung, quickly).Should(Receive(HaveOccurred()))
	})

	It("takes its settings from HOOKCHECK_* variables", func() {
		path := addrFile()
		s := startServer([]string{
			"HOOKCHECK_LISTEN=127.0.0.1:0",
			"HOOKCHECK_TLS_LISTEN=off",
			"HOOKCHECK_SMTP_LISTEN=off",
			"HOOKCHECK_ADDR_FILE=" + path,
			"HOOKCHECK_MAX_CALLS=3",
			"HOOKCHECK_MAX_BODY=1KiB",
			"HOOKCHECK_CONTROL_TOKEN=env-token",
			"HOOKCHECK_PUBLIC_URL=https://tunnel.example.test/",
		}, "receive")
		addrs := s.waitAddrFile(path)
		Expect(addrs.HTTPS).To(BeEmpty())
		Expect(addrs.SMTP).To(BeEmpty())

		_, err := client.New(addrs.HTTP).Channels(ctx())
		Expect(statusOf(err)).To(Equal(http.StatusUnauthorized))
		c := client.New(addrs.HTTP, client.WithToken("env-token"))
		ch, err := c.CreateChannel(ctx(), api.ChannelRequest{ID: "env"})
		Expect(err).NotTo(HaveOccurred())
		Expect(ch.URL).To(Equal("https://tunnel.example.test/hooks/env"))
		Expect(ch.TLSURL).To(BeEmpty())

		target := addrs.HTTP + "/hooks/env"
		for range 5 {
			Expect(postCall(target, []byte(`{}`))).To(Equal(http.StatusOK))
		}
		list, err := c.Calls(ctx(), "env", client.CallQuery{})
		Expect(err).NotTo(HaveOccurred())
		Expect(list.Calls).To(HaveLen(3))
		Expect(list.Evicted).To(BeEquivalentTo(2))
		Expect(postCall(target, bytes.Repeat([]byte("x"), 2048))).To(Equal(http.StatusRequestEntityTooLarge))
		Expect(s.stop()).To(Equal(0))
	})

	It("lets a flag win over its variable, even an invalid one", func() {
		path := addrFile()
		s := startServer([]string{
			"HOOKCHECK_CONTROL_TOKEN=env-token",
			"HOOKCHECK_MAX_CALLS=abc",
			"HOOKCHECK_ADDR_FILE=" + filepath.Join(GinkgoT().TempDir(), "not-this-one.json"),
		}, append([]string{"receive", "--control-token", "flag-token", "--max-calls", "2", "--addr-file", path}, loopback...)...)
		addrs := s.waitAddrFile(path)

		_, err := client.New(addrs.HTTP, client.WithToken("env-token")).Channels(ctx())
		Expect(statusOf(err)).To(Equal(http.StatusUnauthorized))
		c := client.New(addrs.HTTP, client.WithToken("flag-token"))
		_, err = c.Channels(ctx())
		Expect(err).NotTo(HaveOccurred())
		for range 3 {
			Expect(postCall(addrs.HTTP+"/hooks/flag", []byte(`{}`))).To(Equal(http.StatusOK))
		}
		list, err := c.Calls(ctx(), "flag", client.CallQuery{})
		Expect(err).NotTo(HaveOccurred())
		Expect(list.Calls).To(HaveLen(2))
		Expect(s.stop()).To(Equal(0))
	})

	It("covers --tls-host names in the certificate and clamps with --max-delay", func() {
		path := addrFile()
		s := startServer(nil, append([]string{"receive", "--addr-file", path, "--tls-host", "hooks.example.test,10.9.8.7", "--tls-host", "second.example.test", "--max-delay", "100ms"}, loopback...)...)
		addrs := s.waitAddrFile(path)
		c := client.New(addrs.HTTP)
		ca, err := c.CA(ctx())
		Expect(err).NotTo(HaveOccurred())
		pool := x509.NewCertPool()
		Expect(pool.AppendCertsFromPEM(ca)).To(BeTrue())
		for _, name := range []string{"hooks.example.test", "second.example.test", "10.9.8.7", "localhost"} {
			conn, err := tls.Dial("tcp", strings.TrimPrefix(addrs.HTTPS, "https://"), &tls.Config{RootCAs: pool, ServerName: name})
			Expect(err).NotTo(HaveOccurred(), "the certificate does not cover %s", name)
			conn.Close()
		}

		ch, err := c.CreateChannel(ctx(), api.ChannelRequest{})
		Expect(err).NotTo(HaveOccurred())
		res, err := c.SetScript(ctx(), ch.ID, []api.Rule{{Respond: &api.Respond{Delay: api.Duration(time.Hour)}}})
		Expect(err).NotTo(HaveOccurred())
		Expect(res.Warnings).To(HaveLen(1))
		Expect(res.Script[0].Respond.Delay.D()).To(Equal(100 * time.Millisecond))
		Expect(s.stop()).To(Equal(0))
	})

	It("exits 2 with one line when a listen address is taken", func() {
		busy, err := net.Listen("tcp", "127.0.0.1:0")
		Expect(err).NotTo(HaveOccurred())
		defer busy.Close()
		r := run(nil, "receive", "--listen", busy.Addr().String(), "--tls-listen", "127.0.0.1:0", "--smtp-listen", "127.0.0.1:0")
		Expect(r.code).To(Equal(2))
		oneLine(r.stderr)
		Expect(r.stderr).To(ContainSubstring(busy.Addr().String()))
	})

	It("exits 2 with one line for --tls-cert without --tls-key", func() {
		r := run(nil, append([]string{"receive", "--tls-cert", "cert.pem"}, loopback...)...)
		Expect(r.code).To(Equal(2))
		oneLine(r.stderr)
		Expect(r.stderr).To(ContainSubstring("key"))
	})

	It("exits 2 with one line when the addr file cannot be written, releasing its ports", func() {
		path := filepath.Join(GinkgoT().TempDir(), "missing-dir", "addr.json")
		free, err := net.Listen("tcp", "127.0.0.1:0")
		Expect(err).NotTo(HaveOccurred())
		addr := free.Addr().String()
		Expect(free.Close()).To(Succeed())
		r := run(nil, "receive", "--listen", addr, "--tls-listen", "127.0.0.1:0", "--smtp-listen", "127.0.0.1:0", "--addr-file", path)
		Expect(r.code).To(Equal(2))
		oneLine(r.stderr)
		Expect(r.stderr).To(ContainSubstring(path))
		_, statErr := os.Stat(path)
		Expect(os.IsNotExist(statErr)).To(BeTrue())
		// The receiver was closed: its HTTP port can be bound again.
		again, err := net.Listen("tcp", addr)
		Expect(err).NotTo(HaveOccurred(), "the failed command left %s bound", addr)
		again.Close()
	})
})
