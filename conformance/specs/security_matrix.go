package specs

import (
	"context"
	"encoding/json"
	"net/http"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/conformance/driver"
	. "github.com/hookcheck/hookcheck/conformance/framework"
)

// authCall is one operation of a front end, made through a driver whose
// credentials the spec chose.
type authCall struct {
	name string
	call func(ctx context.Context, d driver.Driver) error
}

// authCalls returns every operation of the parity table (spec §2.6) aimed
// at the existing webhook and at a new definition in, PATCH only where the
// style offers it.
func authCalls(st driver.Style, existing *driver.Webhook, in driver.Webhook) []authCall {
	upd := *existing
	upd.Name = in.Name + "-renamed"
	calls := []authCall{
		{"Default", func(ctx context.Context, d driver.Driver) error { _, err := d.Default(ctx); return err }},
		{"List", func(ctx context.Context, d driver.Driver) error { _, err := d.List(ctx, driver.Filter{}); return err }},
		{"Get", func(ctx context.Context, d driver.Driver) error { _, err := d.Get(ctx, existing.ID); return err }},
		{"Create", func(ctx context.Context, d driver.Driver) error { _, err := d.Create(ctx, in); return err }},
		{"Update", func(ctx context.Context, d driver.Driver) error { _, err := d.Update(ctx, upd); return err }},
		{"Delete", func(ctx context.Context, d driver.Driver) error { return d.Delete(ctx, existing.ID) }},
		{"TestWebhook", func(ctx context.Context, d driver.Driver) error { _, err := d.Test(ctx, in); return err }},
		{"SignalEvent", func(ctx context.Context, d driver.Driver) error { return d.Signal(ctx, existing.Events[0], 1, nil) }},
		{"LastError", func(ctx context.Context, d driver.Driver) error { _, err := d.LastError(ctx, existing.ID); return err }},
	}
	if st == driver.REST {
		calls = append(calls, authCall{"Patch", func(ctx context.Context, d driver.Driver) error {
			_, err := d.Patch(ctx, existing.ID, driver.Patch{Ops: []driver.PatchOp{{Op: "replace", Path: "/Name", Value: upd.Name}}})
			return err
		}})
	}
	return calls
}

// expectNoSideEffect checks that the refused calls of authCalls changed
// nothing: in was not stored, existing is unchanged, ch got no test event
// beyond the first one and no delivery of existing's event.
func expectNoSideEffect(s *Scenario, ch *Channel, existing *driver.Webhook, in driver.Webhook, what string) {
	GinkgoHelper()
	Expect(s.Stored(in.Name)).To(BeFalse(), "a webhook was stored %s", what)
	got, err := s.REST.Get(s.Ctx(), existing.ID)
	Expect(err).NotTo(HaveOccurred(), "the webhook is still there after the calls %s", what)
	Expect(got).NotTo(BeNil(), "the webhook was deleted %s", what)
	Expect(got.Name).To(Equal(existing.Name), "the webhook was changed %s", what)
	Expect(ch.Events(TestEvent, 0)).To(HaveLen(1), "a call %s sent a test event", what)
	sentinel := s.Sentinel(s.Event("sentinel"))
	s.Signal(s.Event("sentinel"), 1, nil)
	sentinel.AwaitDelivery(s.Event("sentinel"), 0, 1)
	ch.Quiet(existing.Events[0], 0, 0, "a SignalEvent "+what+" was delivered")
}

// Spec area "security", the authentication matrix: every operation of
// every front end without credentials, every scheme the target accepts,
// the cookie session's X-XSRF-TOKEN and, Online, the app token (spec
// §2.1, §2.5, §8).
var _ = Describe("security", func() {
	if !Area() {
		return
	}
	withConfig := func(s *Scenario, st driver.Style, mod func(*driver.Config)) driver.Driver {
		GinkgoHelper()
		d, err := s.Env.DriverWith(st, mod)
		Expect(err).NotTo(HaveOccurred())
		return d
	}
	// schemesOf returns the credentials the target accepts that front end
	// st documents: all of them for REST and Agents, the ticket for SOAP.
	schemesOf := func(s *Scenario, st driver.Style) []driver.Auth {
		var out []driver.Auth
		for _, a := range s.Env.Target.Schemes() {
			if st != driver.SOAP || a.Scheme == driver.SchemeSoTicket {
				out = append(out, a)
			}
		}
		if len(out) == 0 {
			SkipBecause("the target was given no credential this front end documents (SOAP takes a SoTicket ticket; pass --auth soticket:...)")
		}
		return out
	}

	ForStyles([]driver.Style{driver.REST, driver.Agents}, func(st driver.Style) {
		It("refuses every operation without credentials with 401 and the error body", Clause("WH-SEC-006", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			anon := withConfig(s, st, func(c *driver.Config) { c.Auth = driver.Auth{} })
			ch := s.Channel()
			existing := s.CreateVia(s.D, s.Hook(ch))
			in := s.Hook(ch)
			for _, op := range authCalls(st, existing, in) {
				de := ExpectRefused(op.call(ctx, anon), op.name+" without credentials")
				Expect(de.Status).To(Equal(http.StatusUnauthorized), "%s without credentials answers 401: %s", op.name, de.Body)
				ExpectErrorBody(de)
			}
			expectNoSideEffect(s, ch, existing, in, "without credentials")
		})

		It("refuses a cookie session without X-XSRF-TOKEN", Clause("WH-SEC-009", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			anon := withConfig(s, st, func(c *driver.Config) { c.Auth = driver.Auth{} })
			in := s.Hook(s.Channel())
			body, err := json.Marshal(restWebhookBody(in))
			Expect(err).NotTo(HaveOccurred())
			xsrf := "hookcheck-xsrf-" + RandomHex(8)
			cookie := http.Header{"Cookie": {"SuperOffice.Session=hookcheck-" + RandomHex(12) + "; XSRF-TOKEN=" + xsrf}}
			forged := http.Header{"Cookie": cookie["Cookie"], "X-Xsrf-Token": {xsrf}}
			for _, h := range []struct {
				what   string
				header http.Header
			}{{"a session cookie without X-XSRF-TOKEN", cookie}, {"a session cookie the target never issued, with its X-XSRF-TOKEN", forged}} {
				var list, save *driver.Response
				switch st {
				case driver.REST:
					rd := anon.(*driver.RESTDriver)
					list, err = rd.Do(ctx, http.MethodGet, "/api/v1/Webhook", nil, h.header)
					Expect(err).NotTo(HaveOccurred())
					save, err = rd.Do(ctx, http.MethodPost, "/api/v1/Webhook", body, h.header)
				default:
					ad := anon.(*driver.AgentsDriver)
					list, err = ad.Do(ctx, http.MethodPost, "GetAllWebhooks", nil, []byte(`{}`), h.header)
					Expect(err).NotTo(HaveOccurred())
					save, err = ad.Do(ctx, http.MethodPost, "SaveWebhook", nil, body, h.header)
				}
				Expect(err).NotTo(HaveOccurred())
				for _, r := range []*driver.Response{list, save} {
					Expect(r.Status).To(Equal(http.StatusUnauthorized), "a call with %s answers 401: %s", h.what, r.Body)
				}
			}
			Expect(s.Stored(in.Name)).To(BeFalse(), "a save with only a session cookie was stored")
		})
	})

	Context("soap", func() {
		const st = driver.SOAP
		It("refuses every operation without credentials with a Fault or ExceptionInfo", Clause("WH-SEC-012", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			anon := withConfig(s, st, func(c *driver.Config) { c.Auth = driver.Auth{} })
			ch := s.Channel()
			existing := s.CreateVia(s.D, s.Hook(ch))
			in := s.Hook(ch)
			for _, op := range authCalls(st, existing, in) {
				de := ExpectRefused(op.call(ctx, anon), op.name+" without Credentials")
				ExpectErrorBody(de)
			}
			expectNoSideEffect(s, ch, existing, in, "without Credentials")
		})
	})

	ForStyles(driver.Styles, func(st driver.Style) {
		It("accepts every scheme the target accepts", Clause("WH-SEC-007", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			for _, a := range schemesOf(s, st) {
				d := withConfig(s, st, func(c *driver.Config) { c.Auth = a })
				def, err := d.Default(ctx)
				Expect(err).NotTo(HaveOccurred(), "Default with %s", a)
				Expect(def).NotTo(BeNil())
				created, err := s.TryCreate(d, s.Hook(s.Channel()))
				Expect(err).NotTo(HaveOccurred(), "Create with %s", a)
				got, err := d.Get(ctx, created.ID)
				Expect(err).NotTo(HaveOccurred(), "Get with %s", a)
				Expect(got).NotTo(BeNil(), "Get with %s", a)
				Expect(got.Name).To(Equal(created.Name))
				Expect(d.Delete(ctx, created.ID)).To(Succeed(), "Delete with %s", a)
			}
		})

		It("refuses wrong credentials of every scheme the target accepts", Clause("WH-SEC-008", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			for _, a := range schemesOf(s, st) {
				d := withConfig(s, st, func(c *driver.Config) { c.Auth = a.Wrong() })
				_, err := d.List(ctx, driver.Filter{})
				de := ExpectRefused(err, "List with a wrong "+a.Scheme)
				if st != driver.SOAP {
					Expect(de.Status).To(Equal(http.StatusUnauthorized), "List with a wrong %s answers 401: %s", a.Scheme, de.Body)
				}
				ExpectErrorBody(de)
				in := s.Hook(s.Channel())
				_, err = s.TryCreate(d, in)
				ExpectRefused(err, "Create with a wrong "+a.Scheme)
				Expect(s.Stored(in.Name)).To(BeFalse(), "a save with a wrong %s was stored", a.Scheme)
			}
		})

		It("refuses every scoped operation without an app token when Online", Clause("WH-SEC-010", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			if !s.Profile().Online {
				SkipBecause("the target is on-site: app tokens are checked Online only (pass --online)")
			}
			tokenless := withConfig(s, st, func(c *driver.Config) { c.AppToken = "" })
			ch := s.Channel()
			existing := s.CreateVia(s.D, s.Hook(ch))
			in := s.Hook(ch)
			for _, op := range authCalls(st, existing, in) {
				if op.name == "Default" {
					continue // §8 scopes list, get, save, delete, test, last-error and signal
				}
				err := op.call(ctx, tokenless)
				de := ExpectRefused(err, op.name+" without "+map[bool]string{true: "ApplicationToken", false: "SO-AppToken"}[st == driver.SOAP])
				ExpectErrorBody(de)
			}
			expectNoSideEffect(s, ch, existing, in, "without an app token")
		})

		It("delivers a signalled event only to the calling app's webhooks when Online", Clause("WH-SEC-011", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			if !s.Profile().Online {
				SkipBecause("the target is on-site: app isolation applies Online only (pass --online)")
			}
			other := withConfig(s, st, func(c *driver.Config) { c.AppToken = "hookcheck-other-app-" + RandomHex(4) })
			event := s.Event("changed")
			chMine, chTheirs := s.Channel(), s.Channel()
			s.CreateVia(s.D, s.Hook(chMine))
			theirs, err := other.Create(ctx, s.Hook(chTheirs))
			Expect(err).NotTo(HaveOccurred(), "the other app creates its webhook")
			DeferCleanup(func() { _ = other.Delete(context.WithoutCancel(ctx), theirs.ID) })
			Expect(other.Signal(ctx, event, 7, nil)).To(Succeed(), "the other app signals %s", event)
			chTheirs.AwaitDelivery(event, 0, 1)
			s.Signal(event, 8, nil)
			mine := chMine.AwaitDelivery(event, 0, 1)
			Expect(Body(mine[0]).Get("PrimaryKey").Int()).To(Equal(int64(8)), "this app's webhook got the other app's event")
			chMine.Quiet(event, 0, 1, "another app's SignalEvent reached this app's webhook")
			Expect(chTheirs.Events(event, 0)).To(HaveLen(1), "this app's SignalEvent reached the other app's webhook")
		})
	})
})
