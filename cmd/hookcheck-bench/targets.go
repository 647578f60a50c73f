package main

import (
	"bytes"
	"context"
	"debug/buildinfo"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/hookcheck/hookcheck/receiver"
	"github.com/hookcheck/hookcheck/receiver/api"
	"github.com/hookcheck/hookcheck/receiver/client"
)

// benchSecret is the secret of the receiver's benchmark channel; every
// payload the bench sends is signed with it.
const benchSecret = "bench-secret"

// target is one server the throughput table compares.
type target struct {
	// Key is the short name used in logs and file names.
	Key string `json:"key"`
	// Name is the row label.
	Name string `json:"name"`
	// Setup says how the server was run and which route was hit.
	Setup string `json:"setup"`
	// Version is the server's version, when known.
	Version string `json:"version,omitempty"`
	// Skipped says why the server could not be measured ("" = measured).
	Skipped string `json:"skipped,omitempty"`

	url  string
	proc *process
	req  request
}

// readyTimeout bounds how long a server may take to start (the JVM is the
// slowest).
const readyTimeout = 60 * time.Second

// starter starts one target's server pinned to cpus and fills in its url
// and version, or returns why it cannot run.
type starter func(ctx context.Context, cfg *config, t *target, cpus string) error

// targetSpec is a throughput target and how to start it.
type targetSpec struct {
	t     target
	start starter
}

// targetSpecs lists the throughput targets in table order; with
// --baseline-hookcheck a second hookcheck build runs beside the first.
func targetSpecs(cfg *config) []targetSpec {
	specs := []targetSpec{
		{target{Key: "bare", Name: "bare net/http handler (ceiling)", Setup: "`http.Server` whose handler drains the body and answers 200; records and checks nothing"}, startBare},
		{target{Key: "hookcheck", Name: "**hookcheck receive**", Setup: "`hookcheck receive` (HTTPS and SMTP off), a channel with a secret: every call recorded, its signature verified; `--max-calls` 100000 (the default)"}, startHookcheck(cfg.hookcheck)},
	}
	if cfg.baseline != "" {
		specs = append(specs, targetSpec{target{Key: "baseline", Name: "hookcheck receive (baseline build)", Setup: "the same, built from `" + cfg.baselineLabel + "`"}, startHookcheck(cfg.baseline)})
	}
	specs = append(specs,
		targetSpec{target{Key: "hookcheck-data", Name: "**hookcheck receive --data-dir**", Setup: "the same with `--data-dir` on a fresh directory: every call also written to its database, in group commits off the request path"}, startHookcheck(cfg.hookcheck, "--data-dir", filepath.Join(cfg.work, "data-throughput"))},
		targetSpec{target{Key: "hookcheck-sync", Name: "hookcheck receive --data-dir --sync", Setup: "the same with `--sync`: every call on disk before it is answered"}, startHookcheck(cfg.hookcheck, "--data-dir", filepath.Join(cfg.work, "data-sync"), "--sync")},
	)
	return append(specs,
		targetSpec{target{Key: "go-httpbin", Name: "go-httpbin", Setup: "`go-httpbin -log-level OFF`, `POST /status/200`; records nothing"}, startGoHTTPBin},
		targetSpec{target{Key: "mockttp", Name: "mockttp", Setup: "`getLocal()` with its defaults (it records the traffic it sees), one rule `forPost('/hooks/bench').thenReply(200, 'OK')`"}, startMockttp},
		targetSpec{target{Key: "wiremock", Name: "WireMock", Setup: "standalone jar, default JVM flags, request journal on with `--max-request-journal-entries 100000`, one stub `POST /hooks/bench` → 200"}, startWireMock},
	)
}

// readAddrFile waits for a JSON address file and decodes it into v.
func readAddrFile(path string, v any) func() error {
	return func() error {
		b, err := os.ReadFile(path)
		if err != nil {
			return fmt.Errorf("address file: %w", err)
		}
		if err := json.Unmarshal(b, v); err != nil {
			return fmt.Errorf("address file %s: %w", path, err)
		}
		return nil
	}
}

// startBare starts this program's bare subcommand, the ceiling.
func startBare(ctx context.Context, cfg *config, t *target, cpus string) error {
	self, err := os.Executable()
	if err != nil {
		return fmt.Errorf("find own executable: %w", err)
	}
	addrFile := filepath.Join(cfg.work, "bare.addr.json")
	_ = os.Remove(addrFile)
	p, err := startProcess(t.Key, cpus, filepath.Join(cfg.work, "bare.log"), "", nil, self, "bare", "--listen", "127.0.0.1:0", "--addr-file", addrFile)
	if err != nil {
		return err
	}
	t.proc = p
	var addr api.Addresses
	if err := p.waitReady(ctx, readyTimeout, readAddrFile(addrFile, &addr)); err != nil {
		return err
	}
	t.url = addr.HTTP + "/hooks/bench"
	t.Version = "Go " + strings.TrimPrefix(goVersion(), "go")
	return nil
}

// startReceiver starts `bin receive` (HTTP only, port 0) pinned to cpus,
// with extra flags, and returns it with its HTTP base URL once healthz
// answers.
func startReceiver(ctx context.Context, bin, work, key, cpus string, extra ...string) (*process, string, error) {
	addrFile := filepath.Join(work, key+".addr.json")
	_ = os.Remove(addrFile)
	argv := append([]string{bin, "receive", "--listen", "127.0.0.1:0", "--tls-listen", "off", "--smtp-listen", "off", "--addr-file", addrFile}, extra...)
	var env []string
	if cpus != "" && !strings.ContainsAny(cpus, ",-") {
		// One P, as every Go server pinned to one core here: receive
		// --data-dir would take two (cmd/hookcheck/cli/receive_data.go),
		// and on a busy machine a second thread gets the server a larger
		// share of the core than the others get.
		env = []string{"GOMAXPROCS=1"}
	}
	p, err := startProcess(key, cpus, filepath.Join(work, key+".log"), "", env, argv...)
	if err != nil {
		return nil, "", err
	}
	var addr api.Addresses
	if err := p.waitReady(ctx, readyTimeout, readAddrFile(addrFile, &addr)); err != nil {
		p.stop()
		return nil, "", err
	}
	if err := p.waitReady(ctx, readyTimeout, httpGetOK(addr.HTTP+"/_hookcheck/healthz")); err != nil {
		p.stop()
		return nil, "", err
	}
	return p, addr.HTTP, nil
}

// startHookcheck returns the starter of `bin receive` with a channel
// "bench" that has a secret; extra flags go to receive, and a --data-dir
// among them is emptied first.
func startHookcheck(bin string, extra ...string) starter {
	return func(ctx context.Context, cfg *config, t *target, cpus string) error {
		if _, err := os.Stat(bin); err != nil {
			return fmt.Errorf("hookcheck binary: %w (run make build)", err)
		}
		if err := freshDataDir(extra); err != nil {
			return err
		}
		p, base, err := startReceiver(ctx, bin, cfg.work, t.Key, cpus, extra...)
		if err != nil {
			return err
		}
		t.proc = p
		ch, err := client.New(base).CreateChannel(ctx, api.ChannelRequest{ID: "bench", Secret: benchSecret})
		if err != nil {
			return fmt.Errorf("create the bench channel: %w", err)
		}
		t.url = ch.URL
		t.Version = "commit " + gitDescribe()
		if bin == cfg.baseline {
			t.Version = cfg.baselineLabel
		}
		return nil
	}
}

// freshDataDir removes the directory given as --data-dir in flags, so a
// run starts empty.
func freshDataDir(flags []string) error {
	for i, f := range flags {
		if f == "--data-dir" && i+1 < len(flags) {
			if err := os.RemoveAll(flags[i+1]); err != nil {
				return fmt.Errorf("empty the data directory: %w", err)
			}
		}
	}
	return nil
}

// startGoHTTPBin starts go-httpbin from --tools on a free port.
func startGoHTTPBin(ctx context.Context, cfg *config, t *target, cpus string) error {
	bin := filepath.Join(cfg.tools, "go-httpbin")
	if _, err := os.Stat(bin); err != nil {
		return fmt.Errorf("go-httpbin is not installed at %s (make bench-deps installs it with go install from the module proxy): %w", bin, err)
	}
	if info, err := buildinfo.ReadFile(bin); err == nil {
		t.Version = info.Main.Version + ", built with " + info.GoVersion
	}
	port, err := freePort()
	if err != nil {
		return err
	}
	p, err := startProcess(t.Key, cpus, filepath.Join(cfg.work, t.Key+".log"), "", nil, bin, "-host", "127.0.0.1", "-port", strconv.Itoa(port), "-log-level", "OFF")
	if err != nil {
		return err
	}
	t.proc = p
	base := "http://127.0.0.1:" + strconv.Itoa(port)
	if err := p.waitReady(ctx, readyTimeout, httpGetOK(base+"/status/200")); err != nil {
		return err
	}
	t.url = base + "/status/200"
	return nil
}

// startMockttp starts mockttp-server.mjs from --node-dir under Node.js.
func startMockttp(ctx context.Context, cfg *config, t *target, cpus string) error {
	script := filepath.Join(cfg.nodeDir, "mockttp-server.mjs")
	pkg := filepath.Join(cfg.nodeDir, "node_modules", "mockttp", "package.json")
	if _, err := os.Stat(pkg); err != nil {
		return fmt.Errorf("mockttp is not installed in %s (make bench-deps runs npm ci there): %w", cfg.nodeDir, err)
	}
	node, err := exec.LookPath(cfg.node)
	if err != nil {
		return fmt.Errorf("node is not installed: %w", err)
	}
	t.Version = npmVersion(pkg) + ", Node.js " + strings.TrimSpace(commandOutput(node, "--version"))
	addrFile := filepath.Join(cfg.work, t.Key+".addr.json")
	_ = os.Remove(addrFile)
	p, err := startProcess(t.Key, cpus, filepath.Join(cfg.work, t.Key+".log"), cfg.nodeDir, nil, node, script, addrFile)
	if err != nil {
		return err
	}
	t.proc = p
	var addr struct {
		URL string `json:"url"`
	}
	if err := p.waitReady(ctx, readyTimeout, readAddrFile(addrFile, &addr)); err != nil {
		return err
	}
	t.url = addr.URL + "/hooks/bench"
	return nil
}

// startWireMock starts the WireMock standalone jar from the npm package
// with java on a free port and adds the one stub.
func startWireMock(ctx context.Context, cfg *config, t *target, cpus string) error {
	jars, _ := filepath.Glob(filepath.Join(cfg.nodeDir, "node_modules", "wiremock", "build", "wiremock-standalone-*.jar"))
	if len(jars) == 0 {
		return fmt.Errorf("the WireMock jar is not installed under %s/node_modules/wiremock (make bench-deps runs npm ci there)", cfg.nodeDir)
	}
	jar := jars[len(jars)-1]
	java, err := exec.LookPath(cfg.java)
	if err != nil {
		return fmt.Errorf("java is not installed (WireMock needs a JRE 11+): %w", err)
	}
	t.Version = strings.TrimSuffix(strings.TrimPrefix(filepath.Base(jar), "wiremock-standalone-"), ".jar") + ", " + javaVersion(java)
	port, err := freePort()
	if err != nil {
		return err
	}
	p, err := startProcess(t.Key, cpus, filepath.Join(cfg.work, t.Key+".log"), "", nil, java, "-jar", jar,
		"--port", strconv.Itoa(port), "--bind-address", "127.0.0.1", "--disable-banner", "--max-request-journal-entries", "100000")
	if err != nil {
		return err
	}
	t.proc = p
	base := "http://127.0.0.1:" + strconv.Itoa(port)
	if err := p.waitReady(ctx, readyTimeout, httpGetOK(base+"/__admin/health")); err != nil {
		return err
	}
	stub := `{"request":{"method":"POST","urlPath":"/hooks/bench"},"response":{"status":200}}`
	resp, err := http.Post(base+"/__admin/mappings", "application/json", bytes.NewReader([]byte(stub)))
	if err != nil {
		return fmt.Errorf("add the WireMock stub: %w", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated && resp.StatusCode != http.StatusOK {
		return fmt.Errorf("add the WireMock stub: status %d", resp.StatusCode)
	}
	t.url = base + "/hooks/bench"
	return nil
}

// benchRequest is the request every throughput target receives: the 1 KB
// SuperOffice-shaped payload of receiver/bench_test.go, signed with
// benchSecret, with the headers NetServer sends.
func benchRequest(rawURL string) (request, error) {
	body := benchPayload(1024)
	return newRequest(rawURL, [][2]string{
		{"Content-Type", "application/json; charset=utf-8"},
		{"User-Agent", "hookcheck-bench"},
		{"X-SuperOffice-Event", "contact.changed"},
		{"X-SuperOffice-EventId", "88f91933-edce-4c1a-8ded-ade8e2f72434"},
		{"X-SuperOffice-Signature", receiver.Sign(benchSecret, body)},
	}, body)
}

// npmVersion returns the version field of a package.json.
func npmVersion(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return "?"
	}
	var p struct {
		Version string `json:"version"`
	}
	if json.Unmarshal(b, &p) != nil || p.Version == "" {
		return "?"
	}
	return p.Version
}

// javaVersion returns the first line of `java -version`.
func javaVersion(java string) string {
	out := commandOutput(java, "-version")
	line, _, _ := strings.Cut(strings.TrimSpace(out), "\n")
	return line
}

// commandOutput runs a short command and returns its combined output, or
// "" on failure.
func commandOutput(name string, args ...string) string {
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		return ""
	}
	return string(out)
}
