package cli_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"syscall"
	"time"
	"unsafe"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/onsi/gomega/gbytes"

	"github.com/hookcheck/hookcheck/cmd/hookcheck/cli"
)

// openPTY opens a pseudo-terminal pair: the master to read what the
// child writes, the slave to give the child as its stdout.
func openPTY() (master, slave *os.File) {
	GinkgoHelper()
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		Skip("no pseudo-terminals here (/dev/ptmx): " + err.Error())
	}
	DeferCleanup(m.Close)
	var unlock int32
	_, _, errno := syscall.Syscall(syscall.SYS_IOCTL, m.Fd(), syscall.TIOCSPTLCK, uintptr(unsafe.Pointer(&unlock)))
	Expect(errno).To(BeZero(), "unlock the pseudo-terminal")
	var n uint32
	_, _, errno = syscall.Syscall(syscall.SYS_IOCTL, m.Fd(), syscall.TIOCGPTN, uintptr(unsafe.Pointer(&n)))
	Expect(errno).To(BeZero(), "number of the pseudo-terminal")
	s, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	Expect(err).NotTo(HaveOccurred())
	return m, s
}

// runOnTerminal runs "hookcheck run" args in a child whose stdout is a
// terminal, with extra environment, and returns its exit code and what it
// wrote there.
func runOnTerminal(environ []string, args ...string) (int, string) {
	GinkgoHelper()
	master, slave := openPTY()
	raw, err := json.Marshal(args)
	Expect(err).NotTo(HaveOccurred())
	cmd := exec.Command(os.Args[0], "-test.run=^TestHookcheckRunChild$", "-test.count=1")
	cmd.Env = append(append(os.Environ(), "NO_COLOR="), environ...)
	cmd.Env = append(cmd.Env, childArgsEnv+"="+string(raw))
	stderr := gbytes.NewBuffer()
	cmd.Stdout, cmd.Stderr = slave, stderr
	Expect(cmd.Start()).To(Succeed())
	Expect(slave.Close()).To(Succeed())
	out := gbytes.NewBuffer()
	copied := make(chan struct{})
	go func() {
		defer close(copied)
		buf := make([]byte, 4096)
		for {
			n, err := master.Read(buf)
			_, _ = out.Write(buf[:n])
			if err != nil { // EIO once the child closed the terminal
				return
			}
		}
	}()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var werr error
	Eventually(done, 2*time.Minute).Should(Receive(&werr), "hookcheck run did not finish:\n%s\n%s", out.Contents(), stderr.Contents())
	var ee *exec.ExitError
	if werr != nil && !errors.As(werr, &ee) {
		Fail(werr.Error())
	}
	Eventually(copied, 10*time.Second).Should(BeClosed())
	return cmd.ProcessState.ExitCode(), string(out.Contents())
}

var _ = Describe("run on a terminal", func() {
	It("colours the marks and the verdict, and NO_COLOR turns the colour off", func() {
		args := []string{"run", "--report-dir", "", "--label-filter", "clause:WH-CRUD-001 && rest", "--parallel", "1"}
		code, out := runOnTerminal(nil, args...)
		Expect(code).To(Equal(cli.ExitOK), out)
		Expect(out).To(ContainSubstring("[1/1] \x1b[32m✓\x1b[0m crud"), "a green mark on a terminal")
		Expect(out).To(ContainSubstring("\x1b[33;1mrelease gate: PARTIAL"), "a yellow verdict")

		code, out = runOnTerminal([]string{"NO_COLOR=1"}, args...)
		Expect(code).To(Equal(cli.ExitOK), out)
		Expect(out).To(ContainSubstring("[1/1] ✓ crud"))
		Expect(out).To(ContainSubstring("release gate: PARTIAL"))
		Expect(out).NotTo(MatchRegexp(`\x1b\[[0-9;]*m`), "no colour with NO_COLOR")
	})
})
