package server_test

import (
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

// TestServer is the package's only Ginkgo entry point; every *_test.go file
// of package server_test registers its specs into this suite.
func TestServer(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "reference/server")
}
