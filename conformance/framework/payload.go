package framework

import (
	"regexp"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/tidwall/gjson"

	"github.com/hookcheck/hookcheck/receiver/api"
)

// Wire formats of the payload fields (spec §4.3).
var (
	guidPattern      = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
	timestampPattern = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}Z$`)
)

// TestEvent is the event name of the save-time test event (spec §3).
const TestEvent = "test"

// Header names of a delivery (spec §4.2).
const (
	HeaderEvent     = "X-SuperOffice-Event"
	HeaderEventID   = "X-SuperOffice-EventId"
	HeaderRetry     = "X-SuperOffice-Retry"
	HeaderSignature = "X-SuperOffice-Signature"
	HeaderHookTest  = "X-Hook-Test"
)

// Body parses a call's body as JSON, failing the spec when it is not.
func Body(c api.Call) gjson.Result {
	GinkgoHelper()
	Expect(gjson.Valid(c.Body)).To(BeTrue(), "call #%d: the body is not JSON: %.300s", c.Seq, c.Body)
	return gjson.Parse(c.Body)
}

// ExpectJSONContentType checks Content-Type: application/json;
// charset=utf-8 (spacing and case aside).
func ExpectJSONContentType(c api.Call) {
	GinkgoHelper()
	ct := strings.ToLower(strings.ReplaceAll(c.Header("Content-Type"), " ", ""))
	Expect(ct).To(Equal("application/json;charset=utf-8"), "call #%d Content-Type %q", c.Seq, c.Header("Content-Type"))
}

// ExpectUserAgent checks User-Agent: NetServer-Webhook/{version}.
func ExpectUserAgent(c api.Call) {
	GinkgoHelper()
	ua := c.Header("User-Agent")
	Expect(ua).To(MatchRegexp(`^NetServer-Webhook/\S+$`), "call #%d User-Agent %q", c.Seq, ua)
}

// ExpectPayloadFields checks the fields every payload carries (spec
// §4.3): EventId (a GUID equal to the header), Timestamp, Changes, Event,
// PrimaryKey, ContextIdentifier, ChangedByAssociateId and WebhookName;
// Entity unless noEntity (state events have none).
func ExpectPayloadFields(c api.Call, p Profile, noEntity bool) gjson.Result {
	GinkgoHelper()
	b := Body(c)
	Expect(b.Get("EventId").String()).To(MatchRegexp(guidPattern.String()), "EventId is a GUID: %.300s", c.Body)
	Expect(b.Get("EventId").String()).To(Equal(c.Header(HeaderEventID)), "body EventId equals the X-SuperOffice-EventId header")
	Expect(b.Get("Timestamp").String()).To(MatchRegexp(timestampPattern.String()), "Timestamp is ISO-8601 UTC with 7 fraction digits and Z")
	Expect(b.Get("Changes").IsArray()).To(BeTrue(), "Changes is an array: %.300s", c.Body)
	Expect(b.Get("Event").Type).To(Equal(gjson.String), "Event is a string")
	Expect(b.Get("PrimaryKey").Type).To(Equal(gjson.Number), "PrimaryKey is a number")
	Expect(b.Get("ChangedByAssociateId").Type).To(Equal(gjson.Number), "ChangedByAssociateId is a number")
	Expect(b.Get("WebhookName").Exists()).To(BeTrue(), "WebhookName is present")
	ExpectContextIdentifier(b, p)
	if !noEntity {
		Expect(b.Get("Entity").Type).To(Equal(gjson.String), "Entity is a string: %.300s", c.Body)
	}
	return b
}

// ExpectContextIdentifier checks ContextIdentifier against the profile
// (§9 #23).
func ExpectContextIdentifier(b gjson.Result, p Profile) {
	GinkgoHelper()
	ci := b.Get("ContextIdentifier")
	Expect(ci.Type).To(Equal(gjson.String), "ContextIdentifier is a string")
	if p.ContextIdentifier != "" {
		Expect(ci.String()).To(Equal(p.ContextIdentifier), "ContextIdentifier (--context-identifier)")
	} else {
		Expect(ci.String()).NotTo(BeEmpty(), "ContextIdentifier is not empty")
	}
}

// Strings returns a JSON array of strings.
func Strings(r gjson.Result) []string {
	out := []string{}
	for _, v := range r.Array() {
		out = append(out, v.String())
	}
	return out
}
