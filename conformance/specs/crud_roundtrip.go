package specs

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/tidwall/gjson"

	"github.com/hookcheck/hookcheck/conformance/driver"
	. "github.com/hookcheck/hookcheck/conformance/framework"
)

// zeroTime is how the wire spells the server-owned dates of a webhook
// that has none yet (spec §1.2).
const zeroTime = "0001-01-01T00:00:00"

// callerOf returns ChangedByAssociateId of the newest test event on ch: the
// associate whose save or TestWebhook sent it.
func callerOf(ch *Channel) int64 {
	GinkgoHelper()
	tests := ch.Events(TestEvent, 0)
	Expect(tests).NotTo(BeEmpty(), "the save sent a test event")
	return Body(tests[len(tests)-1]).Get("ChangedByAssociateId").Int()
}

// Spec area "crud", round trips and server-owned fields through every
// front end: default → edit → save, the defaults' zero dates and null
// associates, who the associates are, a save without WebhookId, the
// answer of a save compared with a later read, and the SOAP wrapper and
// Agents description of the wire (spec §1.2, §2.2, §2.4, §2.5, §9 #27).
var _ = Describe("crud", func() {
	if !Area() {
		return
	}
	ForStyles(driver.Styles, func(st driver.Style) {
		It("saves an edited default webhook as a new one", Clause("WH-CRUD-035", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			ch := s.Channel()
			def, err := s.D.Default(ctx)
			Expect(err).NotTo(HaveOccurred(), "CreateDefaultWebhook through %s", st)
			in := *def
			in.Name, in.TargetURL, in.Secret = s.Name(), ch.URL, ch.Secret
			in.Events = []string{s.Event("changed")}
			before := time.Now()
			got := s.Create(in)
			Expect(got.ID).To(BeNumerically(">", 0), "the saved default webhook got a WebhookId")
			read := s.Get(got.ID)
			Expect(read.Name).To(Equal(in.Name))
			Expect(read.Events).To(Equal(in.Events))
			Expect(read.TargetURL).To(Equal(in.TargetURL))
			Expect(read.State).To(Equal(driver.StateActive), "the default State is kept")
			Expect(read.Type).To(Equal("webhook"), "the default Type is kept")
			Expect(read.Registered).To(BeTemporally("~", before, 10*time.Minute), "the server set Registered instead of keeping %s", zeroTime)
			Expect(read.RegisteredAssociate).NotTo(BeNil(), "the server set RegisteredAssociate: %s", read.Raw)
			s.Signal(in.Events[0], 1, nil)
			Expect(ch.AwaitDelivery(in.Events[0], 0, 1)[0].Signature).To(Equal("valid"), "the saved default webhook signs with its Secret")
		})

		It("answers defaults with zero dates and null associates", Clause("WH-CRUD-036", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			def, err := s.D.Default(ctx)
			Expect(err).NotTo(HaveOccurred(), "CreateDefaultWebhook through %s", st)
			Expect(def.Registered.IsZero()).To(BeTrue(), "Registered is %s: %s", zeroTime, def.Raw)
			Expect(def.Updated.IsZero()).To(BeTrue(), "Updated is %s: %s", zeroTime, def.Raw)
			Expect(def.RegisteredAssociate).To(BeNil(), "RegisteredAssociate is null: %s", def.Raw)
			Expect(def.UpdatedAssociate).To(BeNil(), "UpdatedAssociate is null: %s", def.Raw)
			Expect(def.IsNull(driver.FieldRegisteredAssociate)).To(BeTrue(), "RegisteredAssociate is null: %s", def.Raw)
			Expect(def.IsNull(driver.FieldUpdatedAssociate)).To(BeTrue(), "UpdatedAssociate is null: %s", def.Raw)
			if st == driver.SOAP {
				Expect(def.Raw).To(ContainSubstring(">"+zeroTime+"<"), "SOAP spells the zero date %s: %s", zeroTime, def.Raw)
				return
			}
			for _, f := range []string{driver.FieldRegistered, driver.FieldUpdated} {
				Expect(gjson.Get(def.Raw, f).String()).To(HavePrefix(zeroTime), "%s is %s: %s", f, zeroTime, def.Raw)
			}
		})

		It("records the calling user as RegisteredAssociate and UpdatedAssociate", Clause("WH-CRUD-037", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			ch := s.Channel()
			created := s.Create(s.Hook(ch))
			caller := callerOf(ch)
			Expect(caller).To(BeNumerically(">", 0), "the test event names the calling associate")
			got := s.Get(created.ID)
			Expect(got.RegisteredAssociate).NotTo(BeNil(), "RegisteredAssociate is set: %s", got.Raw)
			Expect(int64(got.RegisteredAssociate.AssociateID)).To(Equal(caller), "RegisteredAssociate is the caller, not another user: %s", got.Raw)
			upd := *got
			upd.Name = s.Name()
			s.Update(upd)
			got = s.Get(created.ID)
			Expect(got.UpdatedAssociate).NotTo(BeNil(), "UpdatedAssociate is set after an update: %s", got.Raw)
			Expect(int64(got.UpdatedAssociate.AssociateID)).To(Equal(callerOf(ch)), "UpdatedAssociate is the caller, not another user: %s", got.Raw)
		})

		It("answers a create with the stored entity", Clause("WH-CRUD-039", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			ch := s.Channel()
			got := s.Create(s.Hook(ch, func(w *driver.Webhook) {
				w.Headers = map[string]string{"X-Hookcheck-Answer": "1"}
				w.Properties = map[string]any{"answer": "stored"}
				w.ErrorsEmail = "answer@example.com"
			}))
			Expect(storedOf(got)).To(Equal(storedOf(s.Get(got.ID))), "the create answer through %s differs from a later read", st)
		})

		It("answers an update with the stored entity", Clause("WH-CRUD-040", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			ch := s.Channel()
			created := s.Create(s.Hook(ch))
			upd := *s.Get(created.ID)
			upd.Name = s.Name()
			upd.Events = []string{s.Event("updated")}
			upd.Headers = map[string]string{"X-Hookcheck-Updated": "1"}
			got := s.Update(upd)
			Expect(storedOf(got)).To(Equal(storedOf(s.Get(created.ID))), "the update answer through %s differs from a later read", st)
			Expect(got.Updated.IsZero()).To(BeFalse(), "the update answer carries the new Updated")
		})
	})

	ForStyles(RPCStyles, func(st driver.Style) {
		It("creates a webhook on a SaveWebhook without WebhookId", Clause("WH-CRUD-038", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			in := s.Hook(s.Channel())
			var id int32
			if st == driver.Agents {
				m := restWebhookBody(in)
				delete(m, "WebhookId")
				body, err := json.Marshal(m)
				Expect(err).NotTo(HaveOccurred())
				resp, err := AgentsOf(s).Do(ctx, http.MethodPost, "SaveWebhook", nil, body, nil)
				Expect(err).NotTo(HaveOccurred())
				Expect(resp.Status).To(Equal(http.StatusOK), "SaveWebhook without WebhookId answers 200: %s", resp.Body)
				id = int32(gjson.GetBytes(resp.Body, "WebhookId").Int())
			} else {
				d, reason := s.Env.Driver(driver.SOAP)
				if d == nil {
					SkipBecause(reason)
				}
				sd := d.(*driver.SOAPDriver)
				resp, err := sd.Do(ctx, "SaveWebhook", sd.Envelope("SaveWebhook", soapWebhookXML(in)))
				Expect(err).NotTo(HaveOccurred())
				Expect(resp.Status).To(Equal(http.StatusOK), "SaveWebhook without WebhookId answers 200: %s", resp.Body)
				m := soapIDPattern.FindSubmatch(resp.Body)
				Expect(m).NotTo(BeNil(), "the answer carries the new WebhookId: %s", resp.Body)
				n, _ := strconv.Atoi(string(m[1]))
				id = int32(n)
			}
			s.Own(id)
			Expect(id).To(BeNumerically(">", 0), "the answer carries a new WebhookId")
			Expect(s.Get(id).Name).To(Equal(in.Name), "the webhook was stored")
		})
	})

	Context("soap", func() {
		const st = driver.SOAP
		It("wraps every answer in the {Operation}Response element", Clause("WH-CRUD-041", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			d, ok := s.D.(*driver.SOAPDriver)
			Expect(ok).To(BeTrue(), "the SOAP driver is not available")
			created := s.CreateVia(s.REST, s.Hook(s.Channel()))
			wrapper := regexp.MustCompile(`<(?:[\w.-]+:)?Body[^>]*>\s*<(?:[\w.-]+:)?(\w+)[\s/>]`)
			for op, inner := range map[string]string{
				"CreateDefaultWebhook": "",
				"GetWebhook":           "<wh:WebhookId>" + strconv.Itoa(int(created.ID)) + "</wh:WebhookId>",
				"GetAllWebhooks":       "",
				"GetLastError":         "<wh:WebhookId>" + strconv.Itoa(int(created.ID)) + "</wh:WebhookId>",
				"SignalEvent":          "<wh:EventName>" + s.Event("wrapped") + "</wh:EventName><wh:PrimaryKey>1</wh:PrimaryKey>",
			} {
				resp, err := d.Do(ctx, op, d.Envelope(op, inner))
				Expect(err).NotTo(HaveOccurred())
				m := wrapper.FindSubmatch(resp.Body)
				Expect(m).NotTo(BeNil(), "%s: the answer has a Body element: %s", op, resp.Body)
				Expect(string(m[1])).To(Equal(op+"Response"), "%s: the Body holds <%s>, not <%sResponse>: %s", op, m[1], op, resp.Body)
			}
		})
	})

	Context("agents", func() {
		const st = driver.Agents
		It("answers a GET on an agent URL with a description, not null", Clause("WH-CRUD-042", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			for _, method := range []string{"GetWebhook", "SaveWebhook"} {
				resp, err := AgentsOf(s).Do(ctx, http.MethodGet, method, nil, nil, nil)
				Expect(err).NotTo(HaveOccurred())
				body := strings.TrimSpace(string(resp.Body))
				Expect(resp.Status).To(Equal(http.StatusOK), "GET %s answers 200: %s", method, body)
				Expect(body).NotTo(Equal("null"), "GET %s answers a description, not null", method)
				Expect(body).To(ContainSubstring(method), "the description of %s names it", method)
			}
		})
	})
})
