// Package interop_test is the interop test with the official client: it runs
// webhookagent.mjs, which drives the reference webhook service through the
// WebhookAgent of SuperOffice's own TypeScript client (@superoffice/webapi,
// pinned in package.json and package-lock.json), against an in-process
// reference service and receiver.
//
// The client comes from npm: `make interop-deps` runs `npm ci` in this folder
// (and `make unit` depends on it). Without node_modules (or without node)
// the test is skipped, or fails when the CI variable is set, since CI
// installs them first.
//
// The script checks the values the client parses (camelCase objects, the
// WebhookState enum, Date objects), so a wire-format slip in the service's
// Agents front end shows up here as it would in a real integration. It runs
// once in UTC and once in Europe/Oslo: east of UTC the client sends the
// "0001-01-01T00:00:00" it was given back as a year-0 instant.
package interop_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/hookcheck/hookcheck/conformance/reference"
	"github.com/hookcheck/hookcheck/conformance/reference/server"
	"github.com/hookcheck/hookcheck/receiver"
)

// script is the Node program, in this folder.
const script = "webhookagent.mjs"

// missing skips the test, or fails it under CI where `make interop-deps`
// should have provided the prerequisite.
func missing(t *testing.T, what string) {
	t.Helper()
	msg := what + ": run make interop-deps (npm ci in conformance/reference/interop)"
	if os.Getenv("CI") != "" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

func TestWebhookAgentInterop(t *testing.T) {
	if _, err := os.Stat("node_modules/@superoffice/webapi/package.json"); err != nil {
		missing(t, "node_modules/@superoffice/webapi is not installed")
	}
	node, err := exec.LookPath("node")
	if err != nil {
		missing(t, "node is not on PATH")
	}
	for _, tz := range []string{"UTC", "Europe/Oslo"} {
		t.Run(strings.ReplaceAll(tz, "/", "_"), func(t *testing.T) { runScript(t, node, tz) })
	}
}

// runScript starts a fresh receiver and reference service and runs the
// script against them in time zone tz.
func runScript(t *testing.T, node, tz string) {
	rv, err := receiver.Start(receiver.Config{TLSListen: receiver.Off, SMTPListen: receiver.Off})
	if err != nil {
		t.Fatalf("start receiver: %v", err)
	}
	t.Cleanup(func() { _ = rv.Close() })

	// As `hookcheck target --allow-http --time-scale 0.01`: the receiver is
	// http://, and the failing hook reaches TooManyErrors in ~150 ms.
	svc, err := reference.New(reference.Options{AllowHTTP: true, TimeScale: 0.01})
	if err != nil {
		t.Fatalf("reference.New: %v", err)
	}
	t.Cleanup(func() { _ = svc.Close() })
	srv := httptest.NewServer(server.NewHandler(svc, reference.Auth{User: "hookcheck", Password: "hookcheck"}))
	t.Cleanup(srv.Close)

	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, script)
	cmd.Env = append(os.Environ(),
		"HOOKCHECK_TARGET="+srv.URL,
		"HOOKCHECK_RECEIVER="+rv.URL(),
		"HOOKCHECK_USER=hookcheck",
		"HOOKCHECK_PASSWORD=hookcheck",
		"TZ="+tz,
	)
	start := time.Now()
	out, err := cmd.CombinedOutput()
	if err != nil {
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			t.Fatalf("node %s timed out after %v; output:\n%s", script, time.Since(start).Round(time.Millisecond), out)
		}
		t.Fatalf("node %s: %v; output:\n%s", script, err, out)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	t.Logf("%s: %s (%v)", lines[0], lines[len(lines)-1], time.Since(start).Round(time.Millisecond))
}
