package specs

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/tidwall/gjson"

	"github.com/hookcheck/hookcheck/conformance/driver"
	. "github.com/hookcheck/hookcheck/conformance/framework"
	"github.com/hookcheck/hookcheck/receiver/api"
)

// parityOp is one row of the parity table: an operation run through the
// style under test and compared with the other front ends (spec §2.6).
type parityOp struct {
	name   string
	clause string
	run    func(s *Scenario, d driver.Driver)
}

// Spec area "parity": the same operations through REST, Agents and SOAP
// give equivalent entities, errors and side effects (spec §2.6).
var _ = Describe("parity", func() {
	if !Area() {
		return
	}
	ops := []parityOp{
		{"defaults", "WH-PAR-001", parityDefaults},
		{"create then read everywhere", "WH-PAR-002", parityCreate},
		{"list filters", "WH-PAR-003", parityList},
		{"update", "WH-PAR-004", parityUpdate},
		{"delete", "WH-PAR-005", parityDelete},
		{"invalid save", "WH-PAR-006", parityInvalid},
		{"TestWebhook", "WH-PAR-007", parityTest},
		{"SignalEvent", "WH-PAR-008", paritySignal},
		{"LastError", "WH-PAR-009", parityLastError},
		{"failed URL check", "WH-PAR-010", parityURLCheck},
		{"deliveries of a webhook created there", "WH-PAR-011", parityCreatedDelivers},
	}
	var entries []TableEntry
	for _, op := range ops {
		for _, st := range driver.Styles {
			entries = append(entries, Entry(fmt.Sprintf("%s through %s", op.name, st), Clause(op.clause, st), op, st))
		}
	}
	DescribeTable("operations × styles", func(ctx SpecContext, op parityOp, st driver.Style) {
		s := Begin(ctx, st)
		op.run(s, s.D)
	}, entries)
	// The SOAP dimension: every operation also through the SOAP version
	// the run's driver does not speak, so SOAP 1.1 and 1.2 both run in
	// every run (spec §9 #20).
	var versions []TableEntry
	for _, op := range ops {
		versions = append(versions, Entry(op.name+" through soap in the other SOAP version", Clause(op.clause, driver.SOAP), op))
	}
	DescribeTable("operations × the other SOAP version", func(ctx SpecContext, op parityOp) {
		s := Begin(ctx, driver.SOAP)
		op.run(s, soapIn(s, otherSOAPVersion(s.Profile().SOAPVersion)))
	}, versions)
})

// others returns the drivers of every style the target offers.
func others(s *Scenario) []driver.Driver {
	var out []driver.Driver
	for _, st := range s.Env.Styles() {
		d, _ := s.Env.Driver(st)
		out = append(out, d)
	}
	return out
}

// peers returns the drivers of every other style the target offers, so a
// cell compares its style with the others and never with itself; it
// skips the spec when the target offers no other style.
func peers(s *Scenario, d driver.Driver) []driver.Driver {
	var out []driver.Driver
	for _, o := range others(s) {
		if o.Style() != d.Style() {
			out = append(out, o)
		}
	}
	if len(out) == 0 {
		SkipBecause("the target offers no other API style to compare " + string(d.Style()) + " with")
	}
	return out
}

// readEverywhere reads webhook id through every style and checks each
// read equals want.
func readEverywhere(s *Scenario, id int32, want entityView) {
	GinkgoHelper()
	for _, d := range others(s) {
		got, err := d.Get(s.Ctx(), id)
		Expect(err).NotTo(HaveOccurred(), "read %d through %s", id, d.Style())
		Expect(got).NotTo(BeNil(), "read %d through %s answered null", id, d.Style())
		Expect(viewOf(got)).To(Equal(want), "webhook %d read through %s differs", id, d.Style())
	}
}

// parityDefaults compares the default webhook of d with every other
// style's.
func parityDefaults(s *Scenario, d driver.Driver) {
	GinkgoHelper()
	got, err := d.Default(s.Ctx())
	Expect(err).NotTo(HaveOccurred())
	for _, o := range peers(s, d) {
		base, err := o.Default(s.Ctx())
		Expect(err).NotTo(HaveOccurred())
		Expect(viewOf(got)).To(Equal(viewOf(base)), "defaults through %s differ from %s", d.Style(), o.Style())
		for _, f := range []string{driver.FieldName, driver.FieldTargetURL, driver.FieldSecret, driver.FieldErrorsEmail, driver.FieldHeaders, driver.FieldProperties} {
			Expect(got.IsNull(f)).To(Equal(base.IsNull(f)), "%s is null through %s: %v, through %s: %v", f, o.Style(), base.IsNull(f), d.Style(), got.IsNull(f))
		}
	}
}

// parityCreate creates a webhook through d and reads it back through every style.
func parityCreate(s *Scenario, d driver.Driver) {
	GinkgoHelper()
	ch := s.Channel()
	created := s.CreateVia(d, s.Hook(ch, func(w *driver.Webhook) {
		w.Events = []string{s.Event("created"), s.Event("changed")}
		w.Headers = map[string]string{"X-Hookcheck-Parity": "yes"}
		w.Properties = map[string]any{"tenant": "acme", "n": float64(3), "flag": false}
		w.ErrorsEmail = "parity@example.com"
	}))
	readEverywhere(s, created.ID, viewOf(created))
}

// parityList checks that the list filters select the same webhooks through d as through every other style.
func parityList(s *Scenario, d driver.Driver) {
	GinkgoHelper()
	ch := s.Channel()
	a := s.CreateVia(s.REST, s.Hook(ch, func(w *driver.Webhook) { w.Events = []string{s.Event("one")} }))
	b := s.CreateVia(s.REST, s.Hook(ch, func(w *driver.Webhook) {
		w.Events = []string{s.Event("two")}
		w.State = driver.StateStopped
	}))
	ours := func(list []driver.Webhook) []int32 {
		out := []int32{}
		for _, wh := range list {
			if wh.ID == a.ID || wh.ID == b.ID {
				out = append(out, wh.ID)
			}
		}
		slices.Sort(out)
		return out
	}
	for _, f := range []driver.Filter{{}, {Name: a.Name}, {Event: s.Event("two")}, {Status: driver.StateStopped}, {Status: driver.StateActive}} {
		got, err := d.List(s.Ctx(), f)
		Expect(err).NotTo(HaveOccurred(), "list %+v through %s", f, d.Style())
		for _, o := range peers(s, d) {
			base, err := o.List(s.Ctx(), f)
			Expect(err).NotTo(HaveOccurred())
			Expect(ours(got)).To(Equal(ours(base)), "filter %+v selects other webhooks through %s than through %s", f, d.Style(), o.Style())
		}
	}
}

// parityUpdate updates through d and reads the change back through every style.
func parityUpdate(s *Scenario, d driver.Driver) {
	GinkgoHelper()
	ch := s.Channel()
	created := s.CreateVia(s.REST, s.Hook(ch))
	upd := *created
	upd.Name = s.Name()
	upd.Events = []string{s.Event("updated")}
	upd.Headers = map[string]string{"X-Hookcheck-Updated": d.Style().String()}
	got, err := d.Update(s.Ctx(), upd)
	Expect(err).NotTo(HaveOccurred(), "update through %s", d.Style())
	readEverywhere(s, created.ID, viewOf(got))
	Expect(viewOf(got).Name).To(Equal(upd.Name))
}

// parityDelete deletes through d and checks every style lost the webhook.
func parityDelete(s *Scenario, d driver.Driver) {
	GinkgoHelper()
	ch := s.Channel()
	created := s.CreateVia(s.REST, s.Hook(ch))
	Expect(d.Delete(s.Ctx(), created.ID)).To(Succeed(), "delete through %s", d.Style())
	for _, o := range others(s) {
		got, err := o.Get(s.Ctx(), created.ID)
		Expect(Absent(got, err)).To(BeTrue(), "webhook deleted through %s can still be read through %s", d.Style(), o.Style())
		list, err := o.List(s.Ctx(), driver.Filter{})
		Expect(err).NotTo(HaveOccurred())
		Expect(IDs(list)).NotTo(ContainElement(created.ID), "webhook deleted through %s is still listed through %s", d.Style(), o.Style())
	}
}

// parityInvalid saves a webhook without Events through d and checks nothing was stored.
func parityInvalid(s *Scenario, d driver.Driver) {
	GinkgoHelper()
	if !s.Profile().RequiredFields {
		SkipBecause("the profile says the target accepts empty Events (--required-fields=false)")
	}
	in := s.Hook(s.Channel(), func(w *driver.Webhook) { w.Events = nil })
	_, err := s.TryCreate(d, in)
	ExpectRefused(err, "save without Events through "+string(d.Style()))
	Expect(s.Stored(in.Name)).To(BeFalse(), "the invalid webhook was stored through %s", d.Style())
}

// parityTest compares TestWebhook through d with every other style's:
// result and test event.
func parityTest(s *Scenario, d driver.Driver) {
	GinkgoHelper()
	ch := s.Channel()
	in := s.Hook(ch)
	res, err := d.Test(s.Ctx(), in)
	Expect(err).NotTo(HaveOccurred(), "TestWebhook through %s", d.Style())
	mine := ch.Events(TestEvent, 0)
	Expect(mine).To(HaveLen(1), "TestWebhook through %s sent one test event", d.Style())
	for _, o := range peers(s, d) {
		after := ch.Last()
		baseRes, err := o.Test(s.Ctx(), in)
		Expect(err).NotTo(HaveOccurred(), "TestWebhook through %s", o.Style())
		Expect(res.Success).To(Equal(baseRes.Success), "Success through %s and %s", d.Style(), o.Style())
		theirs := ch.Events(TestEvent, after)
		Expect(theirs).To(HaveLen(1), "TestWebhook through %s sent one test event", o.Style())
		Expect(callShape(mine[0])).To(Equal(callShape(theirs[0])), "the test event sent through %s differs from %s's", d.Style(), o.Style())
	}
}

// paritySignal compares the delivery of an event signalled through d with
// those signalled through every other style.
func paritySignal(s *Scenario, d driver.Driver) {
	GinkgoHelper()
	ch := s.Channel()
	wh := s.CreateVia(s.REST, s.Hook(ch))
	data := map[string]any{"name": "x", "category_idx": float64(4)}
	Expect(d.Signal(s.Ctx(), wh.Events[0], 5, data)).To(Succeed(), "SignalEvent through %s", d.Style())
	got := ch.AwaitDelivery(wh.Events[0], 0, 1)[0]
	for _, o := range peers(s, d) {
		after := ch.Last()
		Expect(o.Signal(s.Ctx(), wh.Events[0], 5, data)).To(Succeed(), "SignalEvent through %s", o.Style())
		base := ch.AwaitDelivery(wh.Events[0], after, 1)[0]
		Expect(callShape(got)).To(Equal(callShape(base)), "the delivery of an event signalled through %s differs from %s's", d.Style(), o.Style())
		for _, f := range []string{"Event", "PrimaryKey", "Entity", "WebhookName", "ContextIdentifier", "ChangedByAssociateId"} {
			Expect(Body(got).Get(f).Value()).To(Equal(Body(base).Get(f).Value()), "%s of the delivery signalled through %s and %s", f, d.Style(), o.Style())
		}
		Expect(sortedStrings(Body(got).Get("Changes"))).To(Equal(sortedStrings(Body(base).Get("Changes"))))
	}
}

// parityLastError compares GetLastError through d with every other style's.
func parityLastError(s *Scenario, d driver.Driver) {
	GinkgoHelper()
	ch := s.Channel()
	wh := s.CreateVia(s.REST, s.Hook(ch))
	token := "hookcheck-parity-" + RandomHex(4)
	ch.Script(AnswerBody(wh.Events[0], 500, token, nil, 1))
	Expect(s.REST.Signal(s.Ctx(), wh.Events[0], 1, nil)).To(Succeed())
	ch.Await(wh.Events[0], 0, 2, s.Profile().FailuresWait(2))
	var got string
	Eventually(s.Ctx(), func() (string, error) {
		var err error
		got, err = d.LastError(s.Ctx(), wh.ID)
		return got, err
	}).WithTimeout(s.Profile().DeliveryWait).WithPolling(20*time.Millisecond).Should(ContainSubstring(token), "GetLastError through %s", d.Style())
	for _, o := range peers(s, d) {
		base, err := o.LastError(s.Ctx(), wh.ID)
		Expect(err).NotTo(HaveOccurred(), "GetLastError through %s", o.Style())
		Expect(strings.TrimSpace(got)).To(Equal(strings.TrimSpace(base)), "LastError through %s differs from %s's", d.Style(), o.Style())
	}
}

// parityURLCheck saves through d at a failing target and checks the save was refused.
func parityURLCheck(s *Scenario, d driver.Driver) {
	GinkgoHelper()
	ch := s.Channel(WithScript(Answer("", 500, 0)))
	in := s.Hook(ch)
	_, err := s.TryCreate(d, in)
	ExpectRefused(err, "save through "+string(d.Style())+" while the target answers 500")
	Expect(s.Stored(in.Name)).To(BeFalse(), "the webhook was stored through %s although its URL check failed", d.Style())
	Expect(ch.Events(TestEvent, 0)).NotTo(BeEmpty(), "the save through %s sent no test event", d.Style())
}

// parityCreatedDelivers creates one webhook through d and one through
// every other style on one channel, signals an event they all subscribe
// to, and compares their deliveries and test events.
func parityCreatedDelivers(s *Scenario, d driver.Driver) {
	GinkgoHelper()
	ch := s.Channel()
	event := s.Event("changed")
	mine := s.CreateVia(d, s.Hook(ch))
	names := map[string]driver.Style{mine.Name: d.Style()}
	for _, o := range peers(s, d) {
		theirs := s.CreateVia(o, s.Hook(ch))
		names[theirs.Name] = o.Style()
	}
	tests := ch.Events(TestEvent, 0)
	Expect(tests).To(HaveLen(len(names)), "each save sent one test event")
	for _, c := range tests[1:] {
		Expect(callShape(c)).To(Equal(callShape(tests[0])), "the test event of a save through %s differs from one through %s", names[Body(c).Get("WebhookName").String()], d.Style())
	}
	Expect(s.REST.Signal(s.Ctx(), event, 3, nil)).To(Succeed())
	calls := ch.AwaitDelivery(event, 0, len(names))
	byStyle := map[driver.Style]api.Call{}
	for _, c := range calls {
		byStyle[names[Body(c).Get("WebhookName").String()]] = c
	}
	base, ok := byStyle[d.Style()]
	Expect(ok).To(BeTrue(), "the webhook created through %s got no delivery%s", d.Style(), DescribeCalls(calls))
	for st, c := range byStyle {
		Expect(callShape(c)).To(Equal(callShape(base)), "the delivery of the webhook created through %s differs from the one created through %s", st, d.Style())
	}
}

// callShape is what two deliveries of the same kind share: the method,
// the content type, which X-SuperOffice-* and X-Hook-Test headers they
// carry, the signature verdict and the body's member names.
func callShape(c api.Call) string {
	var hs []string
	for k := range c.Headers {
		lk := strings.ToLower(k)
		if strings.HasPrefix(lk, "x-superoffice-") || lk == "x-hook-test" {
			hs = append(hs, lk)
		}
	}
	sort.Strings(hs)
	var keys []string
	gjson.Parse(c.Body).ForEach(func(k, _ gjson.Result) bool {
		keys = append(keys, k.String())
		return true
	})
	sort.Strings(keys)
	return fmt.Sprintf("%s %s headers=%v signature=%s body=%v", c.Method, strings.ToLower(c.Header("Content-Type")), hs, c.Signature, keys)
}

// sortedStrings returns a JSON string array, sorted.
func sortedStrings(r gjson.Result) []string {
	out := Strings(r)
	sort.Strings(out)
	return out
}
