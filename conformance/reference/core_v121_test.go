package reference_test

import (
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/conformance/reference"
)

var _ = Describe("core: the v12.1 members (§1.8)", func() {
	var target *coreTarget
	BeforeEach(func() { target = newCoreTarget(false) })

	settings := func() *reference.V121Fields {
		return &reference.V121Fields{
			ErrorEmails: []string{" a@x.example ", ""}, Description: "d",
			NotifyVia: reference.NotifyViaEmail, NotifyWhen: reference.NotifyWhenDisabling,
			TotalCalls: 99, LastError: "forged",
		}
	}

	It("has none without Options.V121Fields: a save drops them and reads answer nil", func() {
		s := newCoreService(reference.Options{})
		w, err := s.Create(coreCtx, coreAdmin, reference.Webhook{Name: "n", Events: []string{"a.b"}, TargetURL: target.URL(), V121: settings()})
		Expect(err).NotTo(HaveOccurred())
		Expect(w.V121).To(BeNil())
		got, err := s.Get(coreCtx, coreAdmin, w.WebhookID)
		Expect(err).NotTo(HaveOccurred())
		Expect(got.V121).To(BeNil())
		Expect(s.Default().V121).To(BeNil())
	})

	It("stores the settings, trims the addresses and ignores the read-only mirrors", func() {
		s := newCoreService(reference.Options{V121Fields: true})
		w, err := s.Create(coreCtx, coreAdmin, reference.Webhook{Name: "n", Events: []string{"a.b"}, TargetURL: target.URL(), V121: settings()})
		Expect(err).NotTo(HaveOccurred())
		Expect(w.V121).To(Equal(&reference.V121Fields{
			ErrorEmails: []string{"a@x.example"}, Description: "d",
			NotifyVia: reference.NotifyViaEmail, NotifyWhen: reference.NotifyWhenDisabling,
		}))
		Expect(s.Default().V121).To(Equal(&reference.V121Fields{}))
	})

	It("refuses values outside the enums", func() {
		s := newCoreService(reference.Options{V121Fields: true})
		_, err := s.Create(coreCtx, coreAdmin, reference.Webhook{Name: "n", Events: []string{"a.b"}, TargetURL: target.URL(),
			V121: &reference.V121Fields{NotifyVia: 7}})
		Expect(reference.AsError(err).Kind).To(Equal(reference.KindInvalid))
		_, err = s.Create(coreCtx, coreAdmin, reference.Webhook{Name: "n", Events: []string{"a.b"}, TargetURL: target.URL(),
			V121: &reference.V121Fields{NotifyWhen: 4}})
		Expect(reference.AsError(err).Kind).To(Equal(reference.KindInvalid))
	})

	It("mirrors webhook_usage in every read", func() {
		s := newCoreService(reference.Options{V121Fields: true})
		deliveries := 0 // Answer's callbacks run one at a time
		target.Answer(func(_ int, h coreHit) coreAnswer {
			if h.Test() {
				return coreAnswer{Status: 200}
			}
			if deliveries++; deliveries == 1 {
				return coreAnswer{Status: 500, Body: "boom"}
			}
			return coreAnswer{Status: 200}
		})
		w := createCoreHook(s, "n", target.URL(), "a.b")
		Expect(s.Signal(coreCtx, coreAdmin, "a.b", 1, nil)).To(Succeed())
		target.WaitDeliveries(2)
		Eventually(func() int64 {
			got, err := s.Get(coreCtx, coreAdmin, w.WebhookID)
			Expect(err).NotTo(HaveOccurred())
			return got.V121.TotalCalls
		}).WithTimeout(5 * time.Second).Should(Equal(int64(2)))
		list, err := s.List(coreCtx, coreAdmin, reference.Filter{})
		Expect(err).NotTo(HaveOccurred())
		Expect(list[0].V121.TotalErrors).To(Equal(int64(1)))
		Expect(list[0].V121.ConsecutiveErrors).To(BeZero())
		Expect(list[0].V121.LastError).To(ContainSubstring("boom"))
	})
})
