package cli_test

import (
	"runtime"
	"runtime/debug"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/cmd/hookcheck/cli"
)

var _ = Describe("version", func() {
	It("prints the same line for --version and the version command", func() {
		a, b := run(nil, "--version"), run(nil, "version")
		Expect(a.code).To(Equal(cli.ExitOK))
		Expect(b.code).To(Equal(cli.ExitOK))
		oneLine(a.stdout)
		Expect(a.stdout).To(Equal(b.stdout))
		Expect(a.stdout).To(HavePrefix("hookcheck "))
		Expect(a.stdout).To(ContainSubstring(runtime.Version()))
	})

	It("shows the module version and the VCS revision from the build info", func() {
		DeferCleanup(cli.SetBuildInfo(func() (*debug.BuildInfo, bool) {
			return &debug.BuildInfo{Main: debug.Module{Path: "github.com/hookcheck/hookcheck", Version: "v1.2.3"},
				Settings: []debug.BuildSetting{
					{Key: "vcs.revision", Value: "0123456789abcdef0123"},
					{Key: "vcs.time", Value: "2026-01-02T03:04:05Z"},
					{Key: "vcs.modified", Value: "true"},
				}}, true
		}))
		r := run(nil, "--version")
		Expect(r.stdout).To(HavePrefix("hookcheck v1.2.3 (0123456789ab+dirty 2026-01-02T03:04:05Z) go"))
	})

	It("says (devel) without build info", func() {
		DeferCleanup(cli.SetBuildInfo(func() (*debug.BuildInfo, bool) { return nil, false }))
		Expect(run(nil, "version").stdout).To(HavePrefix("hookcheck (devel) go"))
	})

	It("refuses arguments", func() {
		r := run(nil, "version", "extra")
		Expect(r.code).To(Equal(cli.ExitUsage))
		oneLine(r.stderr)
	})
})
