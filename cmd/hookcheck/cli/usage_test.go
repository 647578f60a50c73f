package cli_test

import (
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

// oneLine asserts that s is exactly one line of text.
func oneLine(s string) {
	GinkgoHelper()
	Expect(s).To(HaveSuffix("\n"), "want one line, got %q", s)
	Expect(strings.Count(s, "\n")).To(Equal(1), "want one line, got %q", s)
}

// receiveFlags are the flags of "hookcheck receive" that scripts rely on
// (architecture.md) plus the others it has.
var receiveFlags = []string{
	"listen", "tls-listen", "smtp-listen", "tls-cert", "tls-key", "tls-host",
	"max-calls", "max-body", "max-delay", "max-wait", "body-timeout", "control-token", "public-url", "addr-file",
}

var _ = Describe("Usage", func() {
	It("prints the usage on stderr and exits 2 with no command", func() {
		r := run(nil)
		Expect(r.code).To(Equal(2))
		Expect(r.stdout).To(BeEmpty())
		Expect(r.stderr).To(ContainSubstring("Usage:"))
		Expect(r.stderr).To(ContainSubstring("receive"))
	})

	DescribeTable("prints the usage on stdout and exits 0 for help",
		func(arg string) {
			r := run(nil, arg)
			Expect(r.code).To(Equal(0))
			Expect(r.stderr).To(BeEmpty())
			Expect(r.stdout).To(ContainSubstring("Usage:"))
			Expect(r.stdout).To(MatchRegexp(`(?m)^\s+receive\s+\S`))
			Expect(r.stdout).To(ContainSubstring("HOOKCHECK_"))
		},
		Entry("--help", "--help"),
		Entry("-h", "-h"),
		Entry("help", "help"),
	)

	DescribeTable("lists every receive flag with its HOOKCHECK_* variable",
		func(args ...string) {
			r := run(nil, append([]string{"receive"}, args...)...)
			Expect(r.code).To(Equal(0))
			Expect(r.stderr).To(BeEmpty())
			Expect(r.stdout).To(HavePrefix("Usage: hookcheck receive"))
			for _, f := range receiveFlags {
				Expect(r.stdout).To(MatchRegexp(`(?m)^  --%s\b`, f), "flag --%s is not listed", f)
				env := "HOOKCHECK_" + strings.ToUpper(strings.ReplaceAll(f, "-", "_"))
				Expect(r.stdout).To(MatchRegexp(`(?m)^\s+env %s$`, env), "variable %s is not listed", env)
			}
		},
		Entry("--help", "--help"),
		Entry("-h", "-h"),
		Entry("--help after a bad flag value", "--max-calls=abc", "--help"),
	)

	It("exits 2 with one line on stderr for an unknown command", func() {
		r := run(nil, "recieve", "--listen", "127.0.0.1:0")
		Expect(r.code).To(Equal(2))
		Expect(r.stdout).To(BeEmpty())
		oneLine(r.stderr)
		Expect(r.stderr).To(ContainSubstring(`"recieve"`))
	})

	DescribeTable("exits 2 with one line naming the flag for a bad flag",
		func(want string, args ...string) {
			r := run(nil, append([]string{"receive"}, args...)...)
			Expect(r.code).To(Equal(2))
			Expect(r.stdout).To(BeEmpty(), "the receiver must not start")
			oneLine(r.stderr)
			Expect(r.stderr).To(HavePrefix("hookcheck receive: "))
			Expect(r.stderr).To(ContainSubstring(want))
		},
		Entry("max-calls not a number", "max-calls", "--max-calls", "abc"),
		Entry("max-calls zero", "max-calls", "--max-calls", "0"),
		Entry("max-calls negative", "max-calls", "--max-calls=-3"),
		Entry("max-body not a size", "max-body", "--max-body", "lots"),
		Entry("max-body zero", "max-body", "--max-body", "0"),
		Entry("max-delay not a duration", "max-delay", "--max-delay", "soon"),
		Entry("max-delay zero", "max-delay", "--max-delay", "0s"),
		Entry("max-wait negative", "max-wait", "--max-wait=-1s"),
		Entry("body-timeout not a duration", "body-timeout", "--body-timeout", "slow"),
		Entry("body-timeout zero", "body-timeout", "--body-timeout", "0s"),
		Entry("an unknown flag", "-nope", "--nope"),
		Entry("a flag without its value", "-listen", "--listen"),
		Entry("a stray argument", `"extra"`, "--max-calls", "5", "extra"),
	)

	DescribeTable("exits 2 naming the variable for a bad environment value",
		func(variable string) {
			r := run([]string{variable + "=not-valid-at-all"}, "receive")
			Expect(r.code).To(Equal(2))
			Expect(r.stdout).To(BeEmpty())
			oneLine(r.stderr)
			Expect(r.stderr).To(ContainSubstring(variable))
		},
		Entry("HOOKCHECK_MAX_CALLS", "HOOKCHECK_MAX_CALLS"),
		Entry("HOOKCHECK_MAX_BODY", "HOOKCHECK_MAX_BODY"),
		Entry("HOOKCHECK_MAX_DELAY", "HOOKCHECK_MAX_DELAY"),
		Entry("HOOKCHECK_MAX_WAIT", "HOOKCHECK_MAX_WAIT"),
		Entry("HOOKCHECK_BODY_TIMEOUT", "HOOKCHECK_BODY_TIMEOUT"),
	)

	It("names HOOKCHECK_MAX_CALLS=abc exactly as given", func() {
		r := run([]string{"HOOKCHECK_MAX_CALLS=abc"}, "receive")
		Expect(r.code).To(Equal(2))
		Expect(r.stderr).To(ContainSubstring(`HOOKCHECK_MAX_CALLS="abc"`))
	})
})
