package cli_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/cmd/hookcheck/cli"
)

// complete sources script in bash and returns what _hookcheck completes
// for words (the last one is the word being completed).
func complete(script string, words ...string) []string {
	GinkgoHelper()
	bash, err := exec.LookPath("bash")
	if err != nil {
		Skip("no bash on this machine")
	}
	file := filepath.Join(GinkgoT().TempDir(), "completion.bash")
	Expect(os.WriteFile(file, []byte(script), 0o600)).To(Succeed())
	quoted := make([]string, len(words))
	for i, w := range words {
		quoted[i] = "'" + w + "'"
	}
	prog := `source "$1"; COMP_WORDS=(` + strings.Join(quoted, " ") + `); COMP_CWORD=$((${#COMP_WORDS[@]}-1)); _hookcheck; printf '%s\n' "${COMPREPLY[@]}"`
	out, err := exec.Command(bash, "-c", prog, "bash", file).CombinedOutput()
	Expect(err).NotTo(HaveOccurred(), "%s", out)
	return strings.Fields(string(out))
}

var _ = Describe("completion", func() {
	It("prints a bash script that completes commands and subcommands", func() {
		r := run(nil, "completion", "bash")
		Expect(r.code).To(Equal(cli.ExitOK), r.stderr)
		Expect(r.stdout).To(ContainSubstring("complete -F _hookcheck hookcheck"))
		Expect(complete(r.stdout, "hookcheck", "re")).To(ConsistOf("receive", "report", "reproduce"))
		Expect(complete(r.stdout, "hookcheck", "")).To(ContainElements("run", "target", "ca", "profile", "completion", "version", "--version"))
		Expect(complete(r.stdout, "hookcheck", "ca", "")).To(ConsistOf("init", "path"))
	})

	It("completes flags from the command's --help, so they never go stale", func() {
		fake := filepath.Join(GinkgoT().TempDir(), "hookcheck")
		Expect(os.WriteFile(fake, []byte("#!/bin/sh\n[ \"$1 $2\" = \"run --help\" ] && printf 'Usage: x\\n\\nRun flags:\\n  --fail-fast\\n      stop\\n  --format format\\n      to stdout\\n  --target URL\\n'\n"), 0o700)).To(Succeed())
		r := run(nil, "completion", "bash")
		Expect(complete(r.stdout, fake, "run", "--f")).To(ConsistOf("--fail-fast", "--format"))
	})

	It("refuses other shells", func() {
		r := run(nil, "completion", "fish")
		Expect(r.code).To(Equal(cli.ExitUsage))
		oneLine(r.stderr)
	})
})

var _ = Describe("grouped --help", func() {
	It("groups run's flags in connection, run, output and profile sections, each flag once", func() {
		r := run(nil, "run", "--help")
		Expect(r.code).To(Equal(cli.ExitOK))
		out := r.stdout
		conn := strings.Index(out, "\nConnection flags")
		runs := strings.Index(out, "\nRun flags")
		output := strings.Index(out, "\nOutput flags")
		profile := strings.Index(out, "\nProfile flags")
		Expect([]int{conn, runs, output, profile}).To(HaveEach(BeNumerically(">", 0)))
		Expect(conn < runs && runs < output && output < profile).To(BeTrue(), "in that order")
		Expect(out).NotTo(ContainSubstring("\nOther flags"), "every flag of run has its section")
		in := func(from, to int, flag string) {
			GinkgoHelper()
			Expect(out[from:to]).To(MatchRegexp(`(?m)^  --%s\b`, flag))
		}
		in(conn, runs, "target")
		in(conn, runs, "connect-timeout")
		in(conn, runs, "receiver-ca-dir")
		in(runs, output, "fail-fast")
		in(runs, output, "list-specs")
		in(output, profile, "format")
		in(profile, len(out), "profile")
		in(profile, len(out), "retry-delays")
		for _, f := range []string{"target", "format", "retry-delays", "profile"} {
			Expect(strings.Count(out, "\n  --"+f+" ")).To(Equal(1), "--%s listed once", f)
		}
		Expect(out).To(ContainSubstring("docs/superoffice-webhooks.md"), "--help points to the spec in the repository")
	})

	It("groups reproduce's flags too", func() {
		out := run(nil, "reproduce", "--help").stdout
		Expect(out).To(ContainSubstring("\nConnection flags"))
		Expect(out).To(ContainSubstring("\nScenario flags"))
		Expect(out).To(ContainSubstring("\nProfile flags"))
		Expect(out).NotTo(ContainSubstring("\nOther flags"))
	})
})
