# hookcheck — build, test and run. `make test` is what CI runs (.ci/run).
GO      ?= go
BIN     := bin/hookcheck
PKGS    := ./...
FUZZTIME ?= 10s

.PHONY: all build test unit lint fmt-check vet fuzz run bench clean help

all: build

help: ## list targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

build: ## build bin/hookcheck
	$(GO) build -o $(BIN) ./cmd/hookcheck

test: lint unit fuzz ## everything CI checks: lint, race-enabled tests, short fuzz runs

unit: ## go test -race over the whole module
	$(GO) test -race -count=1 $(PKGS)

lint: fmt-check vet ## gofmt and go vet

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet $(PKGS)

fuzz: ## run each fuzz target briefly (FUZZTIME=10s)
	@set -e; for spec in $$(grep -rl --include='*_test.go' '^func Fuzz' . | xargs -n1 dirname | sort -u); do \
	  for f in $$(grep -h '^func Fuzz' $$spec/*_test.go | sed 's/func \(Fuzz[A-Za-z0-9_]*\).*/\1/'); do \
	    echo "fuzz $$spec $$f"; $(GO) test -run='^$$' -fuzz="^$$f\$$" -fuzztime=$(FUZZTIME) $$spec; \
	  done; \
	done

run: build ## start the receiver on its default ports (see README)
	$(BIN) receive

BENCHCOUNT ?= 6
bench: ## receiver throughput vs a bare net/http handler, as a ratio measured in the same run
	@mkdir -p bin
	$(GO) test -c -o bin/receiver.test ./receiver/
	@# One process per round, bare then receiver in each, so the pairs interleave.
	@: > bin/bench-receiver.txt; for i in $$(seq $(BENCHCOUNT)); do \
	  bin/receiver.test -test.run='^$$' -test.bench='^BenchmarkThroughput$$' -test.benchmem -test.benchtime=2s | tee -a bin/bench-receiver.txt; \
	done
	@awk -f .ci/benchratio.awk bin/bench-receiver.txt

clean:
	rm -rf bin
