package reference_test

import (
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/conformance/reference"
)

var _ = Describe("core: storage, defaults and validation", func() {
	var (
		s      *reference.Service
		target *coreTarget
	)
	BeforeEach(func() {
		target = newCoreTarget(false)
		s = newCoreService(reference.Options{})
	})

	It("returns the documented defaults (§1.2)", func() {
		d := s.Default()
		Expect(d).To(Equal(reference.Webhook{
			Events: []string{"contact.created", "contact.deleted"},
			State:  reference.StateActive,
			Type:   "webhook",
		}))
		d.Events[0] = "changed"
		Expect(s.Default().Events[0]).To(Equal("contact.created"), "Default hands out a fresh slice")
	})

	It("creates with ids from 1, sets the server-owned fields and ignores client values (§9 #27)", func() {
		client := reference.Webhook{
			WebhookID:           77,
			Name:                "first",
			Events:              []string{" contact.created "},
			TargetURL:           target.URL(),
			Registered:          time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC),
			RegisteredAssociate: &reference.Associate{AssociateID: 99},
			Updated:             time.Date(2002, 1, 1, 0, 0, 0, 0, time.UTC),
			UpdatedAssociate:    &reference.Associate{AssociateID: 98},
		}
		before := time.Now().UTC()
		w, err := s.Create(coreCtx, coreAdmin, client)
		Expect(err).NotTo(HaveOccurred())
		Expect(w.WebhookID).To(Equal(int32(1)))
		Expect(w.Events).To(Equal([]string{"contact.created"}))
		Expect(w.State).To(Equal(reference.StateActive), "State Unknown on create means Active")
		Expect(w.Type).To(Equal("webhook"))
		Expect(w.Registered).To(BeTemporally("~", before, 5*time.Second))
		Expect(w.Registered.Location()).To(Equal(time.UTC))
		Expect(w.RegisteredAssociate).To(Equal(coreAdmin.Associate))
		Expect(w.Updated.IsZero()).To(BeTrue())
		Expect(w.UpdatedAssociate).To(BeNil())

		w2 := createCoreHook(s, "second", target.URL(), "person.created")
		Expect(w2.WebhookID).To(Equal(int32(2)))
		got, err := s.Get(coreCtx, coreAdmin, 1)
		Expect(err).NotTo(HaveOccurred())
		Expect(got).To(Equal(w))
	})

	It("hands out copies that callers cannot use to change the store", func() {
		w := createCoreHook(s, "copy", target.URL(), "a.b")
		w.Events[0] = "mutated"
		got, _ := s.Get(coreCtx, coreAdmin, w.WebhookID)
		got.Events[0] = "mutated too"
		again, _ := s.Get(coreCtx, coreAdmin, w.WebhookID)
		Expect(again.Events).To(Equal([]string{"a.b"}))
	})

	It("reports a missing webhook as KindNotFound / SoNotFoundException", func() {
		_, err := s.Get(coreCtx, coreAdmin, 42)
		Expect(coreKind(err)).To(Equal(reference.KindNotFound))
		Expect(reference.AsError(err).Type).To(Equal("SoNotFoundException"))
		Expect(err.Error()).To(ContainSubstring("42"))
		_, err = s.Save(coreCtx, coreAdmin, reference.Webhook{WebhookID: 42, Events: []string{"a.b"}, TargetURL: target.URL()})
		Expect(coreKind(err)).To(Equal(reference.KindNotFound))
		Expect(coreKind(s.Delete(coreCtx, coreAdmin, 42))).To(Equal(reference.KindNotFound))
		_, err = s.LastError(coreCtx, coreAdmin, 42)
		Expect(coreKind(err)).To(Equal(reference.KindNotFound))
	})

	It("saves: id 0 creates, another id updates keeping Registered and stamping Updated", func() {
		w, err := s.Save(coreCtx, coreAdmin, reference.Webhook{Name: "saved", Events: []string{"a.b"}, TargetURL: target.URL()})
		Expect(err).NotTo(HaveOccurred())
		Expect(w.WebhookID).To(Equal(int32(1)))
		setCoreState(s, coreAdmin, w.WebhookID, reference.StateStopped)

		other := reference.Caller{Associate: &reference.Associate{AssociateID: 9}}
		up, err := s.Save(coreCtx, other, reference.Webhook{
			WebhookID: w.WebhookID, Name: "renamed", Events: []string{"c.d"}, TargetURL: target.URL(),
			Registered: time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC),
		})
		Expect(err).NotTo(HaveOccurred())
		Expect(up.Name).To(Equal("renamed"))
		Expect(up.Registered).To(Equal(w.Registered))
		Expect(up.RegisteredAssociate.AssociateID).To(Equal(int32(5)))
		Expect(up.Updated.IsZero()).To(BeFalse())
		Expect(up.UpdatedAssociate.AssociateID).To(Equal(int32(9)))
		Expect(up.State).To(Equal(reference.StateStopped), "State Unknown on update keeps the stored state")
	})

	It("creates through Create whatever WebhookID the body carries (§9 #17)", func() {
		createCoreHook(s, "one", target.URL(), "a.b")
		w, err := s.Create(coreCtx, coreAdmin, reference.Webhook{WebhookID: 1, Name: "two", Events: []string{"a.b"}, TargetURL: target.URL()})
		Expect(err).NotTo(HaveOccurred())
		Expect(w.WebhookID).To(Equal(int32(2)))
		all, _ := s.List(coreCtx, coreAdmin, reference.Filter{})
		Expect(all).To(HaveLen(2))
	})

	It("lists by id with each filter (§2.2 R2, §9 #16)", func() {
		empty, err := s.List(coreCtx, coreAdmin, reference.Filter{})
		Expect(err).NotTo(HaveOccurred())
		Expect(empty).NotTo(BeNil())
		Expect(empty).To(BeEmpty())

		createCoreHook(s, "Alpha", target.URL(), "contact.created", "person.created")
		createCoreHook(s, "beta", target.URL(), "sale.sold")
		createCoreHook(s, "alpha", target.URL(), "Contact.Created")
		setCoreState(s, coreAdmin, 3, reference.StateStopped)
		createCoreHook(s, "alphabet", target.URL(), "contact.created.x")

		ids := func(f reference.Filter) []int32 {
			ws, err := s.List(coreCtx, coreAdmin, f)
			Expect(err).NotTo(HaveOccurred())
			var out []int32
			for _, w := range ws {
				out = append(out, w.WebhookID)
			}
			return out
		}
		Expect(ids(reference.Filter{})).To(Equal([]int32{1, 2, 3, 4}))
		Expect(ids(reference.Filter{Name: "ALPHA"})).To(Equal([]int32{1, 3}), "name: exact, case-insensitive")
		Expect(ids(reference.Filter{Event: "contact.CREATED"})).To(Equal([]int32{1, 3}), "event: membership, case-insensitive")
		Expect(ids(reference.Filter{State: reference.StateStopped})).To(Equal([]int32{3}))
		Expect(ids(reference.Filter{State: reference.StateActive})).To(Equal([]int32{1, 2, 4}))
		Expect(ids(reference.Filter{Name: "alpha", Event: "contact.created", State: reference.StateActive})).To(Equal([]int32{1}))
		Expect(ids(reference.Filter{Name: "gamma"})).To(BeEmpty())
	})

	DescribeTable("rejects invalid saves with KindInvalid and stores nothing (§9 #25)",
		func(mutate func(w *reference.Webhook)) {
			w := reference.Webhook{Name: "bad", Events: []string{"contact.created"}, TargetURL: target.URL()}
			mutate(&w)
			_, err := s.Create(coreCtx, coreAdmin, w)
			Expect(coreKind(err)).To(Equal(reference.KindInvalid))
			Expect(reference.AsError(err).Type).To(Equal("ArgumentException"))
			all, _ := s.List(coreCtx, coreAdmin, reference.Filter{})
			Expect(all).To(BeEmpty())
			Expect(target.Hits()).To(BeEmpty(), "no URL check for an invalid hook")
		},
		Entry("nil Events", func(w *reference.Webhook) { w.Events = nil }),
		Entry("empty Events", func(w *reference.Webhook) { w.Events = []string{} }),
		Entry("a blank event name", func(w *reference.Webhook) { w.Events = []string{"a.b", "  "} }),
		Entry("a comma in an event name", func(w *reference.Webhook) { w.Events = []string{"a.b,c.d"} }),
		Entry("empty TargetUrl", func(w *reference.Webhook) { w.TargetURL = "" }),
		Entry("blank TargetUrl", func(w *reference.Webhook) { w.TargetURL = "   " }),
		Entry("relative TargetUrl", func(w *reference.Webhook) { w.TargetURL = "/hook" }),
		Entry("ftp TargetUrl", func(w *reference.Webhook) { w.TargetURL = "ftp://127.0.0.1/x" }),
		Entry("unknown Type", func(w *reference.Webhook) { w.Type = "email" }),
		Entry("out-of-range State", func(w *reference.Webhook) { w.State = 7 }),
		Entry("bad header name", func(w *reference.Webhook) { w.Headers = map[string]string{"Bad Name": "x"} }),
		Entry("header value with a line break", func(w *reference.Webhook) { w.Headers = map[string]string{"X-A": "a\r\nX-B: b"} }),
		Entry("unencodable property", func(w *reference.Webhook) { w.Properties = map[string]any{"f": func() {}} }),
		Entry("Name over 400 characters", func(w *reference.Webhook) { w.Name = strings.Repeat("n", 401) }),
		Entry("ErrorsEmail over 239 characters", func(w *reference.Webhook) { w.ErrorsEmail = strings.Repeat("e", 240) }),
	)

	It("accepts Type case-insensitively and stores it in lower case", func() {
		w, err := s.Create(coreCtx, coreAdmin, reference.Webhook{Events: []string{"a.b"}, TargetURL: target.URL(), Type: "WebHook"})
		Expect(err).NotTo(HaveOccurred())
		Expect(w.Type).To(Equal("webhook"))
		w, err = s.Create(coreCtx, coreAdmin, reference.Webhook{Events: []string{"a.b"}, TargetURL: "my_include", Type: "CRMScript"})
		Expect(err).NotTo(HaveOccurred())
		Expect(w.Type).To(Equal("crmscript"))
	})

	It("modifies through a function, aborting when it fails", func() {
		w := createCoreHook(s, "mod", target.URL(), "a.b")
		_, err := s.Modify(coreCtx, coreAdmin, w.WebhookID, reference.Condition{}, func(h *reference.Webhook) error {
			h.Name = "never stored"
			return reference.Errorf(reference.KindConflict, "SoConflictException", "test op failed")
		})
		Expect(coreKind(err)).To(Equal(reference.KindConflict))
		got, _ := s.Get(coreCtx, coreAdmin, w.WebhookID)
		Expect(got.Name).To(Equal("mod"))

		up, err := s.Modify(coreCtx, coreAdmin, w.WebhookID, reference.Condition{}, func(h *reference.Webhook) error {
			h.Name = "stored"
			h.WebhookID = 999 // the path id wins
			return nil
		})
		Expect(err).NotTo(HaveOccurred())
		Expect(up.WebhookID).To(Equal(w.WebhookID))
		Expect(up.Name).To(Equal("stored"))
		_, err = s.Modify(coreCtx, coreAdmin, 999, reference.Condition{}, func(*reference.Webhook) error { return nil })
		Expect(coreKind(err)).To(Equal(reference.KindNotFound))
	})

	It("honours If-Unmodified-Since (412 when changed later)", func() {
		w := createCoreHook(s, "cond", target.URL(), "a.b")
		rename := func(since time.Time) error {
			_, err := s.Modify(coreCtx, coreAdmin, w.WebhookID, reference.Condition{IfUnmodifiedSince: since}, func(h *reference.Webhook) error {
				h.Name = "changed"
				return nil
			})
			return err
		}
		err := rename(w.Registered.Add(-time.Hour).Truncate(time.Second))
		Expect(coreKind(err)).To(Equal(reference.KindPreconditionFailed))
		got, _ := s.Get(coreCtx, coreAdmin, w.WebhookID)
		Expect(got.Name).To(Equal("cond"))
		Expect(rename(w.Registered.Add(time.Second).Truncate(time.Second))).To(Succeed())
	})

	It("deletes and never reuses an id", func() {
		createCoreHook(s, "one", target.URL(), "a.b")
		two := createCoreHook(s, "two", target.URL(), "a.b")
		Expect(s.Delete(coreCtx, coreAdmin, two.WebhookID)).To(Succeed())
		_, err := s.Get(coreCtx, coreAdmin, two.WebhookID)
		Expect(coreKind(err)).To(Equal(reference.KindNotFound))
		three := createCoreHook(s, "three", target.URL(), "a.b")
		Expect(three.WebhookID).To(Equal(int32(3)))
	})

	It("seeds rows through SaveRow without the URL check, keeping given audit fields (§3)", func() {
		target.AnswerTests(coreAnswer{Status: 500})
		reg := time.Date(2020, 5, 1, 10, 0, 0, 0, time.UTC)
		w, err := s.SaveRow(coreCtx, coreAdmin, reference.Webhook{
			Name: "row", Events: []string{"a.b"}, TargetURL: target.URL(), Registered: reg,
		})
		Expect(err).NotTo(HaveOccurred())
		Expect(w.Registered).To(Equal(reg))
		Expect(target.Hits()).To(BeEmpty())
		_, err = s.SaveRow(coreCtx, coreAdmin, reference.Webhook{Name: "row", Events: nil, TargetURL: target.URL()})
		Expect(coreKind(err)).To(Equal(reference.KindInvalid), "SaveRow still validates")
		_, err = s.Save(coreCtx, coreAdmin, w)
		Expect(coreKind(err)).To(Equal(reference.KindVerificationFailed), "an API save of the same row is checked")
	})

	It("fails every call after Close", func() {
		w := createCoreHook(s, "x", target.URL(), "a.b")
		Expect(s.Close()).To(Succeed())
		Expect(s.Close()).To(Succeed(), "Close is idempotent")
		_, err := s.Get(coreCtx, coreAdmin, w.WebhookID)
		Expect(coreKind(err)).To(Equal(reference.KindInternal))
		Expect(coreKind(s.Signal(coreCtx, coreAdmin, "a.b", 1, nil))).To(Equal(reference.KindInternal))
		_, err = s.Create(coreCtx, coreAdmin, w)
		Expect(coreKind(err)).To(Equal(reference.KindInternal))
	})
})

var _ = Describe("core: Online app isolation (§8)", func() {
	It("scopes every call to the caller's application token", func() {
		target := newCoreTarget(false)
		s := newCoreService(reference.Options{Online: true})
		appA := reference.Caller{Associate: coreAdmin.Associate, AppToken: "app-a"}
		appB := reference.Caller{Associate: coreAdmin.Associate, AppToken: "app-b"}

		a, err := s.Create(coreCtx, appA, reference.Webhook{Name: "a", Events: []string{"a.b"}, TargetURL: target.URL()})
		Expect(err).NotTo(HaveOccurred())

		listB, err := s.List(coreCtx, appB, reference.Filter{})
		Expect(err).NotTo(HaveOccurred())
		Expect(listB).To(BeEmpty())
		listA, _ := s.List(coreCtx, appA, reference.Filter{})
		Expect(listA).To(HaveLen(1))

		_, err = s.Get(coreCtx, appB, a.WebhookID)
		Expect(coreKind(err)).To(Equal(reference.KindNotFound))
		_, err = s.Save(coreCtx, appB, reference.Webhook{WebhookID: a.WebhookID, Events: []string{"x.y"}, TargetURL: target.URL()})
		Expect(coreKind(err)).To(Equal(reference.KindNotFound))
		_, err = s.Modify(coreCtx, appB, a.WebhookID, reference.Condition{}, func(*reference.Webhook) error { return nil })
		Expect(coreKind(err)).To(Equal(reference.KindNotFound))
		Expect(coreKind(s.Delete(coreCtx, appB, a.WebhookID))).To(Equal(reference.KindNotFound))
		_, err = s.LastError(coreCtx, appB, a.WebhookID)
		Expect(coreKind(err)).To(Equal(reference.KindNotFound))
		_, err = s.Usage(coreCtx, appB, a.WebhookID)
		Expect(coreKind(err)).To(Equal(reference.KindNotFound))

		_, err = s.List(coreCtx, reference.Caller{Associate: coreAdmin.Associate}, reference.Filter{})
		Expect(coreKind(err)).To(Equal(reference.KindForbidden), "Online calls need an application token")
		Expect(reference.AsError(err).Type).To(Equal("SoAccessDeniedException"))
		_, err = s.Test(coreCtx, reference.Caller{}, reference.Webhook{TargetURL: target.URL()})
		Expect(coreKind(err)).To(Equal(reference.KindForbidden))

		got, err := s.Get(coreCtx, appA, a.WebhookID)
		Expect(err).NotTo(HaveOccurred())
		Expect(got.Name).To(Equal("a"))
		Expect(s.Delete(coreCtx, appA, a.WebhookID)).To(Succeed())
	})

	It("delivers a signalled event only to the calling app's hooks", func() {
		targetA, targetB := newCoreTarget(false), newCoreTarget(false)
		s := newCoreService(reference.Options{Online: true})
		appA := reference.Caller{Associate: coreAdmin.Associate, AppToken: "app-a"}
		appB := reference.Caller{Associate: coreAdmin.Associate, AppToken: "app-b"}
		_, err := s.Create(coreCtx, appA, reference.Webhook{Events: []string{"a.b"}, TargetURL: targetA.URL()})
		Expect(err).NotTo(HaveOccurred())
		_, err = s.Create(coreCtx, appB, reference.Webhook{Events: []string{"a.b"}, TargetURL: targetB.URL()})
		Expect(err).NotTo(HaveOccurred())

		Expect(coreKind(s.Signal(coreCtx, reference.Caller{Associate: coreAdmin.Associate}, "a.b", 1, nil))).To(Equal(reference.KindForbidden),
			"Online SignalEvent needs an application token")
		Expect(s.Signal(coreCtx, appB, "a.b", 2, nil)).To(Succeed())
		targetB.WaitDeliveries(1)
		Expect(s.Signal(coreCtx, appA, "a.b", 3, nil)).To(Succeed())
		targetA.WaitDeliveries(1)
		Expect(s.Signal(coreCtx, appB, "a.b", 4, nil)).To(Succeed())
		targetB.WaitDeliveries(2)
		Expect(targetA.DeliveryCount()).To(Equal(1), "app B's events never reached app A's hook")
		Expect(targetB.DeliveryCount()).To(Equal(2), "app A's event never reached app B's hook")
	})

	It("does not scope anything on-site", func() {
		target := newCoreTarget(false)
		s := newCoreService(reference.Options{})
		a, err := s.Create(coreCtx, reference.Caller{AppToken: "app-a"}, reference.Webhook{Events: []string{"a.b"}, TargetURL: target.URL()})
		Expect(err).NotTo(HaveOccurred())
		_, err = s.Get(coreCtx, reference.Caller{AppToken: "app-b"}, a.WebhookID)
		Expect(err).NotTo(HaveOccurred())
	})
})
