package receiver_test

import (
	"net/http"
	"os"
	"path/filepath"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/receiver"
	"github.com/hookcheck/hookcheck/receiver/api"
)

var _ = Describe("a persistent CA", func() {
	var dir string

	BeforeEach(func() {
		dir = filepath.Join(GinkgoT().TempDir(), "hookcheck")
	})

	It("is written once: ca.pem, and the key readable by its owner only", func() {
		path, created, err := receiver.InitCA(dir)
		Expect(err).NotTo(HaveOccurred())
		Expect(created).To(BeTrue())
		Expect(path).To(Equal(filepath.Join(dir, receiver.CAFile)))
		key, err := os.Stat(filepath.Join(dir, receiver.CAKeyFile))
		Expect(err).NotTo(HaveOccurred())
		Expect(key.Mode().Perm()).To(Equal(os.FileMode(0o600)))
		first, err := os.ReadFile(path)
		Expect(err).NotTo(HaveOccurred())

		again, created, err := receiver.InitCA(dir)
		Expect(err).NotTo(HaveOccurred())
		Expect(created).To(BeFalse(), "a CA already there is kept")
		Expect(os.ReadFile(again)).To(Equal(first))
		Expect(receiver.HasCA(dir)).To(BeTrue())
	})

	It("signs the HTTPS certificate of every receiver started with it, so ca.pem is trusted once", func() {
		path, _, err := receiver.InitCA(dir)
		Expect(err).NotTo(HaveOccurred())
		caPEM, err := os.ReadFile(path)
		Expect(err).NotTo(HaveOccurred())
		hc := trustingClient(caPEM)
		for range 2 {
			rv, c := startReceiver(receiver.Config{CADir: dir})
			Expect(rv.CAPEM()).To(Equal(caPEM), "/_hookcheck/ca.pem serves the persistent CA")
			ch := newChannel(c, api.ChannelRequest{})
			resp, _, err := sendCall(hc, http.MethodPost, ch.TLSURL, []byte(`{}`), nil)
			Expect(err).NotTo(HaveOccurred(), "a client trusting only ca.pem reaches the receiver")
			Expect(resp.StatusCode).To(Equal(http.StatusOK))
		}
	})

	It("refuses to start from a directory without a CA, naming the command that makes one", func() {
		_, err := receiver.Start(receiver.Config{CADir: dir})
		Expect(err).To(MatchError(ContainSubstring("hookcheck ca init --dir " + dir)))
	})

	It("refuses a half CA instead of overwriting it", func() {
		Expect(os.MkdirAll(dir, 0o700)).To(Succeed())
		Expect(os.WriteFile(filepath.Join(dir, receiver.CAFile), []byte("x"), 0o644)).To(Succeed())
		_, _, err := receiver.InitCA(dir)
		Expect(err).To(MatchError(ContainSubstring("not both")))
		Expect(os.ReadFile(filepath.Join(dir, receiver.CAFile))).To(Equal([]byte("x")))
	})

	It("refuses a key that belongs to another CA", func() {
		other := filepath.Join(GinkgoT().TempDir(), "other")
		_, _, err := receiver.InitCA(dir)
		Expect(err).NotTo(HaveOccurred())
		_, _, err = receiver.InitCA(other)
		Expect(err).NotTo(HaveOccurred())
		key, err := os.ReadFile(filepath.Join(other, receiver.CAKeyFile))
		Expect(err).NotTo(HaveOccurred())
		Expect(os.WriteFile(filepath.Join(dir, receiver.CAKeyFile), key, 0o600)).To(Succeed())
		_, err = receiver.LoadCA(dir)
		Expect(err).To(MatchError(ContainSubstring("does not belong to")))
	})
})
