package wire_test

import (
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

// TestWire is the package's only Ginkgo entry point; every *_test.go file
// of package wire_test registers its specs into this suite.
func TestWire(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "reference/internal/wire")
}
