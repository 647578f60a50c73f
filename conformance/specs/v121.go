package specs

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/tidwall/gjson"

	"github.com/hookcheck/hookcheck/conformance/driver"
	. "github.com/hookcheck/hookcheck/conformance/framework"
	"github.com/hookcheck/hookcheck/receiver/client"
)

// needV121 skips the running spec unless the target has the v12.1
// members of the entity (spec §1.8).
func needV121(s *Scenario) {
	if !s.Profile().V121 {
		SkipBecause("the v12.1 fields (§1.8) are an optional profile: pass --v121 (the embedded reference turns them on with --v121 or --usage-stats fields)")
	}
}

// v121Settings are the client-set v12.1 members the specs save.
type v121Settings struct {
	ErrorEmails []string
	Description string
	NotifyVia   string
	NotifyWhen  string
}

// v121JSON is a REST or Agents Webhook body for wh with the settings.
func v121JSON(wh driver.Webhook, v v121Settings) []byte {
	m := restWebhookBody(wh)
	m["ErrorEmails"] = v.ErrorEmails
	m["Description"] = v.Description
	m["NotifyVia"] = v.NotifyVia
	m["NotifyWhen"] = v.NotifyWhen
	m["TotalCalls"] = 99 // read-only: the server ignores it
	data, err := json.Marshal(m)
	Expect(err).NotTo(HaveOccurred())
	return data
}

// createV121 creates wh with the v12.1 settings through REST and returns
// its id.
func createV121(s *Scenario, wh driver.Webhook, v v121Settings) int32 {
	GinkgoHelper()
	resp, err := RESTOf(s).Do(s.Ctx(), http.MethodPost, "/api/v1/Webhook", v121JSON(wh, v), nil)
	Expect(err).NotTo(HaveOccurred())
	Expect(resp.Status).To(Equal(http.StatusOK), "POST a webhook with v12.1 members: %s", resp.Body)
	id := int32(gjson.GetBytes(resp.Body, "WebhookId").Int())
	s.Own(id)
	Expect(id).To(BeNumerically(">", 0))
	return id
}

// restDoc reads webhook id through REST as JSON.
func restDoc(s *Scenario, id int32) gjson.Result {
	GinkgoHelper()
	resp, err := RESTOf(s).Do(s.Ctx(), http.MethodGet, "/api/v1/Webhook/"+strconv.Itoa(int(id)), nil, nil)
	Expect(err).NotTo(HaveOccurred())
	Expect(resp.Status).To(Equal(http.StatusOK), "GET webhook %d: %s", id, resp.Body)
	return gjson.ParseBytes(resp.Body)
}

// expectV121 checks the settings in a JSON webhook.
func expectV121(what string, doc gjson.Result, v v121Settings) {
	GinkgoHelper()
	var emails []string
	for _, e := range doc.Get("ErrorEmails").Array() {
		emails = append(emails, e.String())
	}
	Expect(emails).To(Equal(v.ErrorEmails), "%s: ErrorEmails", what)
	Expect(doc.Get("Description").String()).To(Equal(v.Description), "%s: Description", what)
	Expect(doc.Get("NotifyVia").String()).To(Equal(v.NotifyVia), "%s: NotifyVia", what)
	Expect(doc.Get("NotifyWhen").String()).To(Equal(v.NotifyWhen), "%s: NotifyWhen", what)
	Expect(doc.Get("TotalCalls").Int()).To(BeZero(), "%s: TotalCalls is read-only, not the 99 sent", what)
}

// soapV121Webhook is the SaveWebhook argument for wh with the settings.
func soapV121Webhook(wh driver.Webhook, v v121Settings) string {
	inner := soapWebhookXML(wh)
	var b strings.Builder
	b.WriteString("<wh:ErrorEmails>")
	for _, e := range v.ErrorEmails {
		b.WriteString("<arr:string>" + xmlEscape(e) + "</arr:string>")
	}
	b.WriteString("</wh:ErrorEmails><wh:Description>" + xmlEscape(v.Description) + "</wh:Description>")
	b.WriteString("<wh:NotifyVia>" + v.NotifyVia + "</wh:NotifyVia><wh:NotifyWhen>" + strings.ReplaceAll(v.NotifyWhen, ", ", " ") + "</wh:NotifyWhen>")
	b.WriteString("<wh:TotalCalls>99</wh:TotalCalls>")
	return strings.Replace(inner, "</wh:Webhook>", b.String()+"</wh:Webhook>", 1)
}

// Spec area "crud", the v12.1 members (spec §1.8, an optional profile):
// ErrorEmails, Description, NotifyVia and NotifyWhen are stored and read
// back through every front end; TotalCalls, TotalErrors,
// ConsecutiveErrors and LastError mirror webhook_usage and are read-only.
var _ = Describe("crud", func() {
	if !Area() {
		return
	}
	settings := func(s *Scenario) v121Settings {
		return v121Settings{
			ErrorEmails: []string{s.Entity + "-a@hookcheck.example", s.Entity + "-b@hookcheck.example"},
			Description: "hookcheck v12.1 " + s.Entity,
			NotifyVia:   "Email",
			NotifyWhen:  "FirstFailure, Disabling",
		}
	}
	Context("rest", func() {
		const st = driver.REST
		It("stores ErrorEmails, Description, NotifyVia and NotifyWhen and answers them", Clause("WH-V12-001", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			needV121(s)
			v := settings(s)
			id := createV121(s, s.Hook(s.Channel()), v)
			expectV121("GET after POST", restDoc(s, id), v)
			v.NotifyWhen, v.NotifyVia, v.Description = "Disabling", "InApp", "changed"
			resp, err := RESTOf(s).Do(ctx, http.MethodPatch, "/api/v1/Webhook/"+strconv.Itoa(int(id)), []byte(`{"NotifyWhen":"Disabling","NotifyVia":"InApp","Description":"changed"}`), nil)
			Expect(err).NotTo(HaveOccurred())
			Expect(resp.Status).To(Equal(http.StatusOK), "Merge Patch of the v12.1 members: %s", resp.Body)
			expectV121("GET after PATCH", restDoc(s, id), v)
		})
	})
	Context("agents", func() {
		const st = driver.Agents
		It("stores ErrorEmails, Description, NotifyVia and NotifyWhen and answers them", Clause("WH-V12-001", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			needV121(s)
			v := settings(s)
			resp, err := AgentsOf(s).Do(ctx, http.MethodPost, "SaveWebhook", nil, v121JSON(s.Hook(s.Channel()), v), nil)
			Expect(err).NotTo(HaveOccurred())
			Expect(resp.Status).To(Equal(http.StatusOK), "SaveWebhook with v12.1 members: %s", resp.Body)
			id := int32(gjson.GetBytes(resp.Body, "WebhookId").Int())
			s.Own(id)
			expectV121("the SaveWebhook answer", gjson.ParseBytes(resp.Body), v)
			got, err := AgentsOf(s).Do(ctx, http.MethodPost, "GetWebhook", url.Values{"webhookId": {strconv.Itoa(int(id))}}, nil, nil)
			Expect(err).NotTo(HaveOccurred())
			expectV121("GetWebhook", gjson.ParseBytes(got.Body), v)
		})
	})
	Context("soap", func() {
		const st = driver.SOAP
		It("stores ErrorEmails, Description, NotifyVia and NotifyWhen and answers them", Clause("WH-V12-001", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			needV121(s)
			v := settings(s)
			d := SOAPOf(s)
			resp, err := d.Do(ctx, "SaveWebhook", d.Envelope("SaveWebhook", soapV121Webhook(s.Hook(s.Channel()), v)))
			Expect(err).NotTo(HaveOccurred())
			r, err := d.Reply("SaveWebhook", resp)
			Expect(err).NotTo(HaveOccurred())
			wh, err := r.Webhook()
			Expect(err).NotTo(HaveOccurred())
			Expect(wh).NotTo(BeNil())
			s.Own(wh.ID)
			var doc struct {
				ErrorEmails []string `xml:"ErrorEmails>string"`
				Description string   `xml:"Description"`
				NotifyVia   string   `xml:"NotifyVia"`
				NotifyWhen  string   `xml:"NotifyWhen"`
				TotalCalls  int64    `xml:"TotalCalls"`
			}
			read := s.D.(*driver.SOAPDriver)
			got, err := read.Get(ctx, wh.ID)
			Expect(err).NotTo(HaveOccurred())
			Expect(xml.Unmarshal([]byte(got.Raw), &doc)).To(Succeed(), got.Raw)
			Expect(doc.ErrorEmails).To(Equal(v.ErrorEmails))
			Expect(doc.Description).To(Equal(v.Description))
			Expect(doc.NotifyVia).To(Equal(v.NotifyVia))
			Expect(strings.Fields(strings.ReplaceAll(doc.NotifyWhen, ",", " "))).To(Equal([]string{"FirstFailure", "Disabling"}))
			Expect(doc.TotalCalls).To(BeZero(), "TotalCalls is read-only")
			expectV121("REST GET of the SOAP save", restDoc(s, wh.ID), v)
		})
	})
	Context("rest", func() {
		const st = driver.REST
		It("mirrors webhook_usage in TotalCalls, TotalErrors, ConsecutiveErrors and LastError", Clause("WH-V12-002", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			needV121(s)
			p := s.Profile()
			p.NeedFailures(2)
			ch := s.Channel()
			token := "hookcheck-usage-" + RandomHex(4)
			ch.Script(AnswerBody(s.Event("changed"), 500, token, nil, 2))
			id := createV121(s, s.Hook(ch), v121Settings{NotifyVia: "None", NotifyWhen: "None"})
			s.Signal(s.Event("changed"), 1, nil)
			ch.Await(s.Event("changed"), 0, 3, p.FailuresWait(3))
			var doc gjson.Result
			Eventually(func() int64 {
				doc = restDoc(s, id)
				return doc.Get("TotalCalls").Int()
			}).WithTimeout(p.DeliveryWait).WithPolling(50*time.Millisecond).Should(Equal(int64(3)), "two failed attempts and the success")
			Expect(doc.Get("TotalErrors").Int()).To(Equal(int64(2)))
			Expect(doc.Get("ConsecutiveErrors").Int()).To(BeZero(), "the success reset the consecutive count")
			Expect(doc.Get("LastError").String()).To(Or(ContainSubstring(token), ContainSubstring("500")), "LastError holds the last failure")
			last, err := s.REST.LastError(ctx, id)
			Expect(err).NotTo(HaveOccurred())
			Expect(doc.Get("LastError").String()).To(Equal(last), "LastError is GetLastError's value")
		})
	})
})

// Spec area "email", the v12.1 notifications (spec §1.8, §5): NotifyVia
// Email sends to ErrorEmails on the first failure (NotifyWhen
// FirstFailure) and when the hook is disabled (NotifyWhen Disabling);
// NotifyVia None sends nothing.
var _ = Describe("email", func() {
	if !Area() {
		return
	}
	mailTo := func(s *Scenario) string {
		GinkgoHelper()
		if s.Env.Receiver.SMTPAddr == "" || !s.Profile().SMTPCaptured {
			SkipBecause("the target does not send its e-mail to the suite's SMTP sink (--smtp-captured)")
		}
		return s.Entity + "-v121@hookcheck.example"
	}
	mails := func(s *Scenario, addr string, min int, wait time.Duration) int {
		GinkgoHelper()
		list, err := s.Env.RV.Mail(s.Ctx(), client.MailQuery{To: addr, Min: min, Wait: wait})
		Expect(err).NotTo(HaveOccurred())
		return len(list.Mails)
	}
	Context("rest", func() {
		const st = driver.REST

		It("e-mails ErrorEmails on the first failed delivery with NotifyVia Email and NotifyWhen FirstFailure", Clause("WH-V12-003", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			needV121(s)
			addr := mailTo(s)
			ch := s.Channel()
			ch.Script(Answer(s.Event("changed"), 500, 1))
			id := createV121(s, s.Hook(ch), v121Settings{ErrorEmails: []string{addr}, NotifyVia: "Email", NotifyWhen: "FirstFailure"})
			s.Signal(s.Event("changed"), 1, nil)
			ch.Await(s.Event("changed"), 0, 2, s.Profile().FailuresWait(2))
			Expect(mails(s, addr, 1, s.Profile().DeliveryWait)).To(Equal(1), "one e-mail for the first failure reached %s", addr)
			Expect(s.State(id)).To(Equal(driver.StateActive), "a first failure does not disable the hook")
		})

		It("e-mails ErrorEmails when the hook is disabled with NotifyWhen Disabling, and not on the failures before", Clause("WH-V12-004", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			needV121(s)
			addr := mailTo(s)
			p := s.Profile()
			ch := s.Channel()
			ch.Script(Answer(s.Event("changed"), 500, 0))
			id := createV121(s, s.Hook(ch), v121Settings{ErrorEmails: []string{addr}, NotifyVia: "Email", NotifyWhen: "Disabling"})
			s.Signal(s.Event("changed"), 1, nil)
			ch.Await(s.Event("changed"), 0, p.ErrorThreshold, p.FailuresWait(p.ErrorThreshold))
			s.AwaitState(id, driver.StateTooManyErrors, p.DeliveryWait)
			Expect(mails(s, addr, 1, p.DeliveryWait)).To(BeNumerically(">=", 1), "the disabling e-mail reached %s", addr)
			list, err := s.Env.RV.Mail(ctx, client.MailQuery{To: addr, Min: 2, Wait: p.QuietPeriod})
			Expect(err).NotTo(HaveOccurred())
			Expect(list.Mails).To(HaveLen(1), "one e-mail, for the disabling after %d failures, and none for the failures before it", p.ErrorThreshold)
			Expect(list.Mails[0].Subject+list.Mails[0].Body).To(ContainSubstring(fmt.Sprint(id)), "the e-mail names the webhook")
		})

		It("sends no e-mail to ErrorEmails with NotifyVia None", Clause("WH-V12-005", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			needV121(s)
			addr := mailTo(s)
			p := s.Profile()
			ch := s.Channel()
			ch.Script(Answer(s.Event("changed"), http.StatusGone, 0))
			id := createV121(s, s.Hook(ch), v121Settings{ErrorEmails: []string{addr}, NotifyVia: "None", NotifyWhen: "FirstFailure, Disabling"})
			s.Signal(s.Event("changed"), 1, nil)
			ch.AwaitDelivery(s.Event("changed"), 0, 1)
			s.AwaitState(id, driver.StateTooManyErrors, p.DeliveryWait)
			Expect(mails(s, addr, 1, p.QuietPeriod)).To(BeZero(), "NotifyVia None: no e-mail to %s", addr)
		})
	})
})
