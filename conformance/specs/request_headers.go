package specs

import (
	"encoding/xml"
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
)

// The time zone the SO-TimeZone specs ask for: a TZLocationCode the
// TimeZone pages give as an example, Queensland, UTC+10 all year (no
// daylight saving time, so the offset is the same on any date).
const (
	zoneCode   = "AU-QLD"
	zoneOffset = 10 * time.Hour
)

// expectZoned checks that zoned, the text of a date answered for zoneCode,
// is the instant plain names, written in the zone: its offset +10:00 and
// its wall clock 10 hours ahead of UTC.
func expectZoned(what, plain, zoned string) {
	GinkgoHelper()
	p, err := driver.ParseTime(plain)
	Expect(err).NotTo(HaveOccurred(), "%s without SO-TimeZone: %q", what, plain)
	z, err := time.Parse(time.RFC3339Nano, zoned)
	Expect(err).NotTo(HaveOccurred(), "%s for %s is a date-time with an offset: %q", what, zoneCode, zoned)
	_, off := z.Zone()
	Expect(time.Duration(off)*time.Second).To(Equal(zoneOffset), "%s for %s carries the zone's offset +10:00: %q", what, zoneCode, zoned)
	Expect(z.Equal(p)).To(BeTrue(), "%s for %s (%q) is the same instant as without the header (%q)", what, zoneCode, zoned, plain)
	Expect(z.Hour()).To(Equal(p.UTC().Add(zoneOffset).Hour()), "the wall clock is shifted by the zone's offset")
}

// soapRegistered returns the text of Registered in a raw SOAP Webhook.
func soapRegistered(raw string) string {
	GinkgoHelper()
	var doc struct {
		Registered string `xml:"Registered"`
	}
	Expect(xml.Unmarshal([]byte(raw), &doc)).To(Succeed(), "the SOAP Webhook is XML: %s", raw)
	return strings.TrimSpace(doc.Registered)
}

// Spec area "crud", the request headers that change answers (spec §2.1,
// §2.5): SO-TimeZone and the SOAP TimeZone header convert the dates;
// Accept-Language, SO-Language and SO-Culture localise strings and dates
// but leave the wire values alone.
var _ = Describe("crud", func() {
	if !Area() {
		return
	}
	Context("rest", func() {
		const st = driver.REST

		It("answers dates in the SO-TimeZone zone: the same instant with the zone's offset", Clause("WH-WIRE-013", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			created := s.Create(s.Hook(s.Channel()))
			get := func(h http.Header) gjson.Result {
				resp, err := RESTOf(s).Do(ctx, http.MethodGet, "/api/v1/Webhook/"+strconv.Itoa(int(created.ID)), nil, h)
				Expect(err).NotTo(HaveOccurred())
				Expect(resp.Status).To(Equal(http.StatusOK), "GET: %s", resp.Body)
				return gjson.ParseBytes(resp.Body)
			}
			plain, zoned := get(nil), get(http.Header{"SO-TimeZone": {zoneCode}})
			expectZoned("Registered", plain.Get("Registered").String(), zoned.Get("Registered").String())
		})
	})

	Context("agents", func() {
		const st = driver.Agents

		It("answers dates in the SO-TimeZone zone: the same instant with the zone's offset", Clause("WH-WIRE-013", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			created := s.Create(s.Hook(s.Channel()))
			get := func(h http.Header) gjson.Result {
				resp, err := AgentsOf(s).Do(ctx, http.MethodPost, "GetWebhook", url.Values{"webhookId": {strconv.Itoa(int(created.ID))}}, nil, h)
				Expect(err).NotTo(HaveOccurred())
				Expect(resp.Status).To(Equal(http.StatusOK), "GetWebhook: %s", resp.Body)
				return gjson.ParseBytes(resp.Body)
			}
			plain, zoned := get(nil), get(http.Header{"SO-TimeZone": {zoneCode}})
			expectZoned("Registered", plain.Get("Registered").String(), zoned.Get("Registered").String())
			list := func(h http.Header) gjson.Result {
				resp, err := AgentsOf(s).Do(ctx, http.MethodPost, "GetAllWebhooks", nil, []byte(`{"NameFilter":`+strconv.Quote(created.Name)+`}`), h)
				Expect(err).NotTo(HaveOccurred())
				Expect(resp.Status).To(Equal(http.StatusOK), "GetAllWebhooks: %s", resp.Body)
				return gjson.ParseBytes(resp.Body)
			}
			expectZoned("GetAllWebhooks Registered", list(nil).Get("0.Registered").String(), list(http.Header{"SO-TimeZone": {zoneCode}}).Get("0.Registered").String())
		})
	})

	Context("soap", func() {
		const st = driver.SOAP

		It("answers dates in the zone of the TimeZone header and names that zone in the answer's TimeZone header", Clause("WH-WIRE-014", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			created := s.Create(s.Hook(s.Channel()))
			d := SOAPOf(s)
			id := "<wh:WebhookId>" + strconv.Itoa(int(created.ID)) + "</wh:WebhookId>"
			get := func(header string) *driver.SOAPReply {
				resp, err := d.Do(ctx, "GetWebhook", d.EnvelopeWithHeader("GetWebhook", header, id))
				Expect(err).NotTo(HaveOccurred())
				r, err := d.Reply("GetWebhook", resp)
				Expect(err).NotTo(HaveOccurred())
				return r
			}
			plain := get("")
			zoned := get(`<wh:TimeZone><wh:SoTimeZoneId>0</wh:SoTimeZoneId><wh:SoTimeZoneLocationCode>` + zoneCode + `</wh:SoTimeZoneLocationCode></wh:TimeZone>`)
			pw, err := plain.Webhook()
			Expect(err).NotTo(HaveOccurred())
			zw, err := zoned.Webhook()
			Expect(err).NotTo(HaveOccurred())
			expectZoned("Registered", soapRegistered(pw.Raw), soapRegistered(zw.Raw))
			Expect(zoned.HeaderText["TimeZone"]).To(ContainSubstring(zoneCode), "the TimeZone response header names the zone of the dates")
		})
	})

	ForStyles([]driver.Style{driver.REST, driver.Agents}, func(st driver.Style) {
		It("keeps the wire values under Accept-Language, SO-Language and SO-Culture: State names, ISO dates and the stored strings", Clause("WH-WIRE-015", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			created := s.Create(s.Hook(s.Channel()))
			get := func(h http.Header) gjson.Result {
				var resp *driver.Response
				var err error
				if st == driver.REST {
					resp, err = RESTOf(s).Do(ctx, http.MethodGet, "/api/v1/Webhook/"+strconv.Itoa(int(created.ID)), nil, h)
				} else {
					resp, err = AgentsOf(s).Do(ctx, http.MethodPost, "GetWebhook", url.Values{"webhookId": {strconv.Itoa(int(created.ID))}}, nil, h)
				}
				Expect(err).NotTo(HaveOccurred())
				Expect(resp.Status).To(Equal(http.StatusOK), "read with %v: %s", h, resp.Body)
				return gjson.ParseBytes(resp.Body)
			}
			plain := get(nil)
			for _, h := range []http.Header{
				{"Accept-Language": {"nb-NO, de;q=0.8"}},
				{"SO-Language": {"de"}, "Accept-Language": {"sv"}},
				{"SO-Language": {"nb"}, "SO-Culture": {"de"}},
			} {
				got := get(h)
				for _, f := range []string{"WebhookId", "Name", "Events", "TargetUrl", "State", "Type", "Registered", "Updated"} {
					Expect(got.Get(f).Raw).To(Equal(plain.Get(f).Raw), "%s under %v: the wire value does not depend on the language or culture", f, h)
				}
			}
		})
	})
})
