# hookcheck — build, test and run. `make test` is what CI runs (.ci/run).
GO      ?= go
BIN     := bin/hookcheck
PKGS    := ./...
# Fuzz budgets are execution counts, never durations: a -fuzztime duration is
# a deadline that races the fuzz coordinator's own shutdown on a busy machine
# (golang/go#75804, fixed in Go 1.27) and fails with a bare "context deadline
# exceeded" and no input. A count has no deadline; a busy machine only makes
# it slower. FUZZEXECS is the default budget, FUZZEXECS_<Target> one target's
# (each sized to a few seconds on an idle 2-core machine); FUZZSCALE
# multiplies all of them (e.g. FUZZSCALE=10 for a longer hunt).
FUZZEXECS ?= 40000
export FUZZEXECS_FuzzParseBodies ?= 80000
export FUZZEXECS_FuzzSOAPEnvelope ?= 60000
FUZZSCALE ?= 1

.PHONY: all build test unit lint fmt-check vet staticcheck fuzz run bench clean help chromium e2e-ui screenshot interop-deps selftest bench-deps bench-go soak

all: build

help: ## list targets
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-13s %s\n", $$1, $$2}'

build: ## build bin/hookcheck
	$(GO) build -o $(BIN) ./cmd/hookcheck

test: lint unit fuzz e2e-ui selftest ## everything CI checks: lint, race tests, fuzzing, browser tests, the suite's self-test
	@# make stops at the first failing step, so this line means all of them passed.
	@echo "make test: everything passed (lint, unit, fuzz, e2e-ui, selftest)"

unit: chromium interop-deps ## go test -race over the whole module, then the receiver without -race
	$(GO) test -race -count=1 $(PKGS)
	@# Under -race the receiver keeps calls in heap slabs (the detector only
	@# watches the heap); this run covers the mapped slabs that ship.
	$(GO) test -count=1 ./receiver/

# The interop test drives the reference service through the official
# TypeScript client (@superoffice/webapi, pinned in its package-lock.json);
# npm ci runs only when node_modules is missing or older than the lock.
INTEROP := conformance/reference/interop
interop-deps: $(INTEROP)/node_modules/.interop-deps.stamp ## npm ci the official SuperOffice client for the interop test
$(INTEROP)/node_modules/.interop-deps.stamp: $(INTEROP)/package-lock.json $(INTEROP)/package.json
	cd $(INTEROP) && npm ci --no-audit --no-fund
	@touch $@

# Browser tests (report.html, the receiver's inspector) drive Debian's
# chromium headless; install it when missing. Without it they skip locally
# and fail under CI=true.
CHROMIUM ?= /usr/bin/chromium
chromium: ## install Debian chromium for the browser tests when missing
	@if [ ! -x "$(CHROMIUM)" ]; then \
	  echo "installing chromium (apt-get)"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  for i in 1 2 3 4 5 6; do $$SUDO apt-get -o DPkg::Lock::Timeout=300 update -qq && break; echo "apt busy, retrying"; sleep 10; done; \
	  $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends chromium; \
	fi

# The receiver's inspector page, end to end in headless Chromium through
# playwright-core (pinned in receiver/ui/e2e/package-lock.json; it uses the
# system Chromium and never downloads a browser).
UI_E2E := receiver/ui/e2e
$(UI_E2E)/node_modules/.package-lock.json: $(UI_E2E)/package.json $(UI_E2E)/package-lock.json
	cd $(UI_E2E) && npm ci --no-audit --no-fund

# report.html of a failing run (the embedded reference with a seeded
# fault), end to end in the same headless Chromium (playwright-core pinned
# in reports/e2e/package-lock.json).
REPORT_E2E := reports/e2e
$(REPORT_E2E)/node_modules/.package-lock.json: $(REPORT_E2E)/package.json $(REPORT_E2E)/package-lock.json
	cd $(REPORT_E2E) && npm ci --no-audit --no-fund

e2e-ui: build chromium $(UI_E2E)/node_modules/.package-lock.json $(REPORT_E2E)/node_modules/.package-lock.json ## inspector page and a failing run's report.html in headless Chromium; screenshots in bin/artifacts/
	@mkdir -p bin/artifacts
	cd $(UI_E2E) && HOOKCHECK_BIN=$(CURDIR)/$(BIN) CHROMIUM_PATH=$(CHROMIUM) ARTIFACTS_DIR=$(CURDIR)/bin/artifacts node --test --test-reporter=spec inspector.test.mjs
	cd $(REPORT_E2E) && HOOKCHECK_BIN=$(CURDIR)/$(BIN) CHROMIUM_PATH=$(CHROMIUM) ARTIFACTS_DIR=$(CURDIR)/bin/artifacts node --test --test-reporter=spec report.test.mjs

screenshot: build chromium $(UI_E2E)/node_modules/.package-lock.json ## regenerate receiver/ui/inspector.png (the README screenshot)
	cd $(UI_E2E) && HOOKCHECK_BIN=$(CURDIR)/$(BIN) CHROMIUM_PATH=$(CHROMIUM) node screenshot.mjs $(CURDIR)/receiver/ui/inspector.png

lint: fmt-check vet staticcheck ## gofmt, go vet and staticcheck

# staticcheck comes from the Go module proxy, pinned, into bin/tools;
# staticcheck.conf says which checks run (dot imports of Ginkgo/Gomega are
# allowed).
STATICCHECK_VERSION ?= v0.8.2
STATICCHECK := bin/tools/staticcheck-$(STATICCHECK_VERSION)
$(STATICCHECK):
	@mkdir -p bin/tools
	GOBIN=$(CURDIR)/bin/tools/.staticcheck $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)
	mv bin/tools/.staticcheck/staticcheck $@

staticcheck: $(STATICCHECK) ## staticcheck over the module
	$(STATICCHECK) ./...

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet $(PKGS)

fuzz: ## run each fuzz target for an execution-count budget (FUZZEXECS, FUZZSCALE); a finding fails
	@set -e; for spec in $$(grep -rl --include='*_test.go' '^func Fuzz' . | xargs -n1 dirname | sort -u); do \
	  for f in $$(grep -h '^func Fuzz' $$spec/*_test.go | sed 's/func \(Fuzz[A-Za-z0-9_]*\).*/\1/'); do \
	    eval "n=\$${FUZZEXECS_$$f:-$(FUZZEXECS)}"; n=$$((n * $(FUZZSCALE))); \
	    echo "fuzz $$spec $$f ($${n} executions)"; \
	    $(GO) test -run='^$$' -fuzz="^$$f\$$" -fuzztime=$${n}x -timeout=20m $$spec; \
	  done; \
	done

# The suite's self-test: the pristine embedded reference must pass every
# spec, and every seeded fault (conformance/reference/mutants) must fail a
# spec of a clause it declares. Each run is its own process, 3 at a time
# (runs mostly wait); the kill matrix goes to bin/kill-matrix.md.
selftest: build ## prove the suite: the pristine reference passes, every seeded fault is caught (bin/kill-matrix.md)
	$(BIN) selftest --parallel 3 --report-dir bin/selftest --out bin/kill-matrix.md

run: build ## run the conformance suite against the embedded reference (reports in ./hookcheck-report)
	$(BIN) run

# The flake hunt (not part of make test): the parallel suite SOAKRUNS times
# against the embedded reference; prints a table of every spec whose result
# changed between runs and fails when there is one. SOAKFLAGS go to every
# run (e.g. SOAKFLAGS='--parallel 4 --time-scale 0.01').
SOAKRUNS  ?= 20
SOAKFLAGS ?=
soak: build ## run the parallel suite SOAKRUNS (20) times against the embedded reference; table of specs whose result changed
	$(GO) build -o bin/hookcheck-soak ./cmd/hookcheck-soak
	bin/hookcheck-soak --bin $(BIN) --runs $(SOAKRUNS) --dir bin/soak -- $(SOAKFLAGS)

# Benchmarks: cmd/hookcheck-bench measures hookcheck beside a bare net/http
# handler and the tools a user would pick instead, and writes BENCHMARKS.md.
# The anchors come from the Go module proxy (go-httpbin, into bin/tools) and
# npm (mockttp and the WireMock jar, pinned in $(BENCH_NODE)/package-lock.json;
# WireMock runs on the machine's java). Their recipes may fail (the leading
# "-"): the bench then skips that anchor and prints and writes why.
BENCH_TOOLS := bin/tools
BENCH_NODE  := cmd/hookcheck-bench/node
GO_HTTPBIN_VERSION ?= v2.26.0

bench-deps: $(BENCH_TOOLS)/go-httpbin $(BENCH_NODE)/node_modules/.package-lock.json ## install the benchmark anchors: go-httpbin, mockttp, WireMock

$(BENCH_TOOLS)/go-httpbin:
	-GOBIN=$(CURDIR)/$(BENCH_TOOLS) $(GO) install github.com/mccutchen/go-httpbin/v2/cmd/go-httpbin@$(GO_HTTPBIN_VERSION)

$(BENCH_NODE)/node_modules/.package-lock.json: $(BENCH_NODE)/package.json $(BENCH_NODE)/package-lock.json
	-cd $(BENCH_NODE) && npm ci --no-audit --no-fund --omit=optional

bench: build bench-deps ## hookcheck vs bare net/http, go-httpbin, mockttp, WireMock (+ memory, wake-up, faults, suite, reference); writes BENCHMARKS.md
	$(GO) build -o bin/hookcheck-bench ./cmd/hookcheck-bench
	bin/hookcheck-bench --hookcheck $(BIN) --tools $(BENCH_TOOLS) --node-dir $(BENCH_NODE) --out BENCHMARKS.md

BENCHCOUNT ?= 6
bench-go: ## the in-process Go benchmark: receiver vs bare net/http handler, ratio of the medians
	@mkdir -p bin
	$(GO) test -c -o bin/receiver.test ./receiver/
	@# One process per round, bare then receiver in each, so the pairs interleave.
	@: > bin/bench-receiver.txt; for i in $$(seq $(BENCHCOUNT)); do \
	  bin/receiver.test -test.run='^$$' -test.bench='^BenchmarkThroughput$$' -test.benchmem -test.benchtime=2s | tee -a bin/bench-receiver.txt; \
	done
	@awk -f .ci/benchratio.awk bin/bench-receiver.txt

clean:
	rm -rf bin
