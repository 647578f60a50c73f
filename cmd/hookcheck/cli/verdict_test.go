package cli_test

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/onsi/gomega/gbytes"

	"github.com/hookcheck/hookcheck/cmd/hookcheck/cli"
	"github.com/hookcheck/hookcheck/conformance/driver"
	"github.com/hookcheck/hookcheck/conformance/framework"
	"github.com/hookcheck/hookcheck/reports"
)

// A verdict the operator can take at its word (issue 26): never green
// when something went unchecked or unrecorded, never red for what the
// operator or the harness did. Every spec runs the real command in a
// child process (or cli.Run in process where no suite runs).

// readReport reads the report.json of dir.
func readReport(dir string) reports.Run {
	GinkgoHelper()
	run, err := reports.ReadRun(filepath.Join(dir, "report.json"))
	Expect(err).NotTo(HaveOccurred())
	return run
}

// readJUnit decodes the junit.xml of dir.
func readJUnit(dir string) reports.JUnitTestSuites {
	GinkgoHelper()
	data, err := os.ReadFile(filepath.Join(dir, "junit.xml"))
	Expect(err).NotTo(HaveOccurred())
	var doc reports.JUnitTestSuites
	Expect(xml.Unmarshal(data, &doc)).To(Succeed())
	return doc
}

// specsOf returns the specs of run whose style is style.
func specsOf(run reports.Run, style string) []reports.Spec {
	var out []reports.Spec
	for _, s := range run.Specs {
		if s.Style == style {
			out = append(out, s)
		}
	}
	return out
}

// lastLine is the last non-empty line of s.
func lastLine(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return lines[len(lines)-1]
}

// heldProxy is a reverse proxy to a target that lets the preflight
// through and holds the first request after it (after the preflight's
// TestWebhook), until release: the test acts while the run is known to
// be inside its first spec.
type heldProxy struct {
	URL     string
	held    chan struct{}
	release chan struct{}

	mu        sync.Mutex
	preflight bool // the preflight's TestWebhook went through
	holding   bool
}

// startHeldProxy starts a heldProxy in front of base.
func startHeldProxy(base string) *heldProxy {
	GinkgoHelper()
	u, err := url.Parse(base)
	Expect(err).NotTo(HaveOccurred())
	p := &heldProxy{held: make(chan struct{}), release: make(chan struct{})}
	rp := httputil.NewSingleHostReverseProxy(u)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.mu.Lock()
		hold := p.preflight && !p.holding
		if hold {
			p.holding = true
			close(p.held)
		}
		wait := p.preflight
		if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/Webhook/Test") {
			p.preflight = true
		}
		p.mu.Unlock()
		if wait {
			<-p.release
		}
		rp.ServeHTTP(w, r)
	}))
	DeferCleanup(func() {
		p.mu.Lock()
		select {
		case <-p.release:
		default:
			close(p.release)
		}
		p.mu.Unlock()
		srv.Close()
	})
	p.URL = srv.URL
	return p
}

// let releases every held request.
func (p *heldProxy) let() {
	p.mu.Lock()
	defer p.mu.Unlock()
	close(p.release)
}

var _ = Describe("a verdict you can take at its word", func() {
	Describe("outputs are checked before the work", func() {
		DescribeTable("refuses a --report-dir it cannot write with exit 2 naming the path, before starting anything",
			func(prepare func(root string) (dir, named string)) {
				dir, named := prepare(GinkgoT().TempDir())
				start := time.Now()
				r := run(nil, "run", "--report-dir", dir, "--label-filter", "clause:WH-CRUD-001")
				GinkgoWriter.Printf("refused in %s\n", time.Since(start))
				Expect(r.code).To(Equal(cli.ExitUsage), "stdout %s stderr %s", r.stdout, r.stderr)
				Expect(strings.TrimSpace(r.stderr)).To(HavePrefix("hookcheck run: --report-dir "))
				Expect(r.stderr).To(ContainSubstring(named))
				Expect(strings.Count(strings.TrimSpace(r.stderr), "\n")).To(BeZero(), "one line")
				Expect(r.stdout).To(BeEmpty(), "no target was started, no spec ran")
			},
			Entry("a path under a regular file", func(root string) (string, string) {
				file := filepath.Join(root, "file")
				Expect(os.WriteFile(file, nil, 0o600)).To(Succeed())
				return filepath.Join(file, "reports"), filepath.Join(file, "reports")
			}),
			Entry("a report file's name taken by a directory", func(root string) (string, string) {
				Expect(os.MkdirAll(filepath.Join(root, "report.json"), 0o755)).To(Succeed())
				return root, filepath.Join(root, "report.json")
			}),
			Entry("a directory without write permission", func(root string) (string, string) {
				if os.Geteuid() == 0 {
					Skip("running as root, whom permission bits do not stop; the other entries make the directory unwritable another way")
				}
				dir := filepath.Join(root, "ro")
				Expect(os.Mkdir(dir, 0o555)).To(Succeed())
				return dir, dir
			}),
		)

		It("exits 2, never 0, when the reports cannot be written at the end, and says so last", func() {
			t := startReference()
			proxy := startHeldProxy(t.BaseURL)
			dir := filepath.Join(GinkgoT().TempDir(), "report")
			c := startChild("run", "--report-dir", dir, "--target", proxy.URL, "--auth", "soticket:"+t.Auth.Token,
				"--require-https=false", "--parallel", "1", "--label-filter", "clause:WH-CRUD-001 && rest")
			Eventually(proxy.held, time.Minute).Should(BeClosed(), "the first spec's request never came; %s", c.output())
			Expect(os.Mkdir(filepath.Join(dir, "report.json"), 0o755)).To(Succeed(), "the report.json of the run is taken by a directory while it runs")
			proxy.let()
			Expect(c.wait(time.Minute)).To(Equal(cli.ExitUsage), c.output())
			Expect(string(c.stdout.Contents())).To(ContainSubstring("release gate: PARTIAL"), "the verdict is printed")
			Expect(lastLine(string(c.stderr.Contents()))).To(And(
				ContainSubstring("the reports could not be written"), ContainSubstring(filepath.Join(dir, "report.json"))))
		})
	})

	Describe("every run leaves a report", func() {
		It("writes report.json, junit.xml and summary.md saying why a run that fails its preflight did not start", func() {
			target := closedURL()
			dir := filepath.Join(GinkgoT().TempDir(), "report")
			r := run(nil, "run", "--report-dir", dir, "--target", target, "--auth", "bearer:x")
			Expect(r.code).To(Equal(cli.ExitUsage))
			Expect(strings.Count(strings.TrimSpace(r.stderr), "\n")).To(BeZero(), "still one line: %s", r.stderr)
			rep := readReport(dir)
			Expect(rep.NotStarted).To(HavePrefix("preflight: cannot reach the rest front end at " + target))
			Expect(rep.Specs).To(BeEmpty())
			junit := readJUnit(dir)
			Expect(junit.Tests).To(Equal(1))
			Expect(junit.Errors).To(Equal(1))
			Expect(junit.Suites).To(HaveLen(1))
			Expect(junit.Suites[0].Cases[0].Error).NotTo(BeNil())
			Expect(junit.Suites[0].Cases[0].Error.Message).To(ContainSubstring("cannot reach the rest front end"))
			md, err := os.ReadFile(filepath.Join(dir, "summary.md"))
			Expect(err).NotTo(HaveOccurred())
			Expect(string(md)).To(ContainSubstring("did not start"))
			Expect(string(md)).To(ContainSubstring("cannot reach the rest front end"))
			Expect(filepath.Join(dir, "report.html")).To(BeAnExistingFile())
		})
	})

	Describe("a broken front end fails its own specs, not the run", func() {
		It("runs REST and Agents against a target whose SOAP answers lack the {Op}Response wrapper and fails the SOAP specs with the preflight's reason", func() {
			dir := filepath.Join(GinkgoT().TempDir(), "report")
			c := startChild("run", "--report-dir", dir, "--mutant", "soap12-response-unwrapped", "--soap-version", "1.2",
				"--label-filter", "clause:WH-CRUD-001 || clause:WH-CRUD-004 || clause:WH-CRUD-006")
			Expect(c.wait(2*time.Minute)).To(Equal(cli.ExitFailed), c.output())
			rep := readReport(dir)
			Expect(rep.NotStarted).To(BeEmpty())
			for _, style := range []string{"rest", "agents"} {
				Expect(specsOf(rep, style)).NotTo(BeEmpty())
				for _, s := range specsOf(rep, style) {
					Expect(s.State).To(Equal(reports.StatePassed), "%s", s.ID)
				}
			}
			Expect(specsOf(rep, "soap")).NotTo(BeEmpty())
			for _, s := range specsOf(rep, "soap") {
				Expect(s.State).To(Equal(reports.StateFailed), "%s", s.ID)
				Expect(s.Failure.Message).To(HavePrefix("preflight: the soap front end at "))
				Expect(s.Failure.Message).To(ContainSubstring("<CreateDefaultWebhookResponse> wrapper"))
				Expect(s.Failure.Message).NotTo(ContainSubstring("\n"), "the preflight's one-line reason")
			}
		})
	})

	Describe("a target that stops answering is one finding", func() {
		DescribeTable("stops starting specs once the target is gone, reports the rest as not run and exits 1",
			func(parallel string) {
				addr := filepath.Join(GinkgoT().TempDir(), "target.json")
				target := startChild("target", "--listen", "127.0.0.1:0", "--addr-file", addr, "--allow-http",
					"--time-scale", "0.1", "--http-timeout", "1.5s", "--ticket", "7T:verdict", "--password", "pw")
				var base string
				Eventually(func(g Gomega) {
					b, err := os.ReadFile(addr)
					g.Expect(err).NotTo(HaveOccurred())
					var a struct{ Base string }
					g.Expect(json.Unmarshal(b, &a)).To(Succeed())
					g.Expect(a.Base).NotTo(BeEmpty())
					base = a.Base
				}, time.Minute, 20*time.Millisecond).Should(Succeed(), target.output())
				dir := filepath.Join(GinkgoT().TempDir(), "report")
				c := startChild("run", "--report-dir", dir, "--target", base, "--auth", "soticket:7T:verdict",
					"--require-https=false", "--time-scale", "0.1", "--quiet-period", "400ms", "--parallel", parallel)
				Eventually(c.stdout, 2*time.Minute).Should(gbytes.Say(`\[\s*3/\d+\] `), "three specs finished; %s", c.output())
				Expect(target.cmd.Process.Kill()).To(Succeed())
				killed := time.Now()
				code := c.wait(time.Minute)
				GinkgoWriter.Printf("hookcheck run exited %s after the target was killed\n", time.Since(killed))
				Expect(code).To(Equal(cli.ExitFailed), c.output())
				Expect(string(c.stdout.Contents())).To(MatchRegexp(`the target stopped answering at \d\d:\d\d:\d\d, after \d+ of \d+ specs`))
				rep := readReport(dir)
				Expect(rep.TargetStopped).To(HavePrefix("the target stopped answering at "))
				Expect(rep.Totals.Failed).To(BeNumerically("<", 40), "the specs that failed before the run noticed")
				Expect(rep.Totals.NotRun).To(BeNumerically(">", rep.Totals.Specs/2), "the rest are not run")
				for _, s := range rep.Specs {
					if s.State == reports.StateNotRun {
						Expect(s.SkipReason).To(Equal(rep.TargetStopped), "%s", s.ID)
					}
				}
				Expect(readJUnit(dir).Failures + readJUnit(dir).Errors).To(Equal(rep.Totals.Failed))
			},
			Entry("serial", "1"),
			Entry("parallel (the default, 8 workers)", "8"),
		)
	})

	Describe("interrupted is its own state", func() {
		It("reports Ctrl-C as INTERRUPTED in every format, counts no spec as failed and exits 130", func() {
			dir := filepath.Join(GinkgoT().TempDir(), "report")
			c := startChild("run", "--report-dir", dir, "--label-filter", "retry || state || delivery")
			Eventually(c.stdout, time.Minute).Should(gbytes.Say(`✓ `), c.output())
			c.interrupt()
			Expect(c.wait(time.Minute)).To(Equal(cli.ExitInterrupted), c.output())
			out := string(c.stdout.Contents())
			Expect(out).To(MatchRegexp(`(?m)^release gate: INTERRUPTED`))
			Expect(out).NotTo(ContainSubstring("UNEXPECTED"))
			Expect(out).NotTo(ContainSubstring("context canceled"))
			rep := readReport(dir)
			Expect(rep.Interrupted).To(BeTrue())
			Expect(rep.Totals.Failed).To(BeZero(), "no spec of the pristine reference fails because it was cut short")
			Expect(rep.Totals.Interrupted + rep.Totals.NotRun).To(BeNumerically(">", 0))
			for _, s := range rep.Specs {
				Expect(s.State.Failed()).To(BeFalse(), "%s: %s", s.ID, s.State)
			}
			junit := readJUnit(dir)
			Expect(junit.Failures + junit.Errors).To(BeZero())
			md, err := os.ReadFile(filepath.Join(dir, "summary.md"))
			Expect(err).NotTo(HaveOccurred())
			Expect(string(md)).To(ContainSubstring("interrupted"))
			Expect(string(md)).NotTo(ContainSubstring("MUST failures"))
			page, err := os.ReadFile(filepath.Join(dir, "report.html"))
			Expect(err).NotTo(HaveOccurred())
			Expect(string(page)).To(ContainSubstring(`<span id="verdict" class="fail">INTERRUPTED</span>`))
		})
	})

	Describe("nothing goes unchecked without saying so", func() {
		It("refuses a --label-filter that matches no spec with exit 2 and the closest labels, in a run and with --list-specs", func() {
			dir := filepath.Join(GinkgoT().TempDir(), "report")
			c := startChild("run", "--report-dir", dir, "--label-filter", "crud && retyr")
			Expect(c.wait(time.Minute)).To(Equal(cli.ExitUsage), c.output())
			Expect(string(c.stderr.Contents())).To(ContainSubstring(`--label-filter "crud && retyr" matches no spec: no spec has the label "retyr" (closest: retry`))
			Expect(readReport(dir).NotStarted).To(ContainSubstring("matches no spec"))
			list := startChild("run", "--list-specs", "--label-filter", "clause:WH-CRUD-999")
			Expect(list.wait(time.Minute)).To(Equal(cli.ExitUsage), list.output())
			Expect(string(list.stderr.Contents())).To(MatchRegexp(`no spec has the label "clause:WH-CRUD-999" \(closest: clause:WH-CRUD-0\d\d`))
		})

		It("runs the e-mail specs when the run's own SMTP sink is given to a --target, and lists them as not checked without it", func() {
			t := startReference()
			dir := filepath.Join(GinkgoT().TempDir(), "report")
			c := startChild("run", "--report-dir", dir, "--target", t.BaseURL, "--auth", "soticket:"+t.Auth.Token, "--require-https=false",
				"--receiver-smtp-listen", "127.0.0.1:0", "--delivery-wait", "1s", "--label-filter", "clause:WH-EML-003")
			Expect(c.wait(2*time.Minute)).To(Equal(cli.ExitFailed), c.output())
			rep := readReport(dir)
			Expect(rep.Specs).To(HaveLen(1))
			Expect(rep.Specs[0].State).To(Equal(reports.StateFailed), "this target mails no sink, and the spec ran and said so")
			Expect(rep.Specs[0].Failure.Message).To(ContainSubstring("no e-mail reached"))

			off := filepath.Join(GinkgoT().TempDir(), "off")
			c = startChild("run", "--report-dir", off, "--target", t.BaseURL, "--auth", "soticket:"+t.Auth.Token, "--require-https=false",
				"--label-filter", "email")
			Expect(c.wait(2*time.Minute)).To(Equal(cli.ExitOK), c.output())
			Expect(string(c.stdout.Contents())).To(MatchRegexp(`(?m)^  not checked WH-EML-001–003 — pass --smtp-captured to check them$`))
			Expect(readReport(off).NotChecked).To(ContainElement(reports.NotChecked{Clause: "WH-EML-001", Flag: "--smtp-captured"}))
			md, err := os.ReadFile(filepath.Join(off, "summary.md"))
			Expect(err).NotTo(HaveOccurred())
			Expect(string(md)).To(ContainSubstring("**Not checked**"))
			Expect(string(md)).To(ContainSubstring("pass --smtp-captured"))
		})

		It("fails a default embedded run of a target that sends no e-mail after a 410", func() {
			c := startChild("run", "--report-dir", "", "--mutant", "no-email-on-gone", "--label-filter", "email")
			Expect(c.wait(2*time.Minute)).To(Equal(cli.ExitFailed), c.output())
			Expect(string(c.stdout.Contents())).To(MatchRegexp(`UNEXPECTED  email/WH-EML-003/rest/\S+  MUST: `))
		})
	})

	Describe("credentials are sorted out at preflight", func() {
		It("refuses a credential no front end accepts with exit 2, naming it masked", func() {
			t := startReference()
			dir := filepath.Join(GinkgoT().TempDir(), "report")
			r := run(nil, "run", "--report-dir", dir, "--target", t.BaseURL, "--require-https=false",
				"--auth", "soticket:"+t.Auth.Token+",bearer:7A:not-the-token")
			Expect(r.code).To(Equal(cli.ExitUsage), "stdout %s stderr %s", r.stdout, r.stderr)
			Expect(r.stderr).To(ContainSubstring("refused the credential bearer:*** (--auth, credential 2 of 2)"))
			Expect(r.stderr).NotTo(ContainSubstring("not-the-token"))
			Expect(strings.Count(strings.TrimSpace(r.stderr), "\n")).To(BeZero())
			Expect(readReport(dir).NotStarted).To(ContainSubstring("bearer:***"))
		})

		It("uses the soticket: credential for SOAP wherever it sits in --auth", func() {
			t := startReference()
			var basic driver.Auth
			for _, a := range t.Auths {
				if a.Scheme == driver.SchemeBasic {
					basic = a
				}
			}
			dir := filepath.Join(GinkgoT().TempDir(), "report")
			c := startChild("run", "--report-dir", dir, "--target", t.BaseURL, "--require-https=false",
				"--auth", fmt.Sprintf("basic:%s:%s,soticket:%s", basic.User, basic.Password, t.Auth.Token),
				"--label-filter", "clause:WH-WIRE-001 || (clause:WH-CRUD-004 && soap)")
			Expect(c.wait(2*time.Minute)).To(Equal(cli.ExitOK), c.output())
			rep := readReport(dir)
			Expect(rep.Totals.Skipped).To(BeZero(), "the SOAP samples run with the ticket given second")
			Expect(rep.Totals.Passed).To(Equal(rep.Totals.Specs))
			Expect(suiteWebhooks(framework.Target{BaseURL: t.BaseURL, Auth: t.Auth})).To(BeEmpty())
		})
	})
})
