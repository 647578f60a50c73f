package reproduce_test

import (
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

// TestReproduce runs the scenario specs: every scenario against the
// embedded reference (it must find nothing) and against a seeded mutant
// (it must name the difference).
func TestReproduce(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "conformance/reproduce")
}
