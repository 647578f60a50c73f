package main

import (
	"bufio"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/receiver"
)

// reader wraps raw response bytes for readResponse.
func reader(raw string) *bufio.Reader { return bufio.NewReader(strings.NewReader(raw)) }

var _ = Describe("readResponse", func() {
	DescribeTable("frames one response and leaves the next in the reader",
		func(raw string, status int, keepAlive bool) {
			br := reader(raw + "HTTP/1.1 204 No Content\r\n\r\n")
			st, ka, err := readResponse(br)
			Expect(err).NotTo(HaveOccurred())
			Expect(st).To(Equal(status))
			Expect(ka).To(Equal(keepAlive))
			if keepAlive {
				st, _, err = readResponse(br)
				Expect(err).NotTo(HaveOccurred())
				Expect(st).To(Equal(204), "the next response starts right after the body")
			}
		},
		Entry("Content-Length", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", 200, true),
		Entry("empty body", "HTTP/1.1 200 OK\r\nDate: x\r\nContent-Length: 0\r\n\r\n", 200, true),
		Entry("chunked, with trailers, header names in any case", "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n2\r\nOK\r\n3;ext=1\r\nabc\r\n0\r\nX-Trailer: t\r\n\r\n", 200, true),
		Entry("Connection: close", "HTTP/1.1 500 Oops\r\nConnection: close\r\nContent-Length: 2\r\n\r\nno", 500, false),
		Entry("HTTP/1.0 without keep-alive", "HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n", 200, false),
		Entry("HTTP/1.0 with keep-alive", "HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 0\r\n\r\n", 200, true),
	)

	It("reads a body without framing to the end of the connection", func() {
		st, ka, err := readResponse(reader("HTTP/1.1 200 OK\r\n\r\nall of it"))
		Expect(err).NotTo(HaveOccurred())
		Expect(st).To(Equal(200))
		Expect(ka).To(BeFalse())
	})

	DescribeTable("rejects what is not HTTP",
		func(raw string) {
			_, _, err := readResponse(reader(raw))
			Expect(err).To(HaveOccurred())
		},
		Entry("garbage", "\x00\x01garbage\r\n\r\n"),
		Entry("bad status", "HTTP/1.1 OK\r\n\r\n"),
		Entry("bad length", "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n"),
		Entry("bad chunk", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"),
		Entry("short body", "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc"),
		Entry("nothing", ""),
	)
})

var _ = Describe("newRequest", func() {
	It("serialises a POST with Host, the headers, Content-Length and the body", func() {
		req, err := newRequest("http://127.0.0.1:9/hooks/x?a=b", [][2]string{{"X-Test", "1"}}, []byte("{}"))
		Expect(err).NotTo(HaveOccurred())
		Expect(req.addr).To(Equal("127.0.0.1:9"))
		Expect(string(req.raw)).To(Equal("POST /hooks/x?a=b HTTP/1.1\r\nHost: 127.0.0.1:9\r\nX-Test: 1\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\n{}"))
	})

	It("refuses https", func() {
		_, err := newRequest("https://127.0.0.1/", nil, nil)
		Expect(err).To(MatchError(ContainSubstring("only http://")))
	})
})

var _ = Describe("benchRequest", func() {
	It("signs the 1 KB payload the way the receiver verifies it", func() {
		var sig, body atomic.Value
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			b, _ := io.ReadAll(r.Body)
			body.Store(b)
			sig.Store(r.Header.Get("X-SuperOffice-Signature"))
		}))
		defer srv.Close()
		req, err := benchRequest(srv.URL + "/hooks/bench")
		Expect(err).NotTo(HaveOccurred())
		c := &conn{req: req}
		defer c.close()
		Expect(c.do()).To(Succeed())
		b := body.Load().([]byte)
		Expect(b).To(HaveLen(1024))
		Expect(receiver.Verify(benchSecret, true, sig.Load().(string), b)).To(Equal("valid"))
	})
})

var _ = Describe("the load loops", func() {
	var (
		srv    *httptest.Server
		served atomic.Int64
		status atomic.Int64
	)
	BeforeEach(func() {
		served.Store(0)
		status.Store(200)
		srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.Copy(io.Discard, r.Body)
			served.Add(1)
			w.WriteHeader(int(status.Load()))
		}))
		DeferCleanup(srv.Close)
	})

	It("sends exactly the asked number of requests in a counted closed loop", func() {
		req, err := benchRequest(srv.URL + "/x")
		Expect(err).NotTo(HaveOccurred())
		res, err := closedLoop(req, 4, 0, 200)
		Expect(err).NotTo(HaveOccurred())
		Expect(res.OK).To(Equal(200))
		Expect(res.Errors).To(BeZero())
		Expect(res.Latencies).To(HaveLen(200))
		Expect(served.Load()).To(Equal(int64(200+4)), "plus one warm-up request per connection")
	})

	It("sends every scheduled request of an open loop and records the dispatch lag", func() {
		req, err := benchRequest(srv.URL + "/x")
		Expect(err).NotTo(HaveOccurred())
		res, err := openLoop(req, 4, 2000, 50*time.Millisecond)
		Expect(err).NotTo(HaveOccurred())
		Expect(res.OK + res.Errors + res.Unfinished).To(Equal(100))
		Expect(res.Lag).To(HaveLen(100))
	})

	It("counts answers other than 200 as errors", func() {
		req, err := benchRequest(srv.URL + "/x")
		Expect(err).NotTo(HaveOccurred())
		c := &conn{req: req}
		defer c.close()
		Expect(c.do()).To(Succeed())
		status.Store(503)
		err = c.do()
		Expect(errors.Is(err, errStatus)).To(BeTrue(), "got %v", err)
	})

	It("refuses to start when the server does not answer 200", func() {
		status.Store(404)
		req, err := benchRequest(srv.URL + "/x")
		Expect(err).NotTo(HaveOccurred())
		_, err = closedLoop(req, 2, 0, 10)
		Expect(err).To(MatchError(ContainSubstring("404")))
	})
})

var _ = Describe("quantile", func() {
	It("picks the nearest rank", func() {
		xs := make([]time.Duration, 1000)
		for i := range xs {
			xs[i] = time.Duration(i + 1)
		}
		Expect(quantile(xs, 0.5)).To(Equal(time.Duration(500)))
		Expect(quantile(xs, 0.99)).To(Equal(time.Duration(990)))
		Expect(quantile(xs, 0.999)).To(Equal(time.Duration(999)))
		Expect(quantile(xs, 1)).To(Equal(time.Duration(1000)))
		Expect(quantile(xs[:1], 0.99)).To(Equal(time.Duration(1)))
		Expect(quantile(nil, 0.5)).To(BeZero())
	})
})
