package cli_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/onsi/gomega/gbytes"

	"github.com/hookcheck/hookcheck/cmd/hookcheck/cli"
	"github.com/hookcheck/hookcheck/receiver/api"
)

// quickly bounds commands that must finish on their own (usage errors,
// help) and how long a server may take to start or stop.
const quickly = 10 * time.Second

// result is the outcome of one in-process hookcheck run.
type result struct {
	code           int
	stdout, stderr string
}

// run runs hookcheck with args and environ (KEY=VALUE) to completion.
func run(environ []string, args ...string) result {
	GinkgoHelper()
	ctx, cancel := context.WithTimeout(context.Background(), quickly)
	defer cancel()
	stdout, stderr := gbytes.NewBuffer(), gbytes.NewBuffer()
	done := make(chan int, 1)
	go func() { done <- cli.Run(ctx, args, environ, stdout, stderr) }()
	var code int
	Eventually(done, quickly+time.Second).Should(Receive(&code), "hookcheck %v did not return", args)
	Expect(ctx.Err()).NotTo(HaveOccurred(), "hookcheck %v only returned when its context ended", args)
	return result{code, string(stdout.Contents()), string(stderr.Contents())}
}

// server is a hookcheck command running in the background.
type server struct {
	cancel         context.CancelFunc
	done           chan int
	stdout, stderr *gbytes.Buffer
}

// startServer runs hookcheck with args and environ until stop is called;
// the spec stops it in any case when it ends.
func startServer(environ []string, args ...string) *server {
	ctx, cancel := context.WithCancel(context.Background())
	s := &server{cancel: cancel, done: make(chan int, 1), stdout: gbytes.NewBuffer(), stderr: gbytes.NewBuffer()}
	go func() { s.done <- cli.Run(ctx, args, environ, s.stdout, s.stderr) }()
	DeferCleanup(func() {
		cancel()
		Eventually(s.done, quickly).Should(Receive())
	})
	return s
}

// stop cancels the server's context and returns its exit code, failing
// when it does not return promptly.
func (s *server) stop() int {
	GinkgoHelper()
	s.cancel()
	var code int
	Eventually(s.done, quickly).Should(Receive(&code), "hookcheck did not stop when its context was cancelled")
	// Let the cleanup see the exit, too.
	s.done <- code
	return code
}

// waitAddrFile waits until path holds the addresses a receiver wrote,
// failing early when the server exits first.
func (s *server) waitAddrFile(path string) api.Addresses {
	GinkgoHelper()
	var addrs api.Addresses
	Eventually(func(g Gomega) {
		select {
		case code := <-s.done:
			s.done <- code
			StopTrying(fmt.Sprintf("hookcheck exited with %d before writing %s; stderr: %s", code, path, s.stderr.Contents())).Now()
		default:
		}
		b, err := os.ReadFile(path)
		g.Expect(err).NotTo(HaveOccurred())
		g.Expect(json.Unmarshal(b, &addrs)).To(Succeed())
	}, quickly, 10*time.Millisecond).Should(Succeed())
	return addrs
}

// addrFile returns a path for an address file in a fresh directory.
func addrFile() string {
	return filepath.Join(GinkgoT().TempDir(), "addr.json")
}

// loopback are the flags that bind every listener of receive to a free
// loopback port.
var loopback = []string{"--listen", "127.0.0.1:0", "--tls-listen", "127.0.0.1:0", "--smtp-listen", "127.0.0.1:0"}
