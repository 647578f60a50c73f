package reference_test

import (
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

// TestReference is the package's only Ginkgo entry point; every *_test.go
// file of package reference_test registers its specs into this suite.
func TestReference(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "reference")
}
