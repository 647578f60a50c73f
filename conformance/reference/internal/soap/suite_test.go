package soap_test

import (
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

// TestSOAP is the package's only Ginkgo entry point; every *_test.go file
// of package soap_test registers its specs into this suite.
func TestSOAP(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "reference/internal/soap")
}
