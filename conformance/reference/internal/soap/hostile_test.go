package soap_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/conformance/reference"
	"github.com/hookcheck/hookcheck/conformance/reference/internal/reftest"
	"github.com/hookcheck/hookcheck/conformance/reference/internal/soap"
)

// soapTestRepeat is an endless reader of one byte.
type soapTestRepeat byte

// Read fills p with the byte.
func (r soapTestRepeat) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(r)
	}
	return len(p), nil
}

// soapTestRawPost writes a POST by hand on a fresh connection, streaming
// body while it reads the answer, so a server that answers before reading
// everything is observed deterministically. With chunked the body is sent
// with Transfer-Encoding: chunked, else with Content-Length size.
func soapTestRawPost(ctx context.Context, addr, path string, body io.Reader, size int64, chunked bool) (*http.Response, []byte, error) {
	conn, err := (&net.Dialer{}).DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, nil, err
	}
	if deadline, ok := ctx.Deadline(); ok {
		if err := conn.SetDeadline(deadline); err != nil {
			return nil, nil, err
		}
	}
	written := make(chan struct{})
	defer func() {
		conn.Close()
		<-written // the writer stops once the connection is closed
	}()
	go func() {
		defer close(written)
		head := fmt.Sprintf("POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: text/xml; charset=utf-8\r\n", path, addr)
		if chunked {
			head += "Transfer-Encoding: chunked\r\n\r\n"
		} else {
			head += fmt.Sprintf("Content-Length: %d\r\n\r\n", size)
		}
		if _, err := io.WriteString(conn, head); err != nil {
			return
		}
		if chunked {
			cw := httputil.NewChunkedWriter(conn)
			if _, err := io.Copy(cw, body); err != nil {
				return
			}
			_ = cw.Close()
			_, _ = io.WriteString(conn, "\r\n")
			return
		}
		_, _ = io.Copy(conn, body)
	}()
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	return resp, data, err
}

var _ = Describe("SOAP endpoint under hostile input", func() {
	var (
		srv *httptest.Server
		url string
	)

	BeforeEach(func() {
		srv = httptest.NewServer(soap.NewSOAPHandlerForTest(nil, reference.Auth{Ticket: reftest.SOAPTicket}, reftest.SOAPNS88))
		DeferCleanup(srv.Close)
		url = srv.URL + reftest.SOAPPath88
	})

	// stillServes checks that the endpoint answers a normal request.
	stillServes := func(ctx context.Context) {
		GinkgoHelper()
		env := reftest.SOAPEnvelope(11, reftest.SOAPNS88, "", `<w:GetWebhook><w:WebhookId>1</w:WebhookId></w:GetWebhook>`)
		reply, err := reftest.SOAPPost(ctx, url, 11, reftest.SOAPNS88, "GetWebhook", env, nil)
		Expect(err).NotTo(HaveOccurred())
		Expect(reply.Status).To(Equal(http.StatusOK))
		Expect(reply.Succeeded()).To(Equal("false")) // no ticket: refused, but served
	}

	expectClientFault := func(reply *reftest.SOAPReply, status int, wantInReason string) {
		GinkgoHelper()
		Expect(reply.Status).To(Equal(status), string(reply.Raw))
		code, reason, ok := reply.Fault()
		Expect(ok).To(BeTrue(), string(reply.Raw))
		Expect(code).To(Equal("s:Client"))
		Expect(reason).To(ContainSubstring(wantInReason))
	}

	const head = `<s:Envelope xmlns:s="` + reftest.SOAPEnv11 + `"><s:Body>`
	const tail = `</s:Body></s:Envelope>`

	DescribeTable("answers with a clean Fault and keeps serving",
		func(ctx SpecContext, doc, wantInReason string) {
			reply, err := reftest.SOAPPost(ctx, url, 11, "", "", doc, nil)
			Expect(err).NotTo(HaveOccurred())
			expectClientFault(reply, http.StatusInternalServerError, wantInReason)
			stillServes(ctx)
		},
		Entry("10,000 levels of nesting", head+"<w:GetWebhook xmlns:w=\""+reftest.SOAPNS88+"\">"+
			strings.Repeat("<x>", 10_000)+strings.Repeat("</x>", 10_000)+"</w:GetWebhook>"+tail, "nested deeper", SpecTimeout(10*time.Second)),
		Entry("a DOCTYPE with billion-laughs entities",
			`<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">`+
				`<!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">`+
				`<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">`+
				`<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>`+
				head+`<a>&lol3;</a>`+tail, "DTDs", SpecTimeout(10*time.Second)),
		Entry("invalid UTF-8", head+"<a>\xc3\x28\xa0\xa1</a>"+tail, "UTF-8", SpecTimeout(10*time.Second)),
		Entry("a one-million-element array", head+`<w:SignalEvent xmlns:w="`+reftest.SOAPNS88+`"><w:Data>`+
			strings.Repeat("<a/>", 1_000_000)+`</w:Data></w:SignalEvent>`+tail, "more than", SpecTimeout(20*time.Second)),
	)

	DescribeTable("refuses a 50 MB body with 413 and keeps serving",
		func(ctx SpecContext, chunked bool) {
			const size = 50 << 20
			body := io.MultiReader(strings.NewReader(head+"<a>"), io.LimitReader(soapTestRepeat('a'), size-int64(len(head)+3)))
			resp, data, err := soapTestRawPost(ctx, srv.Listener.Addr().String(), reftest.SOAPPath88, body, size, chunked)
			Expect(err).NotTo(HaveOccurred())
			Expect(resp.StatusCode).To(Equal(http.StatusRequestEntityTooLarge))
			root, err := reftest.ParseSOAP(data)
			Expect(err).NotTo(HaveOccurred())
			Expect(root.Path("Body", "Fault", "faultstring").Text).To(ContainSubstring("limit"))
			stillServes(ctx)
		},
		Entry("with Content-Length", false, SpecTimeout(20*time.Second)),
		Entry("chunked", true, SpecTimeout(20*time.Second)),
	)

	It("serves concurrent hostile and normal requests", func(ctx SpecContext) {
		deep := head + strings.Repeat("<x>", 10_000) + strings.Repeat("</x>", 10_000) + tail
		errs := make(chan error, 16)
		for i := range 16 {
			go func() {
				defer GinkgoRecover()
				doc := deep
				if i%2 == 0 {
					doc = reftest.SOAPEnvelope(12, reftest.SOAPNS88, "", `<w:CreateDefaultWebhook/>`)
				}
				reply, err := reftest.SOAPPost(ctx, url, 12, "", "", doc, nil)
				if err == nil && reply.Status != http.StatusOK && reply.Status != http.StatusInternalServerError {
					err = fmt.Errorf("unexpected status %d", reply.Status)
				}
				errs <- err
			}()
		}
		for range 16 {
			Expect(<-errs).NotTo(HaveOccurred())
		}
		stillServes(ctx)
	}, SpecTimeout(20*time.Second))
})
