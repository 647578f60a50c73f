package cli_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/onsi/gomega/gbytes"

	"github.com/hookcheck/hookcheck/cmd/hookcheck/cli"
	"github.com/hookcheck/hookcheck/conformance/driver"
	"github.com/hookcheck/hookcheck/conformance/reproduce"
	"github.com/hookcheck/hookcheck/receiver/client"
)

// fast runs the embedded reference twenty times faster than NetServer.
var fast = []string{"--time-scale", "0.05"}

var _ = Describe("reproduce", func() {
	It("lists every scenario with one line and every flag on --help", func() {
		r := run(nil, "reproduce", "--help")
		Expect(r.code).To(Equal(cli.ExitOK))
		Expect(r.stdout).To(HavePrefix("Usage: hookcheck reproduce [flags] SCENARIO"))
		for _, s := range reproduce.Scenarios() {
			Expect(r.stdout).To(MatchRegexp(`(?m)^  %s\s+%s$`, regexp.QuoteMeta(s.Name), regexp.QuoteMeta(s.Summary)))
		}
		for _, f := range []string{"target", "soap-url", "auth", "app-token", "receiver-listen", "receiver-tls-listen", "receiver-smtp-listen",
			"receiver-public-url", "mutant", "time-scale", "retry-delays", "error-threshold", "report-dir", "keep", "api"} {
			Expect(r.stdout).To(MatchRegexp(`(?m)^  --%s\b`, f))
		}
		Expect(r.stdout).To(MatchRegexp(`--time-scale float\n.*embedded reference only`))
	})

	It("is in the command overview", func() {
		Expect(run(nil, "--help").stdout).To(MatchRegexp(`(?m)^\s+reproduce\s+drive one behaviour`))
	})

	DescribeTable("refuses bad usage on one line with exit 2",
		func(want string, args ...string) {
			r := run(nil, append([]string{"reproduce"}, args...)...)
			Expect(r.code).To(Equal(cli.ExitUsage), "stdout %s stderr %s", r.stdout, r.stderr)
			oneLine(r.stderr)
			Expect(r.stderr).To(HavePrefix("hookcheck reproduce: "))
			Expect(r.stderr).To(ContainSubstring(want))
			Expect(r.stdout).To(BeEmpty())
		},
		Entry("no scenario", "missing argument: want SCENARIO, one of gone, recover"),
		Entry("an unknown scenario", `unknown scenario "too-many"`, "too-many"),
		Entry("two scenarios", `unexpected argument "gone"`, "recover", "gone"),
		Entry("--time-scale with a target", "--time-scale applies to the embedded reference only", "gone", "--target", "http://127.0.0.1:1", "--time-scale", "0.1"),
		Entry("an unknown API style", `--api "graphql"`, "gone", "--api", "graphql"),
		Entry("a mutant with a target", "--mutant works with the embedded reference only", "gone", "--target", "http://127.0.0.1:1", "--mutant", "threshold-8"),
		Entry("an unknown mutant", `--mutant "nope"`, "gone", "--mutant", "nope"),
		Entry("a profile the scenario cannot run under", "retry-schedule: the profile's --error-threshold 3", "retry-schedule", "--error-threshold", "3"),
	)

	It("refuses HOOKCHECK_TIME_SCALE with a target too", func() {
		r := run([]string{"HOOKCHECK_TIME_SCALE=0.1"}, "reproduce", "gone", "--target", "http://127.0.0.1:1")
		Expect(r.code).To(Equal(cli.ExitUsage))
		oneLine(r.stderr)
		Expect(r.stderr).To(ContainSubstring("--time-scale applies to the embedded reference only"))
	})

	It("reports an unreachable target on one line before anything runs", func() {
		target := closedURL()
		r := run(nil, "reproduce", "gone", "--target", target, "--auth", "bearer:x")
		Expect(r.code).To(Equal(cli.ExitUsage))
		oneLine(r.stderr)
		Expect(r.stderr).To(HavePrefix("hookcheck reproduce: preflight: cannot reach the rest front end at " + target))
		Expect(r.stdout).To(BeEmpty())
	})

	It("reproduces TooManyErrors on the embedded reference: the timeline, 9 attempts, exit 0", func() {
		r := run(nil, append([]string{"reproduce", "too-many-errors"}, fast...)...)
		Expect(r.code).To(Equal(cli.ExitOK), r.stdout+r.stderr)
		Expect(r.stdout).To(ContainSubstring("against the embedded reference service at http://127.0.0.1:"))
		attempts := regexp.MustCompile(`(?m)^\s+\+\d+\.\d{3}s  #(\d+) +cycle (\d)  [0-9a-f-]{36}  retry (-|\d) +→ 500 +│ (Active|TooManyErrors)$`).FindAllStringSubmatch(r.stdout, -1)
		Expect(attempts).To(HaveLen(9), r.stdout)
		Expect(attempts[0][1:4]).To(Equal([]string{"1", "1", "-"}))
		Expect(attempts[8][1:4]).To(Equal([]string{"9", "3", "2"}))
		Expect(r.stdout).To(MatchRegexp(`(?m)State → TooManyErrors +│ TooManyErrors$`))
		Expect(r.stdout).To(MatchRegexp(`webhook\d+\.errors reached the watcher`))
		Expect(r.stdout).To(ContainSubstring("e-mail to "))
		Expect(r.stdout).To(MatchRegexp(`(?m)^verdict: 9 failed attempts in 3 cycles over \d+ ms, then TooManyErrors, as documented \(time scale 0.05\)$`))
	})

	It("names the wrong threshold of a target run with --mutant threshold-8 and exits 1", func() {
		path := addrFile()
		s := startServer(nil, "target", "--listen", "127.0.0.1:0", "--addr-file", path, "--allow-http", "--time-scale", "0.05", "--mutant", "threshold-8")
		addrs := s.waitTargetAddrs(path)
		r := run(nil, "reproduce", "too-many-errors", "--target", addrs.Base, "--auth", "soticket:7T:hookcheck",
			"--require-https=false", "--retry-delays", "50ms,200ms", "--quiet-period", "300ms")
		Expect(r.code).To(Equal(cli.ExitFailed), r.stdout+r.stderr)
		Expect(r.stdout).To(ContainSubstring("against target " + addrs.Base))
		Expect(r.stdout).To(MatchRegexp(`(?m)^verdict: difference at \+\d+\.\d{3}s: the hook turned TooManyErrors after 8 failed attempts; expected after 9 \(--error-threshold\)$`))
	})

	It("writes JSON and an HTML page with the timeline to --report-dir", func() {
		dir := filepath.Join(GinkgoT().TempDir(), "repro")
		r := run(nil, append([]string{"reproduce", "retry-schedule", "--mutant", "retry-delay-2s", "--report-dir", dir}, fast...)...)
		Expect(r.code).To(Equal(cli.ExitFailed), r.stdout+r.stderr)
		Expect(r.stdout).To(ContainSubstring("reports: " + filepath.Join(dir, "retry-schedule.json") + ", " + filepath.Join(dir, "retry-schedule.html")))
		b, err := os.ReadFile(filepath.Join(dir, "retry-schedule.json"))
		Expect(err).NotTo(HaveOccurred())
		var res reproduce.Result
		Expect(json.Unmarshal(b, &res)).To(Succeed())
		Expect(res.Scenario).To(Equal("retry-schedule"))
		Expect(res.Options).To(HaveKeyWithValue("mutant", "retry-delay-2s"))
		Expect(res.Verdict.AsExpected).To(BeFalse())
		Expect(res.Attempts()).To(HaveLen(4))
		html, err := os.ReadFile(filepath.Join(dir, "retry-schedule.html"))
		Expect(err).NotTo(HaveOccurred())
		Expect(string(html)).To(ContainSubstring(`<svg class="timeline"`))
		Expect(string(html)).To(ContainSubstring("attempt 3 came"), "the verdict is on the page")
	})

	Describe("against a target", func() {
		It("leaves no webhook behind", func() {
			t := startReference()
			r := run(nil, "reproduce", "gone", "--target", t.BaseURL, "--auth", "soticket:"+t.Auth.Token, "--require-https=false", "--retry-delays", "100ms,400ms", "--quiet-period", "300ms")
			Expect(r.code).To(Equal(cli.ExitOK), r.stdout+r.stderr)
			Expect(suiteWebhooks(t)).To(BeEmpty())
		})

		It("keeps the hooks and channels with --keep, prints the inspector URL and serves until interrupted", func() {
			t := startReference()
			s := startServer(nil, "reproduce", "gone", "--keep", "--target", t.BaseURL, "--auth", "soticket:"+t.Auth.Token, "--require-https=false", "--retry-delays", "100ms,400ms", "--quiet-period", "300ms")
			Eventually(s.stdout, quickly).Should(gbytes.Say(`serving the receiver until interrupted`), string(s.stderr.Contents()))
			out := string(s.stdout.Contents())
			ids := regexp.MustCompile(`(?m)^  webhook  (\d+)  (hookcheck-\S+) \((hook|watcher)\)$`).FindAllStringSubmatch(out, -1)
			Expect(ids).To(HaveLen(2), out)
			Expect(suiteWebhooks(t)).To(ConsistOf(ids[0][2], ids[1][2]), "the hooks are kept")
			m := regexp.MustCompile(`(?m)^  inspector  (http://127\.0\.0\.1:\d+)/#/channels/(\S+)  \(hook channel\)$`).FindStringSubmatch(out)
			Expect(m).NotTo(BeNil(), out)
			info, err := client.New(m[1]).Channel(context.Background(), m[2])
			Expect(err).NotTo(HaveOccurred(), "the receiver still serves the channel")
			Expect(info.Calls).To(BeNumerically(">=", 2), "the test event and the 410 attempt")
			Expect(s.stop()).To(Equal(cli.ExitOK))
			rest, err := driver.NewREST(driver.Config{BaseURL: t.BaseURL, Auth: t.Auth})
			Expect(err).NotTo(HaveOccurred())
			Expect(rest.List(context.Background(), driver.Filter{})).To(HaveLen(2), "still kept after the command ended")
		})
	})
})
