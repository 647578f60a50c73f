package cli_test

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/onsi/gomega/gbytes"

	"github.com/hookcheck/hookcheck/cmd/hookcheck/cli"
	"github.com/hookcheck/hookcheck/conformance/driver"
	"github.com/hookcheck/hookcheck/conformance/embedded"
	"github.com/hookcheck/hookcheck/conformance/framework"
	"github.com/hookcheck/hookcheck/reports"
)

// suiteWebhooks lists the webhooks on target whose names mark them as the
// suite's.
func suiteWebhooks(t framework.Target) []string {
	GinkgoHelper()
	d, err := driver.NewREST(driver.Config{BaseURL: t.BaseURL, Auth: t.Auth, AppToken: t.AppToken})
	Expect(err).NotTo(HaveOccurred())
	list, err := d.List(context.Background(), driver.Filter{})
	Expect(err).NotTo(HaveOccurred())
	var names []string
	for _, wh := range list {
		if strings.HasPrefix(wh.Name, framework.HookNamePrefix) {
			names = append(names, wh.Name)
		}
	}
	return names
}

// closedURL returns an http URL on a loopback port nothing listens on.
func closedURL() string {
	GinkgoHelper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	Expect(err).NotTo(HaveOccurred())
	addr := ln.Addr().String()
	Expect(ln.Close()).To(Succeed())
	return "http://" + addr
}

// startReference runs the embedded reference in this process, accepting
// plain-http targets (a child's receiver has a CA it cannot know).
func startReference() framework.Target {
	GinkgoHelper()
	t, stop, err := embedded.Starter(embedded.Options{AllowHTTP: true})(context.Background(), framework.ReceiverInfo{})
	Expect(err).NotTo(HaveOccurred())
	DeferCleanup(stop)
	return t
}

var _ = Describe("run", func() {
	DescribeTable("colours the output on a terminal unless NO_COLOR is set",
		func(mode string, terminal bool, noColor string, want bool) {
			got, err := cli.ColourOn(mode, terminal, noColor)
			Expect(err).NotTo(HaveOccurred())
			Expect(got).To(Equal(want))
		},
		Entry("auto on a terminal", "auto", true, "", true),
		Entry("auto on a terminal with NO_COLOR=1", "auto", true, "1", false),
		Entry("auto on a terminal with NO_COLOR=0 (any value counts)", "auto", true, "0", false),
		Entry("auto off a terminal", "auto", false, "", false),
		Entry("always, even with NO_COLOR", "always", false, "1", true),
		Entry("never on a terminal", "never", true, "", false),
	)

	It("explains every flag on --help", func() {
		r := run(nil, "run", "--help")
		Expect(r.code).To(Equal(cli.ExitOK))
		for _, f := range []string{"--target", "--soap-url", "--auth", "--app-token", "--receiver-listen", "--receiver-tls-listen",
			"--receiver-smtp-listen", "--receiver-public-url", "--receiver-body-timeout", "--label-filter", "--expected-failures", "--report-dir", "--mutant",
			"--time-scale", "--retry-delays", "--attempts-per-cycle", "--error-threshold", "--success", "--require-https",
			"--online", "--properties", "--state-numbering", "--smtp-captured", "HOOKCHECK_AUTH",
			"--parallel N", "--max-rps second", "--progress mode", "HOOKCHECK_PARALLEL", "--require-all", "--color mode", "NO_COLOR", "PARTIAL", "unmatched"} {
			Expect(r.stdout).To(ContainSubstring(f))
		}
		Expect(r.stdout).To(MatchRegexp(`--parallel N\n.*1 runs them one by one in this process \(default 8\)`), "the default parallelism is stated")
	})

	It("lists in the command overview", func() {
		Expect(run(nil, "--help").stdout).To(MatchRegexp(`(?m)^\s+run\s+run the conformance suite`))
	})

	DescribeTable("refuses bad usage on one line with exit 2",
		func(want string, args ...string) {
			r := run(nil, append([]string{"run", "--report-dir", ""}, args...)...)
			Expect(r.code).To(Equal(cli.ExitUsage), "stdout %s stderr %s", r.stdout, r.stderr)
			Expect(strings.Count(strings.TrimSpace(r.stderr), "\n")).To(BeZero(), "one line: %q", r.stderr)
			Expect(r.stderr).To(ContainSubstring(want))
		},
		Entry("a bad profile value", "--success", "--success", "3xx"),
		Entry("a bad retry delay", "retry-delays", "--retry-delays", "soon"),
		Entry("auth without a target", "--auth needs --target", "--auth", "bearer:x"),
		Entry("a mutant with a target", "--mutant works with the embedded reference only", "--target", "http://127.0.0.1:1", "--mutant", "x"),
		Entry("an unknown mutant", "--mutant", "--mutant", "no-such-mutant"),
		Entry("malformed auth", "--auth", "--target", "http://127.0.0.1:1", "--auth", "digest:x"),
		Entry("a bad label filter", "--label-filter", "--label-filter", "crud &&& ("),
		Entry("a target that is not a URL", "base URL", "--target", "ftp://x"),
		Entry("a missing expected-failures file", "expected failures", "--expected-failures", "/nonexistent/hookcheck.yaml"),
		Entry("no HTTPS receiver while HTTPS is required", "requires HTTPS targets", "--receiver-tls-listen", "off"),
		Entry("an unusable receiver address", "receiver: listen http", "--receiver-listen", "256.0.0.1:1"),
		Entry("no parallelism", "--parallel must be at least 1, got 0", "--parallel", "0"),
		Entry("a negative parallelism", "--parallel must be at least 1, got -2", "--parallel", "-2"),
		Entry("a parallelism that is not a number", "parallel", "--parallel", "many"),
		Entry("a negative rate", "--max-rps must not be negative", "--max-rps", "-1"),
		Entry("a rate that is not a number", "max-rps", "--max-rps", "fast"),
		Entry("an unknown progress mode", `--progress "fancy": use auto, live or plain`, "--progress", "fancy"),
		Entry("an unknown colour mode", `--color "rainbow": use auto, always or never`, "--color", "rainbow"),
	)

	It("refuses to run the suite inside another running Ginkgo suite instead of exiting the process", func() {
		r := run(nil, "run", "--report-dir", "", "--label-filter", "clause:WH-CRUD-001")
		Expect(r.code).To(Equal(cli.ExitUsage))
		Expect(r.stderr).To(ContainSubstring("inside a running Ginkgo spec"))
	})

	It("reports an unreachable target in one line before any spec runs", func() {
		target := closedURL()
		r := run(nil, "run", "--report-dir", "", "--target", target, "--auth", "bearer:x")
		Expect(r.code).To(Equal(cli.ExitUsage))
		Expect(strings.TrimSpace(r.stderr)).To(HavePrefix("hookcheck run: preflight: cannot reach the rest front end at " + target))
		Expect(strings.Count(strings.TrimSpace(r.stderr), "\n")).To(BeZero())
		Expect(r.stdout).To(BeEmpty(), "nothing ran")
	})

	It("reports refused credentials in one line before any spec runs", func() {
		t := startReference()
		r := run(nil, "run", "--report-dir", "", "--target", t.BaseURL, "--auth", "soticket:7T:wrong")
		Expect(r.code).To(Equal(cli.ExitUsage))
		Expect(r.stderr).To(ContainSubstring("refused the credentials (soticket:***)"))
		Expect(r.stderr).NotTo(ContainSubstring("7T:wrong"))
		Expect(strings.Count(strings.TrimSpace(r.stderr), "\n")).To(BeZero())
	})

	It("takes the credentials from HOOKCHECK_AUTH", func() {
		t := startReference()
		r := run([]string{"HOOKCHECK_AUTH=soticket:7T:wrong"}, "run", "--report-dir", "", "--target", t.BaseURL)
		Expect(r.code).To(Equal(cli.ExitUsage))
		Expect(r.stderr).To(ContainSubstring("refused the credentials"))
	})

	It("reports a receiver the target cannot reach", func() {
		t := startReference()
		unreachable := closedURL()
		r := run(nil, "run", "--report-dir", "", "--target", t.BaseURL, "--auth", "soticket:"+t.Auth.Token,
			"--require-https=false", "--receiver-public-url", unreachable)
		Expect(r.code).To(Equal(cli.ExitUsage))
		Expect(r.stderr).To(ContainSubstring("cannot reach the suite's receiver at " + unreachable))
	})

	Describe("end to end, in a child process", func() {
		It("runs the embedded reference with no flags but a filter and writes the reports", func() {
			dir := filepath.Join(GinkgoT().TempDir(), "report")
			c := startChild("run", "--report-dir", dir, "--label-filter", "clause:WH-CRUD-001 || clause:WH-EML-003 || clause:WH-SEC-005")
			Expect(c.wait(2*time.Minute)).To(Equal(cli.ExitOK), c.output())
			out := string(c.stdout.Contents())
			Expect(out).To(ContainSubstring("against the embedded reference service"))
			Expect(out).To(MatchRegexp(`✓ crud\s+WH-CRUD-001\s+soap\s+crud soap returns the documented default webhook \(\d+`))
			Expect(out).To(MatchRegexp(`✓ email\s+WH-EML-003\s+rest`))
			Expect(out).To(MatchRegexp(`- security\s+WH-SEC-005\s+rest .* skipped: the target is on-site`))
			Expect(out).To(ContainSubstring("7 specs: 4 passed, 0 failed (0 MUST, 0 SHOULD), 3 skipped"))
			Expect(out).To(MatchRegexp(`(?m)^\[[1-7]/7\] ✓ crud\s+WH-CRUD-001`), "each finished spec's line has its [n/N] counter")
			for n := 1; n <= 7; n++ {
				Expect(out).To(MatchRegexp(`(?m)^\[%d/7\] [✓✗-] `, n), "counter %d/7", n)
			}
			Expect(out).NotTo(MatchRegexp(`\x1b\[[0-9;]*m`), "no colour off a terminal")
			Expect(out).To(MatchRegexp(`(?m)^release gate: PARTIAL — 0 unexpected, 0 expected, 0 stale, 0 unmatched$`))
			cat, err := framework.Catalogue()
			Expect(err).NotTo(HaveOccurred())
			Expect(out).To(MatchRegexp(`(?m)^  PARTIAL     --label-filter '.*' left out \d+ specs: %d clauses not run$`, len(cat)-3), "all but the 3 clauses of the filter")
			Expect(out).To(MatchRegexp(`(?m)^  left out    WH-CRUD-002–\d+, `))
			Expect(out).NotTo(ContainSubstring("in part"), "the filter names whole clauses")
			for _, name := range []string{"report.json", "junit.xml", "summary.md", "report.html"} {
				Expect(filepath.Join(dir, name)).To(BeAnExistingFile())
			}
			run, err := reports.ReadRun(filepath.Join(dir, "report.json"))
			Expect(err).NotTo(HaveOccurred())
			Expect(run.Specs).To(HaveLen(7), "specs the filter left out are not in the report")
			Expect(run.LeftOut).NotTo(BeNil())
			Expect(run.LeftOut.Clauses).To(HaveLen(len(cat) - 3))
			Expect(run.LeftOut.Clauses).NotTo(ContainElement("WH-CRUD-001"))
			for _, s := range run.Skips() {
				Expect(s.SkipReason).To(ContainSubstring("--online"))
			}
		})

		It("fails on a profile mismatch, attaches evidence and leaves no webhook behind", func() {
			t := startReference()
			dir := filepath.Join(GinkgoT().TempDir(), "report")
			c := startChild("run", "--report-dir", dir, "--target", t.BaseURL, "--auth", "soticket:"+t.Auth.Token,
				"--require-https=false", "--time-scale", fmt.Sprint(embedded.DefaultTimeScale), "--quiet-period", "300ms",
				"--properties", "nested", "--retry-delays", "3s,4s",
				"--label-filter", "(clause:WH-DLV-011 && rest) || clause:WH-RTY-002 || clause:WH-DLV-001 || clause:WH-CRUD-011")
			Expect(c.wait(2*time.Minute)).To(Equal(cli.ExitFailed), c.output())
			out := string(c.stdout.Contents())
			Expect(out).To(MatchRegexp(`✗ delivery\s+WH-DLV-011\s+rest`))
			Expect(out).To(MatchRegexp(`✗ retry\s+WH-RTY-002\s+rest`))
			Expect(out).To(MatchRegexp(`✓ crud\s+WH-CRUD-011\s+soap`))
			Expect(out).To(ContainSubstring("UNEXPECTED  delivery/WH-DLV-011/rest/"))
			run, err := reports.ReadRun(filepath.Join(dir, "report.json"))
			Expect(err).NotTo(HaveOccurred())
			Expect(run.Totals.MustFailed).To(Equal(2))
			for _, s := range run.Failures() {
				Expect(s.Evidence).NotTo(BeEmpty(), "spec %s has evidence", s.ID)
				Expect(s.Evidence[0].Expected).NotTo(BeEmpty())
				Expect(s.Evidence[0].Calls).NotTo(BeEmpty(), "spec %s lists the receiver's calls", s.ID)
			}
			Expect(suiteWebhooks(t)).To(BeEmpty(), "the run left webhooks on the target")
		})

		It("fails a partial run with --require-all, and passes the same run without it", func() {
			partial := startChild("run", "--report-dir", "", "--label-filter", "clause:WH-CRUD-001 && rest", "--parallel", "1")
			strict := startChild("run", "--report-dir", "", "--label-filter", "clause:WH-CRUD-001 && rest", "--parallel", "1", "--require-all")
			Expect(partial.wait(2*time.Minute)).To(Equal(cli.ExitOK), partial.output())
			Expect(strict.wait(2*time.Minute)).To(Equal(cli.ExitFailed), strict.output())
			Expect(string(partial.stdout.Contents())).To(MatchRegexp(`(?m)^\[1/1\] ✓ crud\s+WH-CRUD-001\s+rest`), "a serial run numbers its lines too")
			Expect(string(partial.stdout.Contents())).To(MatchRegexp(`(?m)^release gate: PARTIAL — 0 unexpected, 0 expected, 0 stale, 0 unmatched$`))
			Expect(string(strict.stdout.Contents())).To(MatchRegexp(`(?m)^release gate: PARTIAL — .* \(--require-all: fails\)$`))
			Expect(string(strict.stdout.Contents())).To(ContainSubstring("--require-all: a partial run fails the gate"))
		})

		It("colours its output with --color always, even off a terminal", func() {
			c := startChild("run", "--report-dir", "", "--label-filter", "clause:WH-CRUD-001 && rest", "--parallel", "1", "--color", "always")
			Expect(c.wait(2*time.Minute)).To(Equal(cli.ExitOK), c.output())
			out := string(c.stdout.Contents())
			Expect(out).To(ContainSubstring("[1/1] \x1b[32m✓\x1b[0m crud"))
			Expect(out).To(ContainSubstring("\x1b[33;1mrelease gate: PARTIAL"))
		})

		It("accepts failures listed in --expected-failures", func() {
			t := startReference()
			file := filepath.Join(GinkgoT().TempDir(), "expected.yaml")
			Expect(os.WriteFile(file, []byte("- id: WH-DLV-011\n  reason: the target nests Properties\n"), 0o600)).To(Succeed())
			c := startChild("run", "--report-dir", "", "--target", t.BaseURL, "--auth", "soticket:"+t.Auth.Token,
				"--require-https=false", "--properties", "nested", "--expected-failures", file, "--label-filter", "clause:WH-DLV-011")
			Expect(c.wait(2*time.Minute)).To(Equal(cli.ExitOK), c.output())
			Expect(c.stdout).To(gbytes.Say(`expected\s+delivery/WH-DLV-011/rest`))
		})

		It("cleans up the webhooks of an interrupted run and writes a partial report marked interrupted", func() {
			t := startReference()
			dir := filepath.Join(GinkgoT().TempDir(), "report")
			c := startChild("run", "--report-dir", dir, "--target", t.BaseURL, "--auth", "soticket:"+t.Auth.Token,
				"--require-https=false", "--time-scale", fmt.Sprint(embedded.DefaultTimeScale), "--label-filter", "state || state-events")
			Eventually(c.stdout, time.Minute).Should(gbytes.Say(`✓ state`), c.output())
			c.interrupt()
			Expect(c.wait(time.Minute)).NotTo(Equal(cli.ExitOK), c.output())
			Expect(suiteWebhooks(t)).To(BeEmpty(), "the interrupted run left webhooks on the target")
			Expect(c.stdout).To(gbytes.Say("interrupted: the report is partial"))
			run, err := reports.ReadRun(filepath.Join(dir, "report.json"))
			Expect(err).NotTo(HaveOccurred())
			Expect(run.Interrupted).To(BeTrue())
			Expect(run.Options).To(HaveKeyWithValue("parallel", "8"), "the default run is parallel")
			Expect(run.Totals.Passed).To(BeNumerically(">", 0), "the specs that finished are in the report")
		})

		It("lists every spec once in a parallel run, with the totals of a serial run, and prints plain status lines off a terminal", func() {
			filter := "(crud && rest) || clause:WH-RTY-001 || clause:WH-STA-015 || clause:WH-SEC-005 || clause:WH-PAR-003"
			serialDir := filepath.Join(GinkgoT().TempDir(), "serial")
			parallelDir := filepath.Join(GinkgoT().TempDir(), "parallel")
			serial := startChild("run", "--report-dir", serialDir, "--label-filter", filter, "--parallel", "1")
			parallel := startChild("run", "--report-dir", parallelDir, "--label-filter", filter, "--parallel", "4", "--max-rps", "200")
			Expect(serial.wait(2*time.Minute)).To(Equal(cli.ExitOK), serial.output())
			Expect(parallel.wait(2*time.Minute)).To(Equal(cli.ExitOK), parallel.output())
			s, err := reports.ReadRun(filepath.Join(serialDir, "report.json"))
			Expect(err).NotTo(HaveOccurred())
			p, err := reports.ReadRun(filepath.Join(parallelDir, "report.json"))
			Expect(err).NotTo(HaveOccurred())
			ids := func(r reports.Run) []string {
				var out []string
				for _, sp := range r.Specs {
					out = append(out, sp.ID+" "+string(sp.State))
				}
				return out
			}
			Expect(len(s.Specs)).To(BeNumerically(">", 20))
			Expect(ids(p)).To(ConsistOf(ids(s)), "the parallel run lists the serial run's specs, each once, with the same outcome")
			Expect(p.Totals).To(Equal(s.Totals))
			Expect(p.Options).To(HaveKeyWithValue("parallel", "4"))
			Expect(p.Options).To(HaveKeyWithValue("max-rps", "200"))
			Expect(s.Options).NotTo(HaveKey("parallel"))
			out := string(parallel.stdout.Contents())
			Expect(out).To(MatchRegexp(`(?m)^\[\d+/%d\] 0 failed .*elapsed`, len(s.Specs)), "a plain status line")
			Expect(out).NotTo(ContainSubstring("\r"), "no terminal controls off a terminal")
			Expect(regexp.MustCompile(`(?m)^\[\s*\d+/\d+\] [✓-] `).FindAllString(out, -1)).To(HaveLen(len(s.Specs)), "one line per spec")
		})
	})
})
