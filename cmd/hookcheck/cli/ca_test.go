package cli_test

import (
	"crypto/tls"
	"crypto/x509"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/onsi/gomega/gbytes"

	"github.com/hookcheck/hookcheck/cmd/hookcheck/cli"
	"github.com/hookcheck/hookcheck/receiver"
	"github.com/hookcheck/hookcheck/reports"
)

// initCA runs "hookcheck ca init --dir DIR" in a fresh directory and
// returns the directory and the path of its ca.pem.
func initCA() (dir, caPEM string) {
	GinkgoHelper()
	dir = filepath.Join(GinkgoT().TempDir(), "hookcheck")
	r := run(nil, "ca", "init", "--dir", dir)
	Expect(r.code).To(Equal(cli.ExitOK), r.stderr)
	return dir, filepath.Join(dir, receiver.CAFile)
}

// httpsSpecs selects a few specs that need the target to call the
// receiver's HTTPS address: save-time verification and a delivery.
const httpsSpecs = "clause:WH-VER-001 || clause:WH-DLV-001"

var _ = Describe("ca", func() {
	It("makes the CA once, says where it is and how to trust it", func() {
		dir := filepath.Join(GinkgoT().TempDir(), "ca")
		r := run(nil, "ca", "init", "--dir", dir)
		Expect(r.code).To(Equal(cli.ExitOK), r.stderr)
		path := filepath.Join(dir, "ca.pem")
		Expect(r.stdout).To(HavePrefix("created " + path))
		Expect(r.stdout).To(ContainSubstring("hookcheck target --trust-ca " + path))
		Expect(r.stdout).To(ContainSubstring("update-ca-certificates"))
		first, err := os.ReadFile(path)
		Expect(err).NotTo(HaveOccurred())
		key, err := os.Stat(filepath.Join(dir, "ca-key.pem"))
		Expect(err).NotTo(HaveOccurred())
		Expect(key.Mode().Perm()).To(Equal(os.FileMode(0o600)))

		again := run(nil, "ca", "init", "--dir", dir)
		Expect(again.code).To(Equal(cli.ExitOK))
		Expect(again.stdout).To(HavePrefix("kept the CA already in " + path))
		Expect(os.ReadFile(path)).To(Equal(first), "trusting ca.pem once lasts")

		p := run(nil, "ca", "path", "--dir", dir)
		Expect(p.code).To(Equal(cli.ExitOK))
		Expect(p.stdout).To(Equal(path + "\n"))
	})

	It("uses $XDG_CONFIG_HOME/hookcheck, else ~/.config/hookcheck, by default", func() {
		xdg, home := GinkgoT().TempDir(), GinkgoT().TempDir()
		r := run([]string{"XDG_CONFIG_HOME=" + xdg, "HOME=" + home}, "ca", "init")
		Expect(r.code).To(Equal(cli.ExitOK), r.stderr)
		Expect(filepath.Join(xdg, "hookcheck", "ca.pem")).To(BeARegularFile())
		r = run([]string{"HOME=" + home}, "ca", "init")
		Expect(r.code).To(Equal(cli.ExitOK), r.stderr)
		Expect(filepath.Join(home, ".config", "hookcheck", "ca.pem")).To(BeARegularFile())
		Expect(run([]string{"HOME=" + home}, "ca", "path").stdout).To(Equal(filepath.Join(home, ".config", "hookcheck", "ca.pem") + "\n"))
	})

	It("says so when there is no CA yet", func() {
		r := run(nil, "ca", "path", "--dir", GinkgoT().TempDir())
		Expect(r.code).To(Equal(cli.ExitFailed))
		oneLine(r.stderr)
		Expect(r.stderr).To(ContainSubstring("hookcheck ca init"))
	})

	DescribeTable("refuses bad usage with exit 2",
		func(environ []string, args ...string) {
			r := run(environ, args...)
			Expect(r.code).To(Equal(cli.ExitUsage), r.stdout)
			Expect(r.stderr).NotTo(BeEmpty())
		},
		Entry("no subcommand", nil, "ca"),
		Entry("an unknown subcommand", nil, "ca", "make"),
		Entry("no directory to default to", nil, "ca", "init"),
		Entry("an argument", nil, "ca", "init", "--dir", "x", "y"),
	)

	It("explains itself on --help, naming the default directory", func() {
		r := run(nil, "ca", "init", "--help")
		Expect(r.code).To(Equal(cli.ExitOK))
		Expect(r.stdout).To(ContainSubstring("$XDG_CONFIG_HOME/hookcheck, or ~/.config/hookcheck"))
		Expect(run(nil, "--help").stdout).To(MatchRegexp(`(?m)^\s+ca\s+make the persistent receiver CA`))
	})

	It("signs the HTTPS certificate of hookcheck receive when the CA is in the default directory", func() {
		xdg := GinkgoT().TempDir()
		Expect(run([]string{"XDG_CONFIG_HOME=" + xdg}, "ca", "init").code).To(Equal(cli.ExitOK))
		caPath := filepath.Join(xdg, "hookcheck", "ca.pem")
		path := addrFile()
		s := startServer([]string{"XDG_CONFIG_HOME=" + xdg}, append([]string{"receive", "--addr-file", path}, loopback...)...)
		addrs := s.waitAddrFile(path)
		Eventually(s.stdout, quickly).Should(gbytes.Say(`https\s+\S+\s+trust: ` + caPath))
		pemBytes, err := os.ReadFile(caPath)
		Expect(err).NotTo(HaveOccurred())
		pool := x509.NewCertPool()
		Expect(pool.AppendCertsFromPEM(pemBytes)).To(BeTrue())
		u, err := url.Parse(addrs.HTTPS)
		Expect(err).NotTo(HaveOccurred())
		conn, err := tls.DialWithDialer(&net.Dialer{Timeout: quickly}, "tcp", u.Host, &tls.Config{RootCAs: pool, ServerName: "127.0.0.1"})
		Expect(err).NotTo(HaveOccurred(), "the receiver's certificate verifies against ca.pem alone")
		Expect(conn.Close()).To(Succeed())
	})

	DescribeTable("run refuses an unusable certificate setting on one line",
		func(want string, args ...string) {
			r := run(nil, append([]string{"run", "--report-dir", ""}, args...)...)
			Expect(r.code).To(Equal(cli.ExitUsage), r.stdout)
			oneLine(r.stderr)
			Expect(r.stderr).To(ContainSubstring(want))
		},
		Entry("a CA directory without a CA", "hookcheck ca init --dir /nonexistent/ca", "--receiver-ca-dir", "/nonexistent/ca"),
		Entry("a certificate without its key", "--receiver-cert and --receiver-key go together", "--receiver-cert", "/nonexistent/cert.pem"),
		Entry("a certificate and a CA", "drop --receiver-ca-dir", "--receiver-cert", "a.pem", "--receiver-key", "b.pem", "--receiver-ca-dir", "/tmp"),
		Entry("an unreadable certificate", "tls: load /nonexistent/cert.pem", "--receiver-cert", "/nonexistent/cert.pem", "--receiver-key", "/nonexistent/key.pem"),
		Entry("a public URL that is not one", "--receiver-public-url", "--receiver-public-url", "hooks.example.net"),
	)

	Describe("an HTTPS run against hookcheck target", func() {
		// startHTTPSTarget runs "hookcheck target" requiring HTTPS
		// TargetUrls (no --allow-http), with extra flags, and returns its
		// base URL.
		startHTTPSTarget := func(args ...string) string {
			path := addrFile()
			s := startServer(nil, append([]string{"target", "--listen", "127.0.0.1:0", "--addr-file", path, "--time-scale", "0.1"}, args...)...)
			return s.waitTargetAddrs(path).Base
		}

		It("passes after hookcheck ca init and one trust step (--trust-ca ca.pem)", func() {
			dir, caPEM := initCA()
			base := startHTTPSTarget("--trust-ca", caPEM)
			reportDir := filepath.Join(GinkgoT().TempDir(), "report")
			c := startChild("run", "--target", base, "--auth", "soticket:7T:hookcheck", "--receiver-ca-dir", dir,
				"--time-scale", "0.1", "--label-filter", httpsSpecs, "--report-dir", reportDir, "--parallel", "2")
			Expect(c.wait(2*time.Minute)).To(Equal(cli.ExitOK), c.output())
			run, err := reports.ReadRun(filepath.Join(reportDir, "report.json"))
			Expect(err).NotTo(HaveOccurred())
			Expect(run.Options).To(HaveKeyWithValue("require-https", "true"))
			Expect(run.Totals.Passed).To(Equal(len(run.Specs)))
			Expect(len(run.Specs)).To(BeNumerically(">=", 4))
			// The target refuses http:// TargetUrls and untrusted
			// certificates (the next spec shows the same run failing
			// without the trust step), so these passes went over HTTPS.
		})

		It("names the ca.pem to trust when the target does not trust it yet", func() {
			dir, caPEM := initCA()
			base := startHTTPSTarget()
			r := run(nil, "run", "--report-dir", "", "--target", base, "--auth", "soticket:7T:hookcheck", "--receiver-ca-dir", dir)
			Expect(r.code).To(Equal(cli.ExitUsage), r.stdout)
			oneLine(r.stderr)
			Expect(r.stderr).To(ContainSubstring("cannot reach the suite's receiver at https://"))
			Expect(r.stderr).To(ContainSubstring("make the target trust " + caPEM + " (hookcheck target --trust-ca " + caPEM))
			Expect(r.stderr).NotTo(ContainSubstring("/_hookcheck/ca.pem"), "no advice that ends with the run")
		})

		It("tells how to get a CA that outlives the run when the run made its own", func() {
			base := startHTTPSTarget()
			r := run(nil, "run", "--report-dir", "", "--target", base, "--auth", "soticket:7T:hookcheck", "--receiver-ca-dir", "off")
			Expect(r.code).To(Equal(cli.ExitUsage), r.stdout)
			oneLine(r.stderr)
			Expect(r.stderr).To(ContainSubstring(`run "hookcheck ca init" once and make the target trust the ca.pem it prints`))
			Expect(strings.Contains(r.stderr, "/_hookcheck/ca.pem")).To(BeFalse())
		})
	})
})
