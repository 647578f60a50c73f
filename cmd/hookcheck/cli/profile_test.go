package cli_test

import (
	"os"
	"path/filepath"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/cmd/hookcheck/cli"
	"github.com/hookcheck/hookcheck/conformance/framework"
)

// writeFile writes content to name in a fresh directory and returns the
// path.
func writeFile(name, content string) string {
	GinkgoHelper()
	path := filepath.Join(GinkgoT().TempDir(), name)
	Expect(os.WriteFile(path, []byte(content), 0o600)).To(Succeed())
	return path
}

var _ = Describe("profile", func() {
	It("prints every profile flag as YAML, NetServer's documented behaviour by default", func() {
		r := run(nil, "profile")
		Expect(r.code).To(Equal(cli.ExitOK), r.stderr)
		for name, value := range framework.DefaultProfile().Options() {
			if name == "retry-delays" {
				continue
			}
			Expect(r.stdout).To(MatchRegexp(`(?m)^%s: "?%s"?$`, name, value), "flag %s", name)
		}
		Expect(r.stdout).To(MatchRegexp(`(?m)^retry-delays: \[1s, 4s\]$`))
		Expect(r.stdout).To(ContainSubstring("# which answers count as delivered"), "each flag's meaning as a comment")
	})

	It("round-trips: what it prints loads back to the same profile", func() {
		first := run(nil, "profile", "--success", "2xx", "--retry-delays", "2s,8s,16s", "--context-identifier", "", "--online", "--timing-relative", "0.5")
		Expect(first.code).To(Equal(cli.ExitOK), first.stderr)
		file := writeFile("p.yaml", first.stdout)
		again := run(nil, "profile", "--profile", file)
		Expect(again.code).To(Equal(cli.ExitOK), again.stderr)
		Expect(again.stdout).To(Equal(first.stdout))
		Expect(again.stdout).To(MatchRegexp(`(?m)^context-identifier: ""$`))
		Expect(again.stdout).To(MatchRegexp(`(?m)^retry-delays: \[2s, 8s, 16s\]$`))
	})

	It("lets the command line and HOOKCHECK_* variables win over the file", func() {
		file := writeFile("p.yaml", "success: 2xx\nretry-delays: [3s]\nquiet-period: 1s\n")
		r := run([]string{"HOOKCHECK_QUIET_PERIOD=5s"}, "profile", "--profile", file, "--success", "200")
		Expect(r.code).To(Equal(cli.ExitOK), r.stderr)
		Expect(r.stdout).To(MatchRegexp(`(?m)^success: "?200"?$`))
		Expect(r.stdout).To(MatchRegexp(`(?m)^quiet-period: 5s$`))
		Expect(r.stdout).To(MatchRegexp(`(?m)^retry-delays: \[3s\]$`), "the file's value for what neither sets")
	})

	DescribeTable("refuses a bad file on one line, naming the key",
		func(content, want string) {
			file := writeFile("p.yaml", content)
			for _, args := range [][]string{{"profile", "--profile", file}, {"run", "--report-dir", "", "--profile", file}} {
				r := run(nil, args...)
				Expect(r.code).To(Equal(cli.ExitUsage), "%v: %s", args, r.stdout)
				oneLine(r.stderr)
				Expect(r.stderr).To(ContainSubstring(want))
			}
		},
		Entry("an unknown key", "success: 200\nreceiver-listen: x\n", `p.yaml:2: "receiver-listen" is not a profile flag`),
		Entry("a bad value", "cycles: many\n", "cycles"),
		Entry("a value the profile refuses", "success: 3xx\n", `--success "3xx"`),
		Entry("not a mapping", "- success\n", "want a mapping"),
		Entry("not YAML", "success: [\n", "p.yaml"),
	)

	It("refuses a missing file", func() {
		r := run(nil, "run", "--report-dir", "", "--profile", "/nonexistent/p.yaml")
		Expect(r.code).To(Equal(cli.ExitUsage))
		Expect(r.stderr).To(ContainSubstring("--profile"))
	})

	It("configures a run: the report records the file's values", func() {
		file := writeFile("p.yaml", "quiet-period: 300ms\nretry-header: any\nsuccess: 2xx\n")
		dir := filepath.Join(GinkgoT().TempDir(), "report")
		c := startChild("run", "--report-dir", dir, "--profile", file, "--success", "200", "--label-filter", "clause:WH-CRUD-001", "--parallel", "1")
		Expect(c.wait(time.Minute)).To(Equal(cli.ExitOK), c.output())
		r := readRun(dir)
		Expect(r.Options).To(HaveKeyWithValue("quiet-period", "300ms"))
		Expect(r.Options).To(HaveKeyWithValue("retry-header", "any"))
		Expect(r.Options).To(HaveKeyWithValue("success", "200"), "the command line wins")
	})
})
