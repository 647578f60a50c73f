package specs

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/tidwall/gjson"

	"github.com/hookcheck/hookcheck/conformance/driver"
	. "github.com/hookcheck/hookcheck/conformance/framework"
	"github.com/hookcheck/hookcheck/receiver/api"
)

// Spec area "delivery": SignalEvent and the HTTP request each subscribed
// Active webhook gets (spec §4).
var _ = Describe("delivery", func() {
	if !Area() {
		return
	}
	// subscribed creates a webhook on a new channel for the scenario's
	// "changed" event (mods adjust it) and returns both.
	subscribed := func(s *Scenario, mods ...func(*driver.Webhook)) (*Channel, *driver.Webhook) {
		GinkgoHelper()
		ch := s.Channel()
		return ch, s.Create(s.Hook(ch, mods...))
	}

	for _, st := range driver.Styles {
		Context(string(st), func() {
			It("delivers a signalled event to the subscribed webhook", Clause("WH-DLV-001", st), func(ctx SpecContext) {
				s := Begin(ctx, st)
				event := s.Entity + ".closed"
				ch, _ := subscribed(s, func(w *driver.Webhook) { w.Events = []string{event} })
				switch st {
				case driver.REST:
					resp, err := RESTOf(s).Do(ctx, http.MethodPost, "/api/v1/Webhook/"+url.PathEscape(event)+"/18", []byte(`{"name":"x"}`), nil)
					Expect(err).NotTo(HaveOccurred())
					Expect(resp.Status).To(Equal(http.StatusNoContent), "SignalEvent answers 204: %s", resp.Body)
				case driver.Agents:
					resp, err := AgentsOf(s).Do(ctx, http.MethodPost, "SignalEvent", nil, []byte(`{"EventName":"`+event+`","PrimaryKey":18,"Data":{"name":"x"}}`), nil)
					Expect(err).NotTo(HaveOccurred())
					Expect(resp.Status).To(Equal(http.StatusNoContent), "SignalEvent answers 204: %s", resp.Body)
				default:
					s.Signal(event, 18, map[string]any{"name": "x"})
				}
				c := ch.AwaitDelivery(event, 0, 1)[0]
				Expect(Body(c).Get("Event").String()).To(Equal(event))
				Expect(Body(c).Get("PrimaryKey").Int()).To(Equal(int64(18)))
			})

			It("sends JSON with the NetServer user agent", Clause("WH-DLV-003", st), func(ctx SpecContext) {
				s := Begin(ctx, st)
				ch, wh := subscribed(s)
				s.Signal(wh.Events[0], 1, nil)
				c := ch.AwaitDelivery(wh.Events[0], 0, 1)[0]
				ExpectJSONContentType(c)
				ExpectUserAgent(c)
			})

			It("names the event and its id in the headers", Clause("WH-DLV-004", st), func(ctx SpecContext) {
				s := Begin(ctx, st)
				ch, wh := subscribed(s)
				s.Signal(wh.Events[0], 1, nil)
				c := ch.AwaitDelivery(wh.Events[0], 0, 1)[0]
				Expect(c.Header(HeaderEvent)).To(Equal(wh.Events[0]))
				Expect(c.Header(HeaderEventID)).NotTo(BeEmpty())
				Expect(c.Header(HeaderEventID)).To(Equal(Body(c).Get("EventId").String()))
			})

			It("sends the documented payload fields", Clause("WH-DLV-005", st), func(ctx SpecContext) {
				s := Begin(ctx, st)
				ch, wh := subscribed(s)
				s.Signal(wh.Events[0], 42, map[string]any{"name": "x"})
				c := ch.AwaitDelivery(wh.Events[0], 0, 1)[0]
				b := ExpectPayloadFields(c, s.Profile(), false)
				Expect(b.Get("Event").String()).To(Equal(wh.Events[0]))
				Expect(b.Get("PrimaryKey").Int()).To(Equal(int64(42)))
				Expect(b.Get("WebhookName").String()).To(Equal(wh.Name))
				ts, err := time.Parse(time.RFC3339Nano, b.Get("Timestamp").String())
				Expect(err).NotTo(HaveOccurred())
				Expect(ts).To(BeTemporally("~", time.Now(), 10*time.Minute), "Timestamp is when the event happened")
			})

			It("signs every delivery over the raw body", Clause("WH-DLV-006", st), func(ctx SpecContext) {
				s := Begin(ctx, st)
				ch, wh := subscribed(s)
				s.Signal(wh.Events[0], 1, map[string]any{"name": "ÆØÅ \"quoted\" <tag>"})
				s.Signal(wh.Events[0], 2, nil)
				for _, c := range ch.AwaitDelivery(wh.Events[0], 0, 2) {
					Expect(c.Header(HeaderSignature)).NotTo(BeEmpty(), "call #%d carries X-SuperOffice-Signature", c.Seq)
					Expect(c.Signature).To(Equal(api.SignatureValid), "call #%d: X-SuperOffice-Signature %q is not base64(HMAC-SHA256(secret, raw body))", c.Seq, c.Header(HeaderSignature))
				}
			})

			It("sends the webhook's Headers", Clause("WH-DLV-010", st), func(ctx SpecContext) {
				s := Begin(ctx, st)
				trace := "t-" + RandomHex(4)
				ch, wh := subscribed(s, func(w *driver.Webhook) {
					w.Headers = map[string]string{"X-Hookcheck-Tenant": "acme", "X-Hookcheck-Trace": trace}
				})
				s.Signal(wh.Events[0], 1, nil)
				s.Signal(wh.Events[0], 2, nil)
				for _, c := range ch.AwaitDelivery(wh.Events[0], 0, 2) {
					Expect(c.Header("X-Hookcheck-Tenant")).To(Equal("acme"))
					Expect(c.Header("X-Hookcheck-Trace")).To(Equal(trace))
				}
			})

			It("injects Properties without overwriting the standard fields", Clause("WH-DLV-011", st), func(ctx SpecContext) {
				s := Begin(ctx, st)
				ch, wh := subscribed(s, func(w *driver.Webhook) {
					w.Properties = map[string]any{"hc_tenant": "acme", "hc_count": float64(7), "EventId": "forged", "Event": "forged"}
				})
				s.Signal(wh.Events[0], 1, nil)
				c := ch.AwaitDelivery(wh.Events[0], 0, 1)[0]
				b := Body(c)
				Expect(b.Get("Event").String()).To(Equal(wh.Events[0]), "a Property overwrote Event")
				Expect(b.Get("EventId").String()).To(Equal(c.Header(HeaderEventID)), "a Property overwrote EventId")
				Expect(strings.Count(c.Body, `"EventId"`)).To(BeNumerically("<=", 1+boolInt(s.Profile().Properties == "nested")), "EventId appears twice: %s", c.Body)
				prefix := ""
				if s.Profile().Properties == "nested" {
					prefix = "Properties."
				}
				Expect(b.Get(prefix+"hc_tenant").String()).To(Equal("acme"), "Properties placed %s: %s", s.Profile().Properties, c.Body)
				Expect(b.Get(prefix+"hc_count").Int()).To(Equal(int64(7)), "Properties placed %s: %s", s.Profile().Properties, c.Body)
			})
		})
	}

	Context("rest", func() {
		const st = driver.REST

		It("posts to the exact TargetUrl", Clause("WH-DLV-002", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			ch := s.Channel()
			in := s.Hook(ch, func(w *driver.Webhook) { w.TargetURL = ch.URL + "/deep/path?tenant=acme&x=1" })
			s.Create(in)
			s.Signal(in.Events[0], 1, nil)
			c := ch.AwaitDelivery(in.Events[0], 0, 1)[0]
			Expect(c.Method).To(Equal(http.MethodPost))
			Expect(c.Path).To(Equal("/hooks/" + ch.ID + "/deep/path"))
			Expect(c.Query).To(Equal("tenant=acme&x=1"))
		})

		It("lists the data keys in Changes and keeps the values out of HTTP bodies", Clause("WH-DLV-007", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			ch, wh := subscribed(s)
			secret := "value-" + RandomHex(6)
			s.Signal(wh.Events[0], 3, map[string]any{"name": secret, "category_idx": 4})
			c := ch.AwaitDelivery(wh.Events[0], 0, 1)[0]
			b := Body(c)
			Expect(Strings(b.Get("Changes"))).To(ConsistOf("name", "category_idx"))
			if s.Profile().SignalValues {
				Expect(b.Get("FieldValues.name").String()).To(Equal(secret), "data values are sent as FieldValues (--signal-values)")
			} else {
				Expect(c.Body).NotTo(ContainSubstring(secret), "a data value reached the HTTP body")
			}
		})

		It("sets Entity to the event name before the first dot", Clause("WH-DLV-008", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			event := s.Entity + ".category.changed"
			ch, _ := subscribed(s, func(w *driver.Webhook) { w.Events = []string{event} })
			s.Signal(event, 1, nil)
			c := ch.AwaitDelivery(event, 0, 1)[0]
			Expect(Body(c).Get("Entity").String()).To(Equal(s.Entity))
		})

		It("carries the primary key, 0 included", Clause("WH-DLV-009", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			ch, wh := subscribed(s)
			s.Signal(wh.Events[0], 4711, nil)
			s.Signal(wh.Events[0], 0, nil)
			keys := []int64{}
			for _, c := range ch.AwaitDelivery(wh.Events[0], 0, 2) {
				keys = append(keys, Body(c).Get("PrimaryKey").Int())
			}
			Expect(keys).To(ConsistOf(int64(4711), int64(0)))
		})

		It("delivers only to webhooks subscribed to the event", Clause("WH-DLV-012", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			chA, a := subscribed(s, func(w *driver.Webhook) { w.Events = []string{s.Event("one")} })
			chB, _ := subscribed(s, func(w *driver.Webhook) { w.Events = []string{s.Event("two")} })
			after := chB.Last()
			s.Signal(a.Events[0], 1, nil)
			chA.AwaitDelivery(a.Events[0], 0, 1)
			chB.Quiet("", after, 0, "a webhook subscribed to another event got a delivery")
		})

		It("does not deliver to a Stopped webhook", Clause("WH-DLV-013", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			ch, wh := subscribed(s, func(w *driver.Webhook) { w.State = driver.StateStopped })
			sentinel := s.Sentinel(wh.Events[0])
			s.Signal(wh.Events[0], 1, nil)
			sentinel.AwaitDelivery(wh.Events[0], 0, 1)
			ch.Quiet(wh.Events[0], 0, 0, "a Stopped webhook got a delivery")
		})

		It("gives every subscribed webhook its own delivery", Clause("WH-DLV-014", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			event := s.Event("changed")
			var chans []*Channel
			var hooks []*driver.Webhook
			for range 3 {
				ch, wh := subscribed(s, func(w *driver.Webhook) { w.Events = []string{event} })
				chans = append(chans, ch)
				hooks = append(hooks, wh)
			}
			s.Signal(event, 9, nil)
			for i, ch := range chans {
				calls := ch.AwaitDelivery(event, 0, 1)
				Expect(Body(calls[0]).Get("WebhookName").String()).To(Equal(hooks[i].Name))
			}
			chans[0].Quiet(event, 0, 1, "a webhook got the same event twice")
			for _, ch := range chans[1:] {
				Expect(ch.Events(event, 0)).To(HaveLen(1), "a webhook got the same event twice")
			}
		})

		It("matches event names exactly and case-insensitively", Clause("WH-DLV-015", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			event := s.Event("changed")
			ch, _ := subscribed(s, func(w *driver.Webhook) { w.Events = []string{event} })
			sentinel := s.Sentinel(s.Event("sentinel"))
			if s.Profile().EventMatch == "exact-ci" {
				before := ch.Last()
				s.Signal(strings.ToUpper(event), 1, nil)
				calls := ch.AwaitDelivery("", before, 1)
				Expect(strings.EqualFold(calls[0].Header(HeaderEvent), event)).To(BeTrue())
			}
			after := ch.Last()
			for _, near := range []string{s.Entity + ".chang", event + "d", s.Entity + ".*", s.Entity} {
				s.Signal(near, 2, nil)
			}
			s.Signal(s.Event("sentinel"), 3, nil)
			sentinel.AwaitDelivery(s.Event("sentinel"), 0, 1)
			ch.Quiet("", after, 0, "an event name that only resembles the subscription was delivered")
		})

		It("returns from SignalEvent without waiting for the delivery", Clause("WH-DLV-016", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			ch, wh := subscribed(s)
			hold := 2 * time.Second
			ch.Script(AnswerAfter(wh.Events[0], 200, hold, 0))
			start := time.Now()
			s.Signal(wh.Events[0], 1, nil)
			took := time.Since(start)
			ch.AwaitDelivery(wh.Events[0], 0, 1)
			Expect(took).To(BeDuration("<", hold/2), "SignalEvent took %s while the target held the delivery for %s", Human(took), hold)
		})

		It("gives different events different EventIds", Clause("WH-DLV-017", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			ch, wh := subscribed(s)
			s.Signal(wh.Events[0], 1, nil)
			s.Signal(wh.Events[0], 1, nil)
			calls := ch.AwaitDelivery(wh.Events[0], 0, 2)
			Expect(calls[0].EventID).NotTo(Equal(calls[1].EventID))
		})

		It("does not deliver to a deleted webhook", Clause("WH-DLV-018", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			ch, wh := subscribed(s)
			Expect(s.D.Delete(ctx, wh.ID)).To(Succeed())
			sentinel := s.Sentinel(wh.Events[0])
			s.Signal(wh.Events[0], 1, nil)
			sentinel.AwaitDelivery(wh.Events[0], 0, 1)
			ch.Quiet(wh.Events[0], 0, 0, "a deleted webhook got a delivery")
		})

		It("sends the configured ContextIdentifier", Clause("WH-DLV-019", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			ch, wh := subscribed(s)
			s.Signal(wh.Events[0], 1, nil)
			c := ch.AwaitDelivery(wh.Events[0], 0, 1)[0]
			ExpectContextIdentifier(Body(c), s.Profile())
			Expect(gjson.Get(ch.Events(TestEvent, 0)[0].Body, "ContextIdentifier").String()).To(Equal(Body(c).Get("ContextIdentifier").String()),
				"the test event and deliveries carry the same ContextIdentifier")
		})
	})
})

// boolInt is 1 for true and 0 for false.
func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
