package cli_test

import (
	"net"
	"strings"
	"sync"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/cmd/hookcheck/cli"
)

// hangingTarget listens on a loopback port, accepts every connection and
// never answers; the connections close when the spec ends.
func hangingTarget() string {
	GinkgoHelper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	Expect(err).NotTo(HaveOccurred())
	var mu sync.Mutex
	var conns []net.Conn
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	DeferCleanup(func() {
		_ = ln.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			_ = c.Close()
		}
	})
	return "http://" + ln.Addr().String()
}

var _ = Describe("--connect-timeout", func() {
	It("gives up on a target that accepts and never answers, saying so, with a line every few seconds while it waits", func() {
		target := hangingTarget()
		r := run(nil, "run", "--report-dir", "", "--target", target, "--auth", "bearer:x", "--connect-timeout", "3s")
		Expect(r.code).To(Equal(cli.ExitUsage), r.stdout)
		oneLine(r.stderr)
		Expect(r.stderr).To(HavePrefix("hookcheck run: preflight: " + target + " accepted the connection but sent no answer within 3s (--connect-timeout)"))
		Expect(r.stdout).To(ContainSubstring("waiting for " + target + " (1s of 3s)…\n"))
		Expect(r.stdout).To(ContainSubstring("waiting for " + target + " (2s of 3s)…\n"))
		Expect(strings.Count(r.stdout, "\n")).To(BeNumerically("<=", 3), "one line a second, no more")
	})

	It("bounds reproduce's first contact too", func() {
		target := hangingTarget()
		r := run(nil, "reproduce", "gone", "--target", target, "--auth", "bearer:x", "--connect-timeout", "1s")
		Expect(r.code).To(Equal(cli.ExitUsage), r.stdout)
		Expect(r.stderr).To(ContainSubstring("sent no answer within 1s (--connect-timeout)"))
	})

	It("is listed in run --help with its default", func() {
		Expect(run(nil, "run", "--help").stdout).To(MatchRegexp(`--connect-timeout duration\n.*a line every few seconds says it is waiting \(default 30s\)`))
	})

	DescribeTable("refuses a timeout that is not positive",
		func(v string) {
			r := run(nil, "run", "--report-dir", "", "--connect-timeout", v)
			Expect(r.code).To(Equal(cli.ExitUsage))
			Expect(r.stderr).To(ContainSubstring("connect-timeout"))
		},
		Entry("zero", "0s"),
		Entry("negative", "-1s"),
		Entry("not a duration", "soon"),
	)
})
