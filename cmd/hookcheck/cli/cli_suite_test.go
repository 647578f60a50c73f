package cli_test

import (
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

// TestCLI runs the hookcheck command-line specs. They call cli.Run in
// process with their own arguments, environment and output buffers.
func TestCLI(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "cmd/hookcheck/cli")
}
