package cli_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/onsi/gomega/gbytes"
	"github.com/tidwall/gjson"

	"github.com/hookcheck/hookcheck/receiver"
	"github.com/hookcheck/hookcheck/receiver/api"
	"github.com/hookcheck/hookcheck/receiver/client"
)

// targetAddrs is what `hookcheck target --addr-file` writes.
type targetAddrs struct {
	Base string `json:"base"`
	SOAP string `json:"soap"`
}

// waitTargetAddrs waits until path holds the target's addresses, failing
// early when the command exits first.
func (s *server) waitTargetAddrs(path string) targetAddrs {
	GinkgoHelper()
	var addrs targetAddrs
	Eventually(func(g Gomega) {
		select {
		case code := <-s.done:
			s.done <- code
			StopTrying(fmt.Sprintf("hookcheck exited with %d before writing %s; stderr: %s", code, path, s.stderr.Contents())).Now()
		default:
		}
		b, err := os.ReadFile(path)
		g.Expect(err).NotTo(HaveOccurred())
		g.Expect(json.Unmarshal(b, &addrs)).To(Succeed())
	}, quickly, 10*time.Millisecond).Should(Succeed())
	return addrs
}

// apiCall sends one authenticated REST call and returns status and body.
func apiCall(method, url, auth, body string) (int, string) {
	GinkgoHelper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	Expect(err).NotTo(HaveOccurred())
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := (&http.Client{Timeout: quickly}).Do(req)
	Expect(err).NotTo(HaveOccurred())
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	Expect(err).NotTo(HaveOccurred())
	return resp.StatusCode, string(b)
}

var _ = Describe("hookcheck target", func() {
	It("documents every flag with its environment variable", func() {
		r := run(nil, "target", "--help")
		Expect(r.code).To(Equal(0))
		for _, flag := range []string{"listen", "user", "password", "ticket", "bearer", "allow-http", "trust-ca", "smtp", "time-scale", "data-dir", "retry-delays", "attempts-per-cycle", "error-threshold", "success", "online", "addr-file"} {
			Expect(r.stdout).To(ContainSubstring("--"+flag), flag)
			Expect(r.stdout).To(ContainSubstring("HOOKCHECK_"+strings.ToUpper(strings.ReplaceAll(flag, "-", "_"))), flag)
		}
	})

	DescribeTable("refuses bad configuration with exit 2 and one line",
		func(want string, args ...string) {
			r := run(nil, append([]string{"target", "--listen", "127.0.0.1:0"}, args...)...)
			Expect(r.code).To(Equal(2))
			Expect(strings.Count(strings.TrimSpace(r.stderr), "\n")).To(BeZero(), r.stderr)
			Expect(r.stderr).To(ContainSubstring(want))
		},
		Entry("success policy", "--success", "--success", "3xx"),
		Entry("time scale", "--time-scale", "--time-scale", "0"),
		Entry("retry delays", "retry-delays", "--retry-delays", "1s,soon"),
		Entry("missing CA file", "--trust-ca", "--trust-ca", "/nonexistent/ca.pem"),
		Entry("no credentials at all", "every credential is disabled", "--user", "", "--ticket", "", "--bearer", ""),
		Entry("unbindable address", "listen", "--listen", "256.0.0.1:0"),
	)

	It("refuses to start on a --data-dir store with two webhooks of one id: exit 2, the file, the record and the reason", func() {
		dir := GinkgoT().TempDir()
		rec := `{"webhook":{"id":4,"events":["a.b"],"targetUrl":"https://example.com/h","state":1,"type":"webhook"},"usage":{}}`
		store := filepath.Join(dir, "webhooks.json")
		Expect(os.WriteFile(store, []byte(`{"version":1,"nextId":5,"webhooks":[`+rec+","+rec+`]}`), 0o644)).To(Succeed())
		r := run(nil, "target", "--listen", "127.0.0.1:0", "--data-dir", dir)
		Expect(r.code).To(Equal(2))
		Expect(r.stderr).To(ContainSubstring(store))
		Expect(r.stderr).To(ContainSubstring("webhook record 2 (id 4): record 1 has the same id"))
	})

	It("serves REST, Agents and SOAP, delivers to a receiver it trusts, and exits 0 when cancelled", func() {
		rv, err := receiver.Start(receiver.Config{SMTPListen: receiver.Off})
		Expect(err).NotTo(HaveOccurred())
		DeferCleanup(rv.Close)
		caFile := filepath.Join(GinkgoT().TempDir(), "ca.pem")
		Expect(os.WriteFile(caFile, rv.CAPEM(), 0o600)).To(Succeed())
		c := client.New(rv.URL())
		ch, err := c.CreateChannel(ctx(), api.ChannelRequest{Secret: "s3cret"})
		Expect(err).NotTo(HaveOccurred())

		path := addrFile()
		s := startServer([]string{"HOOKCHECK_PASSWORD=from-env"}, "target", "--listen", "127.0.0.1:0", "--trust-ca", caFile, "--time-scale", "0.01", "--addr-file", path)
		addrs := s.waitTargetAddrs(path)
		Expect(addrs.Base).To(MatchRegexp(`^http://127\.0\.0\.1:\d+$`))
		Expect(addrs.SOAP).To(Equal(addrs.Base + "/Remote/Services88/Webhook.svc"))
		Eventually(s.stdout, quickly).Should(gbytes.Say("hookcheck reference service ready"))

		basic := "Basic aG9va2NoZWNrOmZyb20tZW52" // hookcheck:from-env
		status, _ := apiCall(http.MethodGet, addrs.Base+"/api/v1/Webhook/default", "", "")
		Expect(status).To(Equal(http.StatusUnauthorized))
		status, body := apiCall(http.MethodGet, addrs.Base+"/api/v1/Webhook/default", basic, "")
		Expect(status).To(Equal(http.StatusOK), body)
		Expect(gjson.Get(body, "State").String()).To(Equal("Active"))

		status, body = apiCall(http.MethodPost, addrs.Base+"/api/v1/Agents/Webhook/SaveWebhook", "SoTicket 7T:hookcheck",
			fmt.Sprintf(`{"name":"cli","events":["contact.created"],"targetUrl":%q,"secret":"s3cret"}`, ch.TLSURL))
		Expect(status).To(Equal(http.StatusOK), body)
		id := gjson.Get(body, "WebhookId").Int()
		Expect(id).To(BeNumerically(">", 0))

		status, body = apiCall(http.MethodPost, addrs.Base+"/api/v1/Webhook/contact.created/7", "Bearer 7A:hookcheck", `{"name":"x"}`)
		Expect(status).To(Equal(http.StatusNoContent), body)
		calls, err := c.WaitCalls(ctx(), ch.ID, 0, 2, quickly)
		Expect(err).NotTo(HaveOccurred())
		Expect(calls[0].Event).To(Equal("test"))
		Expect(calls[1].Event).To(Equal("contact.created"))
		for _, call := range calls {
			Expect(call.TLS).To(BeTrue())
			Expect(call.Signature).To(Equal(api.SignatureValid))
		}

		soapReq := `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns:w="http://www.superoffice.net/ws/crm/NetServer/Services88">` +
			`<s:Header><w:Credentials><w:Ticket>7T:hookcheck</w:Ticket></w:Credentials></s:Header>` +
			fmt.Sprintf(`<s:Body><w:GetWebhook><w:WebhookId>%d</w:WebhookId></w:GetWebhook></s:Body></s:Envelope>`, id)
		req, err := http.NewRequest(http.MethodPost, addrs.SOAP, strings.NewReader(soapReq))
		Expect(err).NotTo(HaveOccurred())
		req.Header.Set("Content-Type", "text/xml; charset=utf-8")
		req.Header.Set("SOAPAction", `"http://www.superoffice.net/ws/crm/NetServer/Services88/Webhook/GetWebhook"`)
		resp, err := (&http.Client{Timeout: quickly}).Do(req)
		Expect(err).NotTo(HaveOccurred())
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		Expect(resp.StatusCode).To(Equal(http.StatusOK), string(b))
		Expect(string(b)).To(ContainSubstring("<Name>cli</Name>"))
		Expect(string(b)).To(MatchRegexp(`<Succeeded[^>]*>true</Succeeded>`))

		Expect(s.stop()).To(Equal(0))
		Expect(string(s.stdout.Contents())).To(ContainSubstring("stopping"))
		Expect(string(s.stdout.Contents())).NotTo(ContainSubstring("from-env"), "a password from the environment must not be printed")
		Expect(string(s.stdout.Contents())).To(ContainSubstring("Basic hookcheck:(HOOKCHECK_PASSWORD)"))
	})
})
