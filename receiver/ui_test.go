package receiver_test

import (
	"net/http"
	"regexp"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/receiver"
	"github.com/hookcheck/hookcheck/receiver/ui"
)

var _ = Describe("Inspector page", func() {
	noTLS := receiver.Config{TLSListen: receiver.Off, SMTPListen: receiver.Off}

	It("is served at /, /_hookcheck/ui and /_hookcheck/ui/ with a strict content security policy", func() {
		rv, _ := startReceiver(noTLS)
		for _, path := range []string{"/", "/_hookcheck/ui", "/_hookcheck/ui/"} {
			resp, body, err := sendCall(http.DefaultClient, http.MethodGet, rv.URL()+path, nil, nil)
			Expect(err).NotTo(HaveOccurred())
			Expect(resp.StatusCode).To(Equal(http.StatusOK), path)
			Expect(resp.Header.Get("Content-Type")).To(Equal("text/html; charset=utf-8"))
			Expect(resp.Header.Get("Content-Security-Policy")).To(And(
				ContainSubstring("script-src 'self'"), ContainSubstring("default-src 'none'"), Not(ContainSubstring("unsafe"))))
			Expect(resp.Header.Get("X-Content-Type-Options")).To(Equal("nosniff"))
			Expect(resp.Header.Get("Referrer-Policy")).To(Equal("no-referrer"))
			Expect(string(body)).To(ContainSubstring(`<script type="module" src="/_hookcheck/ui/app.js"></script>`))
		}
	})

	It("serves its assets with their types and validators, and nothing else", func() {
		rv, _ := startReceiver(noTLS)
		served := 0
		for _, name := range ui.Names() {
			if name == ui.Index {
				continue
			}
			ctype := "text/css; charset=utf-8"
			if strings.HasSuffix(name, ".js") {
				ctype = "text/javascript; charset=utf-8" // a module script of any other type is refused under nosniff
			}
			resp, body, err := sendCall(http.DefaultClient, http.MethodGet, rv.URL()+"/_hookcheck/ui/"+name, nil, nil)
			Expect(err).NotTo(HaveOccurred())
			Expect(resp.StatusCode).To(Equal(http.StatusOK), name)
			Expect(resp.Header.Get("Content-Type")).To(Equal(ctype), name)
			Expect(resp.Header.Get("X-Content-Type-Options")).To(Equal("nosniff"), name)
			a, ok := ui.Lookup(name)
			Expect(ok).To(BeTrue())
			Expect(body).To(Equal(a.Body))
			etag := resp.Header.Get("ETag")
			Expect(etag).To(Equal(a.ETag))

			resp, _, err = sendCall(http.DefaultClient, http.MethodGet, rv.URL()+"/_hookcheck/ui/"+name, nil, hdr("If-None-Match", etag))
			Expect(err).NotTo(HaveOccurred())
			Expect(resp.StatusCode).To(Equal(http.StatusNotModified))
			served++
		}
		Expect(served).To(BeNumerically(">=", 3), "style.css, app.js and the view modules: %v", ui.Names())

		status, js, _ := control(http.MethodGet, rv.URL()+"/_hookcheck/ui/secrets.txt", nil, nil)
		Expect(status).To(Equal(http.StatusNotFound))
		Expect(js.Get("status").Int()).To(Equal(int64(http.StatusNotFound)))
		status, js, _ = control(http.MethodPost, rv.URL()+"/", []byte("x"), nil)
		Expect(status).To(Equal(http.StatusMethodNotAllowed))
		Expect(js.Get("error").String()).To(ContainSubstring("POST"))
		status, _, _ = control(http.MethodGet, rv.URL()+"/favicon.ico", nil, nil)
		Expect(status).To(Equal(http.StatusNotFound), "only / itself is the page")
	})

	It("is served without the control token, which the page asks for itself", func() {
		rv, _ := startReceiver(receiver.Config{TLSListen: receiver.Off, SMTPListen: receiver.Off, ControlToken: "tok"})
		for _, path := range []string{"/", "/_hookcheck/ui", "/_hookcheck/ui/app.js", "/_hookcheck/ui/style.css"} {
			resp, _, err := sendCall(http.DefaultClient, http.MethodGet, rv.URL()+path, nil, nil)
			Expect(err).NotTo(HaveOccurred())
			Expect(resp.StatusCode).To(Equal(http.StatusOK), path)
		}
		status, _, _ := control(http.MethodGet, rv.URL()+"/_hookcheck/channels", nil, nil)
		Expect(status).To(Equal(http.StatusUnauthorized))
	})

	It("builds the page from text only: its script never parses strings as HTML", func() {
		// Recorded data comes from whoever calls the receiver; every module
		// of the script must show it through textContent and the DOM API.
		forbidden := regexp.MustCompile(`innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\s*\(|new\s+Function\s*\(|createContextualFragment|DOMParser|srcdoc`)
		comment := regexp.MustCompile(`(?m)^\s*//.*$`) // comments may name them
		modules := 0
		for _, name := range ui.Names() {
			a, ok := ui.Lookup(name)
			Expect(ok).To(BeTrue(), name)
			if !strings.HasSuffix(name, ".js") {
				continue
			}
			modules++
			code := comment.ReplaceAllString(string(a.Body), "")
			Expect(forbidden.FindAllString(code, -1)).To(BeEmpty(), name)
		}
		Expect(modules).To(BeNumerically(">", 1), "the script is split into modules: %v", ui.Names())
	})

	It("embeds every module the script imports", func() {
		imports := regexp.MustCompile(`(?m)^import\s[^;]*?from\s+'\./([^']+)';`)
		seen := map[string]bool{}
		queue := []string{"app.js"}
		for len(queue) > 0 {
			name := queue[0]
			queue = queue[1:]
			if seen[name] {
				continue
			}
			seen[name] = true
			a, ok := ui.Lookup(name)
			Expect(ok).To(BeTrue(), "module %s is imported but not embedded", name)
			for _, m := range imports.FindAllStringSubmatch(string(a.Body), -1) {
				queue = append(queue, m[1])
			}
		}
		for _, name := range ui.Names() {
			if strings.HasSuffix(name, ".js") {
				Expect(seen).To(HaveKey(name), "module %s is embedded but app.js never imports it", name)
			}
		}
	})
})
