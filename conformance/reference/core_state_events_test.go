package reference_test

import (
	"fmt"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/conformance/reference"
)

var _ = Describe("core: state-change events (§6, §9 #12, #13)", func() {
	var (
		s        *reference.Service
		watched  *coreTarget
		listener *coreTarget
	)
	BeforeEach(func() {
		watched = newCoreTarget(false)
		listener = newCoreTarget(false)
		s = newCoreService(reference.Options{TimeScale: 0.01})
	})

	It("fires webhook{id}.errors with the header/body split when the engine disables a hook", func() {
		w := createCoreHook(s, "watched", watched.URL(), "a.b")
		sub, err := s.Create(coreCtx, coreAdmin, reference.Webhook{
			Name: "state listener", Events: []string{fmt.Sprintf("webhook%d.errors", w.WebhookID)},
			TargetURL: listener.URL(), Secret: "sub-secret",
		})
		Expect(err).NotTo(HaveOccurred())
		watched.AnswerAll(coreAnswer{Status: 410})
		Expect(s.Signal(coreCtx, coreAdmin, "a.b", 1, nil)).To(Succeed())

		h := listener.WaitDeliveries(1)[0]
		Expect(h.Event()).To(Equal(fmt.Sprintf("webhook%d.errors", w.WebhookID)))
		Expect(h.Header.Get("X-SuperOffice-Signature")).To(Equal(coreSign("sub-secret", h.Body)))
		b := h.JSON()
		Expect(b).To(HaveKeyWithValue("Event", "webhook.errors"))
		Expect(b).NotTo(HaveKey("Entity"))
		Expect(coreNum(b["PrimaryKey"])).To(Equal(int64(w.WebhookID)))
		Expect(b["Changes"]).To(Equal([]any{}))
		Expect(coreNum(b["ChangedByAssociateId"])).To(BeZero())
		Expect(b["WebhookName"]).To(Equal(sub.Name))
		Expect(b["EventId"]).To(Equal(h.EventID()))
		fv, ok := b["FieldValues"].(map[string]any)
		Expect(ok).To(BeTrue())
		Expect(fv).To(HaveLen(6))
		Expect(coreNum(fv["events"])).To(Equal(int64(1)))
		Expect(coreNum(fv["state"])).To(Equal(int64(reference.StateTooManyErrors)))
		Expect(fv["registered"]).To(Equal(reference.FormatPayloadTime(w.Registered)))
		Expect(coreNum(fv["registered_associate_id"])).To(Equal(int64(5)))
		Expect(fv["updated"]).To(Equal("0001-01-01T00:00:00"))
		Expect(coreNum(fv["updated_associate_id"])).To(BeZero())
		Consistently(listener.DeliveryCount, 50*time.Millisecond, 10*time.Millisecond).Should(Equal(1))
	})

	It("fires .stopped and .started on user saves, with the saving associate", func() {
		w := createCoreHook(s, "watched", watched.URL(), "a.b")
		createCoreHook(s, "listener", listener.URL(),
			fmt.Sprintf("webhook%d.stopped", w.WebhookID), fmt.Sprintf("WEBHOOK%d.STARTED", w.WebhookID))
		user := reference.Caller{Associate: &reference.Associate{AssociateID: 9}}

		setCoreState(s, user, w.WebhookID, reference.StateStopped)
		h := listener.WaitDeliveries(1)[0]
		Expect(h.Event()).To(Equal(fmt.Sprintf("webhook%d.stopped", w.WebhookID)))
		b := h.JSON()
		Expect(b["Event"]).To(Equal("webhook.stopped"))
		Expect(coreNum(b["ChangedByAssociateId"])).To(Equal(int64(9)))
		fv := b["FieldValues"].(map[string]any)
		Expect(coreNum(fv["state"])).To(Equal(int64(reference.StateStopped)))
		Expect(coreNum(fv["updated_associate_id"])).To(Equal(int64(9)))
		Expect(fv["updated"]).To(MatchRegexp(corePayloadTime.String()))

		setCoreState(s, user, w.WebhookID, reference.StateActive)
		h = listener.WaitDeliveries(2)[1]
		Expect(h.Event()).To(Equal(fmt.Sprintf("webhook%d.started", w.WebhookID)))
		Expect(h.JSON()["Event"]).To(Equal("webhook.started"))
		Expect(coreNum(h.JSON()["FieldValues"].(map[string]any)["state"])).To(Equal(int64(reference.StateActive)))

		_, err := s.Modify(coreCtx, user, w.WebhookID, reference.Condition{}, func(h *reference.Webhook) error {
			h.Name = "renamed, same state"
			return nil
		})
		Expect(err).NotTo(HaveOccurred())
		Consistently(listener.DeliveryCount, 50*time.Millisecond, 10*time.Millisecond).Should(Equal(2))
	})

	It("fires nothing on create, nothing to inactive subscribers, nothing to the subject itself", func() {
		next := int32(3) // the listeners take ids 1 and 2
		createCoreHook(s, "listener", listener.URL(), fmt.Sprintf("webhook%d.started", next), fmt.Sprintf("webhook%d.stopped", next))
		idle := newCoreTarget(false)
		stoppedSub := createCoreHook(s, "stopped listener", idle.URL(), fmt.Sprintf("webhook%d.stopped", next))
		setCoreState(s, coreAdmin, stoppedSub.WebhookID, reference.StateStopped)

		w, err := s.Create(coreCtx, coreAdmin, reference.Webhook{
			Name: "self", Events: []string{fmt.Sprintf("webhook%d.started", next)}, TargetURL: watched.URL(),
		})
		Expect(err).NotTo(HaveOccurred())
		Expect(w.WebhookID).To(Equal(next))
		Consistently(listener.DeliveryCount, 50*time.Millisecond, 10*time.Millisecond).Should(BeZero(), "no .started on create")

		setCoreState(s, coreAdmin, w.WebhookID, reference.StateStopped)
		setCoreState(s, coreAdmin, w.WebhookID, reference.StateActive)
		listener.WaitDeliveries(2)
		Consistently(watched.DeliveryCount, 50*time.Millisecond, 10*time.Millisecond).Should(BeZero(), "the subject never gets its own event")
		Expect(idle.DeliveryCount()).To(BeZero(), "a stopped subscriber gets nothing")
	})

	It("delivers state events through the engine, with retries", func() {
		w := createCoreHook(s, "watched", watched.URL(), "a.b")
		createCoreHook(s, "listener", listener.URL(), fmt.Sprintf("webhook%d.stopped", w.WebhookID))
		listener.Answer(func(n int, _ coreHit) coreAnswer {
			if n == 1 {
				return coreAnswer{Status: 500}
			}
			return coreAnswer{Status: 200}
		})
		setCoreState(s, coreAdmin, w.WebhookID, reference.StateStopped)
		hits := listener.WaitDeliveries(2)
		Expect(coreRetryHeaders(hits)).To(Equal([]string{"-", "1"}))
		Expect(hits[1].EventID()).To(Equal(hits[0].EventID()))
	})
})
