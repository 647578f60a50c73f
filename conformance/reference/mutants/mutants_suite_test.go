package mutants_test

import (
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

// TestMutants is the package's Ginkgo entry point.
func TestMutants(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "mutants")
}
