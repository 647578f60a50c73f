package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/onsi/gomega/gbytes"

	"github.com/hookcheck/hookcheck/cmd/hookcheck/cli"
)

// childArgsEnv carries the arguments of a "hookcheck run" child process:
// Ginkgo runs a suite once per process, and this test binary already runs
// the CLI specs, so the conformance suite runs in a child — this test
// binary re-executed as hookcheck.
const childArgsEnv = "HOOKCHECK_TEST_RUN_CHILD_ARGS"

// TestHookcheckRunChild is the child's entry point: it is skipped unless
// the parent set childArgsEnv, and then runs hookcheck with those
// arguments and exits with its code.
func TestHookcheckRunChild(t *testing.T) {
	raw := os.Getenv(childArgsEnv)
	if raw == "" {
		t.Skip("only runs as the child process of the hookcheck run specs")
	}
	var args []string
	if err := json.Unmarshal([]byte(raw), &args); err != nil {
		t.Fatalf("%s: %v", childArgsEnv, err)
	}
	// The workers of a parallel run are this test binary, too.
	cli.SetWorkerLauncher(func(ctx context.Context) *exec.Cmd {
		cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestHookcheckRunChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), childArgsEnv+`=["`+cli.WorkerCommand+`"]`)
		return cmd
	})
	os.Exit(cli.Main(args, os.Environ(), os.Stdout, os.Stderr))
}

// child is a "hookcheck run" child process.
type child struct {
	cmd            *exec.Cmd
	stdout, stderr *gbytes.Buffer
	done           chan int
}

// startChild starts this test binary as "hookcheck" with args; the spec
// kills it when it ends.
func startChild(args ...string) *child {
	GinkgoHelper()
	raw, err := json.Marshal(args)
	Expect(err).NotTo(HaveOccurred())
	c := &child{stdout: gbytes.NewBuffer(), stderr: gbytes.NewBuffer(), done: make(chan int, 1)}
	c.cmd = exec.Command(os.Args[0], "-test.run=^TestHookcheckRunChild$", "-test.count=1")
	c.cmd.Env = append(os.Environ(), childArgsEnv+"="+string(raw))
	c.cmd.Stdout, c.cmd.Stderr = c.stdout, c.stderr
	Expect(c.cmd.Start()).To(Succeed())
	go func() {
		_ = c.cmd.Wait()
		c.done <- c.cmd.ProcessState.ExitCode()
	}()
	DeferCleanup(func() {
		select {
		case code := <-c.done:
			c.done <- code
		default:
			_ = c.cmd.Process.Kill()
			<-c.done
		}
	})
	return c
}

// wait waits up to within for the child to exit and returns its code.
func (c *child) wait(within time.Duration) int {
	GinkgoHelper()
	var code int
	Eventually(c.done, within).Should(Receive(&code), "hookcheck run did not finish; stdout:\n%s\nstderr:\n%s", c.stdout.Contents(), c.stderr.Contents())
	c.done <- code
	GinkgoWriter.Printf("hookcheck run exited %d:\n%s\n", code, c.output())
	return code
}

// interrupt sends SIGINT, as Ctrl-C does.
func (c *child) interrupt() {
	GinkgoHelper()
	Expect(c.cmd.Process.Signal(syscall.SIGINT)).To(Succeed())
}

// output is the child's stdout and stderr, for failure messages.
func (c *child) output() string {
	return string(bytes.Join([][]byte{c.stdout.Contents(), c.stderr.Contents()}, []byte("\n--- stderr ---\n")))
}
