package driver_test

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/conformance/driver"
)

// sampleJSON is a WebhookWithLinks answer as REST sends it.
const sampleJSON = `{"WebhookId":12,"Name":"hook","Events":["contact.created","sale.sold"],"TargetUrl":"https://t/x","Secret":null,
"State":"Stopped","Type":"webhook","Headers":{"X-A":"1"},"Properties":{"n":3,"s":"v","b":true},
"Registered":"2025-05-14T16:11:02.4593434+02:00","RegisteredAssociate":{"AssociateId":5,"Name":"SAL"},
"Updated":"0001-01-01T00:00:00","UpdatedAssociate":null,"ErrorsEmail":"ops@example.com",
"_Links":{"Self":"https://h/api/v1/Webhook/12","Archive":"https://h/api/v1/Webhook"}}`

var _ = Describe("REST driver", func() {
	var (
		f   *fake
		d   *driver.RESTDriver
		ctx context.Context
	)
	BeforeEach(func() {
		f = newFake()
		var err error
		d, err = driver.NewREST(driver.Config{BaseURL: f.srv.URL + "/Cust1/", Auth: driver.Auth{Scheme: "soticket", Token: "7T:t"}, AppToken: "app"})
		Expect(err).NotTo(HaveOccurred())
		ctx = context.Background()
	})

	It("refuses a base URL that is not absolute http(s)", func() {
		_, err := driver.NewREST(driver.Config{BaseURL: "ftp://x"})
		Expect(err).To(HaveOccurred())
		_, err = driver.NewREST(driver.Config{})
		Expect(err).To(HaveOccurred())
	})

	It("reads the default webhook with credentials, app token and Accept", func() {
		f.answer(200, `{"WebhookId":0,"Name":null,"Events":["contact.created","contact.deleted"],"State":"Active","Type":"webhook","Headers":null}`)
		wh, err := d.Default(ctx)
		Expect(err).NotTo(HaveOccurred())
		r := f.last()
		Expect(r.Method).To(Equal(http.MethodGet))
		Expect(r.Path).To(Equal("/Cust1/api/v1/Webhook/default"))
		Expect(r.Header.Get("Authorization")).To(Equal("SoTicket 7T:t"))
		Expect(r.Header.Get("SO-AppToken")).To(Equal("app"))
		Expect(r.Header.Get("Accept")).To(Equal("application/json"))
		Expect(wh.State).To(Equal("Active"))
		Expect(wh.IsNull("name")).To(BeTrue())
		Expect(wh.IsNull(driver.FieldHeaders)).To(BeTrue())
		Expect(wh.IsNull(driver.FieldProperties)).To(BeTrue(), "an absent member counts as null")
		Expect(wh.IsNull(driver.FieldEvents)).To(BeFalse())
	})

	It("decodes every field of a webhook", func() {
		f.answer(200, sampleJSON)
		wh, err := d.Get(ctx, 12)
		Expect(err).NotTo(HaveOccurred())
		Expect(f.last().Path).To(Equal("/Cust1/api/v1/Webhook/12"))
		Expect(wh.ID).To(Equal(int32(12)))
		Expect(wh.Events).To(Equal([]string{"contact.created", "sale.sold"}))
		Expect(wh.State).To(Equal("Stopped"))
		Expect(wh.Headers).To(Equal(map[string]string{"X-A": "1"}))
		Expect(wh.Properties).To(Equal(map[string]any{"n": float64(3), "s": "v", "b": true}))
		Expect(wh.Registered.Equal(time.Date(2025, 5, 14, 14, 11, 2, 459343400, time.UTC))).To(BeTrue(), "%s", wh.Registered)
		Expect(wh.Updated.IsZero()).To(BeTrue())
		Expect(wh.RegisteredAssociate).To(Equal(&driver.Associate{AssociateID: 5, Name: "SAL"}))
		Expect(wh.UpdatedAssociate).To(BeNil())
		Expect(wh.Links).To(HaveKeyWithValue("Self", "https://h/api/v1/Webhook/12"))
		Expect(wh.IsNull(driver.FieldSecret)).To(BeTrue())
		Expect(wh.Raw).To(Equal(sampleJSON))
	})

	It("maps a numeric State to its name", func() {
		f.answer(200, `{"WebhookId":1,"State":3}`)
		wh, err := d.Get(ctx, 1)
		Expect(err).NotTo(HaveOccurred())
		Expect(wh.State).To(Equal("TooManyErrors"))
	})

	It("creates with POST, sending empty fields as null and $select", func() {
		f.answer(200, sampleJSON)
		_, err := d.Create(ctx, driver.Webhook{Name: "n", Events: []string{"a.b"}, TargetURL: "https://t", State: "Active", Type: "webhook"}, driver.Select("name,events"))
		Expect(err).NotTo(HaveOccurred())
		r := f.last()
		Expect(r.Method).To(Equal(http.MethodPost))
		Expect(r.Path).To(Equal("/Cust1/api/v1/Webhook"))
		Expect(r.RawQuery).To(Equal("%24select=name%2Cevents"))
		Expect(r.Header.Get("Content-Type")).To(HavePrefix("application/json"))
		var body map[string]any
		Expect(json.Unmarshal([]byte(r.Body), &body)).To(Succeed())
		Expect(body).To(HaveKeyWithValue("Name", "n"))
		Expect(body).To(HaveKeyWithValue("Secret", BeNil()))
		Expect(body).To(HaveKeyWithValue("Headers", BeNil()))
		Expect(body).To(HaveKeyWithValue("State", "Active"))
		Expect(body).NotTo(HaveKey("Registered"), "server-owned fields are sent only when set")
	})

	It("updates with PUT on the webhook's path and sends If-Unmodified-Since", func() {
		f.answer(200, sampleJSON)
		at := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
		_, err := d.Update(ctx, driver.Webhook{ID: 12, Name: "n"}, driver.IfUnmodifiedSince(at))
		Expect(err).NotTo(HaveOccurred())
		r := f.last()
		Expect(r.Method).To(Equal(http.MethodPut))
		Expect(r.Path).To(Equal("/Cust1/api/v1/Webhook/12"))
		Expect(r.Header.Get("If-Unmodified-Since")).To(Equal("Thu, 02 Jan 2025 03:04:05 GMT"))
	})

	It("patches with a JSON Patch array or a Merge Patch object", func() {
		f.answer(200, sampleJSON)
		_, err := d.Patch(ctx, 12, driver.Patch{Ops: []driver.PatchOp{{Op: "replace", Path: "/Name", Value: "x"}}})
		Expect(err).NotTo(HaveOccurred())
		Expect(f.last().Method).To(Equal(http.MethodPatch))
		Expect(f.last().Body).To(MatchJSON(`[{"op":"replace","path":"/Name","value":"x"}]`))
		_, err = d.Patch(ctx, 12, driver.Patch{Merge: map[string]any{"Name": "y"}})
		Expect(err).NotTo(HaveOccurred())
		Expect(f.last().Body).To(MatchJSON(`{"Name":"y"}`))
	})

	It("lists with the three filters", func() {
		f.answer(200, "["+sampleJSON+"]")
		list, err := d.List(ctx, driver.Filter{Name: "n m", Event: "a.b", Status: "Stopped"})
		Expect(err).NotTo(HaveOccurred())
		Expect(list).To(HaveLen(1))
		Expect(f.last().RawQuery).To(Equal("eventFilter=a.b&nameFilter=n+m&statusFilter=Stopped"))
	})

	It("signals an event with the data as the body", func() {
		f.answer(204, "")
		Expect(d.Signal(ctx, "window.closed", 0, map[string]any{"k": "v"})).To(Succeed())
		r := f.last()
		Expect(r.Method).To(Equal(http.MethodPost))
		Expect(r.Path).To(Equal("/Cust1/api/v1/Webhook/window.closed/0"))
		Expect(r.Body).To(MatchJSON(`{"k":"v"}`))
	})

	It("decodes TestWebhook's WebhookResult and LastError's string", func() {
		f.answer(200, `{"Success":false,"Message":"HTTP/1.1 500\r\n\r\nboom"}`)
		res, err := d.Test(ctx, driver.Webhook{TargetURL: "https://t"})
		Expect(err).NotTo(HaveOccurred())
		Expect(res).To(Equal(&driver.TestResult{Success: false, Message: "HTTP/1.1 500\r\n\r\nboom"}))
		Expect(f.last().Path).To(Equal("/Cust1/api/v1/Webhook/Test"))
		f.answer(200, `"last words"`)
		Expect(d.LastError(ctx, 12)).To(Equal("last words"))
		Expect(f.last().Path).To(Equal("/Cust1/api/v1/Webhook/12/LastError"))
		f.answer(200, `null`)
		Expect(d.LastError(ctx, 12)).To(BeEmpty())
	})

	It("turns an error answer into an *Error with the §2.1 body", func() {
		f.answer(404, `{"Error":true,"ErrorType":"SoNotFoundException","ErrorMessage":"Webhook 9 not found","ErrorSource":"x"}`)
		_, err := d.Get(ctx, 9)
		de, ok := driver.AsError(err)
		Expect(ok).To(BeTrue())
		Expect(de.Status).To(Equal(404))
		Expect(de.ErrorBody).To(BeTrue())
		Expect(de.ErrorFlag).To(BeTrue())
		Expect(de.ErrorType).To(Equal("SoNotFoundException"))
		Expect(de.Message).To(Equal("Webhook 9 not found"))
		Expect(de.HasMessageField).To(BeFalse())
		Expect(driver.StatusOf(err)).To(Equal(404))
		Expect(err.Error()).To(ContainSubstring("SoNotFoundException"))
	})

	It("notices a Message field and a non-JSON error answer", func() {
		f.answer(400, `{"Message":"bad"}`)
		_, err := d.Default(ctx)
		de, _ := driver.AsError(err)
		Expect(de.HasMessageField).To(BeTrue())
		Expect(de.ErrorBody).To(BeFalse())
		f.answer(502, `<html>bad gateway</html>`)
		_, err = d.Default(ctx)
		de, _ = driver.AsError(err)
		Expect(de.Status).To(Equal(502))
		Expect(de.ErrorBody).To(BeFalse())
		Expect(de.Body).To(ContainSubstring("bad gateway"))
	})

	It("reports an undecodable success answer as a plain error", func() {
		f.answer(200, `not json`)
		_, err := d.Get(ctx, 1)
		Expect(err).To(HaveOccurred())
		_, ok := driver.AsError(err)
		Expect(ok).To(BeFalse(), "a decoding failure is not a refusal by the service")
	})

	It("does not follow redirects", func() {
		f.answer(302, "")
		_, err := d.Default(ctx)
		Expect(driver.StatusOf(err)).To(Equal(302))
	})
})
