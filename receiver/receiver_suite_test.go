package receiver_test

import (
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

// TestReceiver runs the receiver's end-to-end specs. Every spec starts its
// own receiver on 127.0.0.1:0 and drives it only through the control API
// (receiver/client) and real HTTP, HTTPS and SMTP clients.
func TestReceiver(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "receiver")
}
