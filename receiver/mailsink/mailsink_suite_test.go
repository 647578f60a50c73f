package mailsink_test

import (
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

func TestMailsink(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "Mailsink Suite")
}
