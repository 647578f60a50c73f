package main

import (
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

// TestBench runs the specs of the bench's parts that need no timing: the
// HTTP/1.1 response reader, the load loops' bookkeeping, percentiles and
// the parsers of other tools' output. The measurements themselves run
// only under `make bench`.
func TestBench(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "cmd/hookcheck-bench")
}
