package receiver

import (
	"bufio"
	"net/http"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/receiver/api"
)

// parseRequest reads a raw HTTP/1.1 request as a server would.
func parseRequest(raw string) *http.Request {
	GinkgoHelper()
	r, err := http.ReadRequest(bufio.NewReader(strings.NewReader(raw)))
	Expect(err).NotTo(HaveOccurred())
	r.RemoteAddr = "127.0.0.1:5555"
	return r
}

// storeCall packs r and body the way serveHook does.
func storeCall(r *http.Request, body string) storedCall {
	return storeAsSent(r, nil, body)
}

// storeAsSent packs r with the header block it was read from, the way
// serveHook does for a call on the plain-HTTP listener.
func storeAsSent(r *http.Request, block []byte, body string) storedCall {
	lines := headerLines(block)
	buf := packRequest(make([]byte, 0, packedSize(r, lines)), r, lines)
	Expect(len(buf)).To(BeNumerically("<=", packedSize(r, lines)), "packedSize is an upper bound")
	at := len(buf)
	return storedCall{buf: append(buf, body...), bodyAt: uint32(at), seq: 7, receivedAt: time.Date(2026, 11, 23, 10, 0, 0, 123, time.UTC).UnixNano(), bodySize: int64(len(body))}
}

var _ = Describe("storedCall", func() {
	raw := "POST /hooks/c1/x%20y?a=1&b=2 HTTP/1.1\r\nHost: example.test:8080\r\n" +
		"X-SuperOffice-Event: contact.created\r\nX-Superoffice-Eventid: e-1\r\nX-SuperOffice-Retry: 2\r\n" +
		"Accept: a\r\nAccept: b\r\nEmpty:\r\nContent-Length: 4\r\n\r\nbody"

	It("gives back exactly the request it packed", func() {
		c := storeCall(parseRequest(raw), `{"Ä":1}`)
		c.signature = sigValid
		got := c.call("c1", &api.Response{Status: 200, Rule: -1, Headers: map[string][]string{"Content-Length": {"0"}}})
		Expect(got.Seq).To(Equal(uint64(7)))
		Expect(got.Channel).To(Equal("c1"))
		Expect(got.ReceivedAt).To(Equal(time.Date(2026, 11, 23, 10, 0, 0, 123, time.UTC)))
		Expect(got.Method).To(Equal("POST"))
		Expect(got.Path).To(Equal("/hooks/c1/x y"))
		Expect(got.Query).To(Equal("a=1&b=2"))
		Expect(got.Proto).To(Equal("HTTP/1.1"))
		Expect(got.RemoteAddr).To(Equal("127.0.0.1:5555"))
		Expect(got.Headers).To(Equal(map[string][]string{
			"Host":                  {"example.test:8080"},
			"X-Superoffice-Event":   {"contact.created"},
			"X-Superoffice-Eventid": {"e-1"},
			"X-Superoffice-Retry":   {"2"},
			"Accept":                {"a", "b"},
			"Empty":                 {""},
			"Content-Length":        {"4"},
		}))
		Expect(got.Event).To(Equal("contact.created"))
		Expect(got.EventID).To(Equal("e-1"))
		Expect(got.Retry).To(HaveValue(Equal(2)))
		Expect(got.Body).To(Equal(`{"Ä":1}`))
		Expect(got.BodyBase64).To(BeEmpty())
		Expect(got.Signature).To(Equal(api.SignatureValid))
		Expect(got.Response.Status).To(Equal(200))
		Expect(got.Response.Headers).To(Equal(map[string][]string{"Content-Length": {"0"}}))
	})

	It("keeps the header lines as sent and gives them as rawHeaders, in their case and order", func() {
		block := []byte(raw[:strings.Index(raw, "\r\n\r\n")+4])
		c := storeAsSent(parseRequest(raw), block, "body")
		got := c.call("c1", nil)
		Expect(got.RawHeaders).To(Equal([]api.HeaderField{
			{Name: "Host", Value: "example.test:8080"},
			{Name: "X-SuperOffice-Event", Value: "contact.created"},
			{Name: "X-Superoffice-Eventid", Value: "e-1"},
			{Name: "X-SuperOffice-Retry", Value: "2"},
			{Name: "Accept", Value: "a"},
			{Name: "Accept", Value: "b"},
			{Name: "Empty", Value: ""},
			{Name: "Content-Length", Value: "4"},
		}))
		Expect(got.Headers).To(HaveKey("X-Superoffice-Event"), "the canonical headers stay as they were")
		Expect(string(c.header("Accept"))).To(Equal("a"), "the kept lines do not disturb header lookups")
		Expect(got.Body).To(Equal("body"))
	})

	It("gives no rawHeaders when the kept lines are not the request's headers", func() {
		other := "POST /hooks/c1 HTTP/1.1\r\nHost: example.test:8080\r\nAccept: a\r\n\r\n"
		c := storeAsSent(parseRequest(raw), []byte(other), "")
		Expect(c.call("c1", nil).RawHeaders).To(BeNil(), "another request's block")
		reordered := strings.Replace(raw, "Accept: a\r\nAccept: b", "Accept: b\r\nAccept: a", 1)
		c = storeAsSent(parseRequest(raw), []byte(reordered[:strings.Index(reordered, "\r\n\r\n")+4]), "")
		Expect(c.call("c1", nil).RawHeaders).To(BeNil(), "values of one name in another order")
		c = storeCall(parseRequest(raw), "")
		Expect(c.call("c1", nil).RawHeaders).To(BeNil(), "nothing kept")
	})

	It("keeps Transfer-Encoding, which net/http takes out of the headers, among the lines as sent", func() {
		chunked := "POST /hooks/c1 HTTP/1.1\r\nhost: h\r\ntransfer-encoding: chunked\r\ncontent-type: application/json\r\n\r\n2\r\n{}\r\n0\r\n\r\n"
		c := storeAsSent(parseRequest(chunked), []byte(chunked[:strings.Index(chunked, "\r\n\r\n")+4]), "{}")
		Expect(c.call("c1", nil).RawHeaders).To(Equal([]api.HeaderField{
			{Name: "host", Value: "h"}, {Name: "transfer-encoding", Value: "chunked"}, {Name: "content-type", Value: "application/json"},
		}))
	})

	It("hands every reader its own copies, so the shared answer and the buffer stay intact", func() {
		shared := &api.Response{Status: 503, Headers: map[string][]string{"Retry-After": {"5"}}}
		c := storeCall(parseRequest(raw), "abc")
		got := c.call("c1", shared)
		got.Response.Headers["Retry-After"][0] = "changed"
		got.Headers["Accept"][0] = "changed"
		Expect(shared.Headers["Retry-After"]).To(Equal([]string{"5"}))
		again := c.call("c1", shared)
		Expect(again.Headers["Accept"]).To(Equal([]string{"a", "b"}))
		Expect(again.Response.Headers["Retry-After"]).To(Equal([]string{"5"}))
	})

	It("gives a body that is not UTF-8 as base64, and a missing or odd retry header as null", func() {
		r := parseRequest("POST /hooks/c1 HTTP/1.1\r\nHost: h\r\nX-SuperOffice-Retry: soon\r\n\r\n")
		c := storeCall(r, "\xff\x00\xfe")
		got := c.call("c1", nil)
		Expect(got.Body).To(BeEmpty())
		Expect(got.BodyBase64).To(Equal("/wD+"))
		Expect(got.Retry).To(BeNil())
		Expect(got.Signature).To(Equal(api.SignatureUnchecked))
		Expect(got.Response).To(Equal(api.Response{}), "no answer recorded yet")
	})

	It("finds a header's first value without building the call", func() {
		c := storeCall(parseRequest(raw), "")
		Expect(string(c.header("Accept"))).To(Equal("a"))
		Expect(c.header("Empty")).To(BeEmpty())
		Expect(c.header("Nope")).To(BeNil())
		Expect(c.eventIs([]byte("CONTACT.created"))).To(BeTrue())
		Expect(c.eventIs([]byte("contact.changed"))).To(BeFalse())
	})

	It("reads a damaged buffer as empty fields instead of failing", func() {
		c := storeCall(parseRequest(raw), "")
		c.buf = c.buf[:c.bodyAt/2]
		c.bodyAt = uint32(len(c.buf))
		Expect(func() { c.call("c1", nil); c.header("Accept") }).NotTo(Panic())
	})

	It("names every signature verdict in one byte", func() {
		Expect([]string{sigUnchecked.String(), sigValid.String(), sigInvalid.String(), sigMissing.String()}).To(Equal(
			[]string{api.SignatureUnchecked, api.SignatureValid, api.SignatureInvalid, api.SignatureMissing}))
	})
})
