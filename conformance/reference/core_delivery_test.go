package reference_test

import (
	"fmt"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/conformance/reference"
)

var _ = Describe("core: SignalEvent delivery (§4)", func() {
	var (
		s      *reference.Service
		target *coreTarget
	)
	BeforeEach(func() {
		target = newCoreTarget(false)
		s = newCoreService(reference.Options{})
	})

	It("posts the documented payload and headers, signed over the raw body", func() {
		w, err := s.Create(coreCtx, coreAdmin, reference.Webhook{
			Name: "Tonys Contact Handler", Events: []string{"contact.changed"}, TargetURL: target.URL(),
			Secret: "key", Headers: map[string]string{"X-Custom": "c1", "User-Agent": "evil", "X-SuperOffice-EventId": "evil"},
		})
		Expect(err).NotTo(HaveOccurred())
		signaller := reference.Caller{Associate: &reference.Associate{AssociateID: 12}}
		Expect(s.Signal(coreCtx, signaller, "contact.changed", 18, map[string]any{"name": "Acme", "contact_id": 18, "updated": "x"})).To(Succeed())

		h := target.WaitDeliveries(1)[0]
		Expect(h.Header.Get("Content-Type")).To(Equal("application/json; charset=utf-8"))
		Expect(h.Header.Get("User-Agent")).To(Equal("NetServer-Webhook/8.8.6684.1719"))
		Expect(h.Header.Values("X-SuperOffice-Event")).To(Equal([]string{"contact.changed"}))
		Expect(h.Header.Values("X-SuperOffice-EventId")).To(HaveLen(1))
		Expect(h.Header.Get("X-Custom")).To(Equal("c1"))
		Expect(h.Header.Values("User-Agent")).To(HaveLen(1))
		Expect(h.Header.Values("X-Hook-Test")).To(BeEmpty())
		_, hasRetry := h.Retry()
		Expect(hasRetry).To(BeFalse(), "no X-SuperOffice-Retry on the first attempt (§9 #5)")
		Expect(h.Header.Get("X-SuperOffice-Signature")).To(Equal(coreSign("key", h.Body)))

		b := h.JSON()
		Expect(b).To(HaveLen(9))
		Expect(h.EventID()).To(Equal(b["EventId"]))
		Expect(b["EventId"]).To(MatchRegexp(coreGUID.String()))
		Expect(b["Timestamp"]).To(MatchRegexp(corePayloadTime.String()))
		Expect(b["Changes"]).To(Equal([]any{"contact_id", "name", "updated"}))
		Expect(b["Event"]).To(Equal("contact.changed"))
		Expect(coreNum(b["PrimaryKey"])).To(Equal(int64(18)))
		Expect(b["Entity"]).To(Equal("contact"))
		Expect(b["ContextIdentifier"]).To(Equal("Default"))
		Expect(coreNum(b["ChangedByAssociateId"])).To(Equal(int64(12)))
		Expect(b["WebhookName"]).To(Equal(w.Name))
		Expect(string(h.Body)).NotTo(ContainSubstring("Acme"), "values are not sent to HTTP hooks (§9 #15)")
	})

	It("uses the part before the first dot as Entity and accepts primary key 0", func() {
		createCoreHook(s, "list", target.URL(), "list.category.created")
		Expect(s.Signal(coreCtx, coreAdmin, "list.category.created", 0, nil)).To(Succeed())
		b := target.WaitDeliveries(1)[0].JSON()
		Expect(b["Entity"]).To(Equal("list"))
		Expect(coreNum(b["PrimaryKey"])).To(BeZero())
		Expect(b["Changes"]).To(Equal([]any{}))
	})

	It("sends ContextIdentifier from the options", func() {
		s = newCoreService(reference.Options{ContextIdentifier: "Cust12345"})
		createCoreHook(s, "ctx", target.URL(), "a.b")
		Expect(s.Signal(coreCtx, coreAdmin, "a.b", 1, nil)).To(Succeed())
		Expect(target.WaitDeliveries(1)[0].JSON()["ContextIdentifier"]).To(Equal("Cust12345"))
	})

	It("merges Properties after the standard members without replacing them (§9 #14)", func() {
		_, err := s.Create(coreCtx, coreAdmin, reference.Webhook{
			Events: []string{"a.b"}, TargetURL: target.URL(),
			Properties: map[string]any{"zeta": 1, "alpha": "x", "EventId": "evil", "webhookname": "evil", "nested": map[string]any{"k": true}},
		})
		Expect(err).NotTo(HaveOccurred())
		Expect(s.Signal(coreCtx, coreAdmin, "a.b", 1, nil)).To(Succeed())
		h := target.WaitDeliveries(1)[0]
		b := h.JSON()
		Expect(b["alpha"]).To(Equal("x"))
		Expect(coreNum(b["zeta"])).To(Equal(int64(1)))
		Expect(b["nested"]).To(Equal(map[string]any{"k": true}))
		Expect(b["EventId"]).To(Equal(h.EventID()))
		Expect(b["WebhookName"]).To(BeNil())
		Expect(b).NotTo(HaveKey("webhookname"))
		raw := string(h.Body)
		Expect(strings.Index(raw, `"WebhookName"`)).To(BeNumerically("<", strings.Index(raw, `"alpha"`)))
	})

	It("nests Properties when PropertiesPlacement is nested", func() {
		s = newCoreService(reference.Options{PropertiesPlacement: "nested"})
		_, err := s.Create(coreCtx, coreAdmin, reference.Webhook{
			Events: []string{"a.b"}, TargetURL: target.URL(), Properties: map[string]any{"p": "v"},
		})
		Expect(err).NotTo(HaveOccurred())
		Expect(s.Signal(coreCtx, coreAdmin, "a.b", 1, nil)).To(Succeed())
		b := target.WaitDeliveries(1)[0].JSON()
		Expect(b["Properties"]).To(Equal(map[string]any{"p": "v"}))
		Expect(b).NotTo(HaveKey("p"))
	})

	It("sends the data values as FieldValues with SignalValues (§9 #15)", func() {
		s = newCoreService(reference.Options{SignalValues: true})
		createCoreHook(s, "vals", target.URL(), "a.b")
		Expect(s.Signal(coreCtx, coreAdmin, "a.b", 1, map[string]any{"name": "Acme"})).To(Succeed())
		b := target.WaitDeliveries(1)[0].JSON()
		Expect(b["FieldValues"]).To(Equal(map[string]any{"name": "Acme"}))
	})

	It("reaches only Active hooks subscribed to the exact name, case-insensitively (§4.1, §9 #16)", func() {
		others := newCoreTarget(false)
		createCoreHook(s, "exact", target.URL(), "contact.created")
		createCoreHook(s, "upper", target.URL(), "Contact.Created")
		createCoreHook(s, "other event", others.URL(), "contact.deleted")
		createCoreHook(s, "prefix", others.URL(), "contact")
		createCoreHook(s, "wildcard", others.URL(), "contact.*")
		stopped := createCoreHook(s, "stopped", others.URL(), "contact.created")
		setCoreState(s, coreAdmin, stopped.WebhookID, reference.StateStopped)
		broken := createCoreHook(s, "broken", others.URL(), "contact.created")
		setCoreState(s, coreAdmin, broken.WebhookID, reference.StateTooManyErrors)

		Expect(s.Signal(coreCtx, coreAdmin, "contact.created", 7, nil)).To(Succeed())
		hits := target.WaitDeliveries(2)
		names := []any{hits[0].JSON()["WebhookName"], hits[1].JSON()["WebhookName"]}
		Expect(names).To(ConsistOf("exact", "upper"))
		Consistently(others.DeliveryCount, 100*time.Millisecond, 10*time.Millisecond).Should(BeZero())
		Consistently(target.DeliveryCount, 50*time.Millisecond, 10*time.Millisecond).Should(Equal(2))
	})

	It("fans out to every subscriber, each with its own name", func() {
		targets := make([]*coreTarget, 5)
		for i := range targets {
			targets[i] = newCoreTarget(false)
			createCoreHook(s, fmt.Sprintf("hook-%d", i), targets[i].URL(), "sale.sold")
		}
		Expect(s.Signal(coreCtx, coreAdmin, "sale.sold", 3, nil)).To(Succeed())
		for i, t := range targets {
			Expect(t.WaitDeliveries(1)[0].JSON()["WebhookName"]).To(Equal(fmt.Sprintf("hook-%d", i)))
		}
		for _, t := range targets {
			Consistently(t.DeliveryCount, 30*time.Millisecond, 10*time.Millisecond).Should(Equal(1))
		}
	})

	It("delivers one hook's events in order", func() {
		createCoreHook(s, "ordered", target.URL(), "a.b")
		for pk := int32(1); pk <= 20; pk++ {
			Expect(s.Signal(coreCtx, coreAdmin, "a.b", pk, nil)).To(Succeed())
		}
		hits := target.WaitDeliveries(20)
		for i, h := range hits {
			Expect(coreNum(h.JSON()["PrimaryKey"])).To(Equal(int64(i + 1)))
		}
	})

	It("returns at once, even while the target hangs (fire-and-forget)", func() {
		createCoreHook(s, "hung", target.URL(), "a.b")
		target.AnswerAll(coreAnswer{Hang: true})
		start := time.Now()
		for range 10 {
			Expect(s.Signal(coreCtx, coreAdmin, "a.b", 1, nil)).To(Succeed())
		}
		Expect(time.Since(start)).To(BeNumerically("<", 500*time.Millisecond))
		target.WaitDeliveries(1)
	})

	It("rejects an empty event name", func() {
		Expect(coreKind(s.Signal(coreCtx, coreAdmin, " ", 1, nil))).To(Equal(reference.KindInvalid))
	})

	It("runs crmscript hooks through the ScriptRunner with the §4.7 parameters, without HTTP", func() {
		w, err := s.Create(coreCtx, coreAdmin, reference.Webhook{
			Name: "script", Events: []string{"person.created"}, TargetURL: "my_include", Type: "crmscript",
			Properties: map[string]any{"extra": "p", "Event": "evil"},
		})
		Expect(err).NotTo(HaveOccurred())
		Expect(s.Signal(coreCtx, coreAdmin, "person.created", 33, map[string]any{"firstname": "Ann"})).To(Succeed())
		rec := s.ScriptRunner().(*reference.ScriptRecorder)
		Eventually(rec.Count).Should(Equal(1))
		call := rec.Calls()[0]
		Expect(call.WebhookID).To(Equal(w.WebhookID))
		Expect(call.Include).To(Equal("my_include"))
		Expect(call.Params).To(HaveKeyWithValue("Changes.firstname", "Ann"))
		Expect(call.Params).To(HaveKeyWithValue("ChangedByAssociateId", int32(5)))
		Expect(call.Params).To(HaveKeyWithValue("ContextIdentifier", "Default"))
		Expect(call.Params).To(HaveKeyWithValue("Entity", "person"))
		Expect(call.Params).To(HaveKeyWithValue("Event", "person.created"))
		Expect(call.Params).To(HaveKeyWithValue("PrimaryKey", int32(33)))
		Expect(call.Params).To(HaveKeyWithValue("extra", "p"))
		Expect(call.Params["EventId"]).To(MatchRegexp(coreGUID.String()))
		Expect(call.Params["Timestamp"]).To(MatchRegexp(corePayloadTime.String()))
		Eventually(coreUsage(s, w.WebhookID)).Should(HaveField("TotalCalls", int64(1)))
		Expect(target.Hits()).To(BeEmpty())
	})
})
