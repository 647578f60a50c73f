package server_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/tidwall/gjson"

	"github.com/hookcheck/hookcheck/conformance/reference"
	"github.com/hookcheck/hookcheck/conformance/reference/internal/reftest"
	"github.com/hookcheck/hookcheck/conformance/reference/internal/wire"
	"github.com/hookcheck/hookcheck/conformance/reference/server"
)

var _ = Describe("NewHandler (handler.go)", func() {
	Describe("authentication (spec §2.1)", func() {
		var e *feEnv
		BeforeEach(func() { e = newFEEnv(reference.Options{}) })

		DescribeTable("refuses missing or wrong credentials with 401 and the error body",
			func(method, path, authz string) {
				r := e.do(method, path, "", "Authorization", authz)
				feExpectError(r, http.StatusUnauthorized, "UnauthorizedAccessException")
				Expect(r.Header.Get("WWW-Authenticate")).To(ContainSubstring("Basic"))
			},
			Entry("REST, none", http.MethodGet, "/api/v1/Webhook", "-"),
			Entry("REST, wrong password", http.MethodGet, "/api/v1/Webhook/default", reftest.Basic("tje0", "nope")),
			Entry("REST, wrong ticket", http.MethodPost, "/api/v1/Webhook", "SoTicket 7T:nope"),
			Entry("REST, wrong bearer", http.MethodDelete, "/api/v1/Webhook/1", "Bearer 7A:nope"),
			Entry("REST, unknown scheme", http.MethodGet, "/api/v1/Webhook", "Digest x"),
			Entry("Agents, none", http.MethodPost, "/api/v1/Agents/Webhook/CreateDefaultWebhook", "-"),
			Entry("Agents, wrong", http.MethodPost, "/api/v1/Agents/Webhook/GetAllWebhooks", reftest.Basic("x", "y")),
			Entry("Agents GET description, none", http.MethodGet, "/api/v1/Agents/Webhook/GetWebhook", "-"),
		)

		DescribeTable("accepts all three schemes",
			func(authz string) {
				Expect(e.do(http.MethodGet, "/api/v1/Webhook/default", "", "Authorization", authz).Status).To(Equal(http.StatusOK))
				Expect(e.do(http.MethodPost, "/api/v1/Agents/Webhook/CreateDefaultWebhook", "", "Authorization", authz).Status).To(Equal(http.StatusOK))
			},
			Entry("Basic", reftest.Basic("tje0", "Tje0")),
			Entry("SoTicket", "SoTicket 7T:ticket"),
			Entry("Bearer", "Bearer 7A:token"),
		)

		It("stamps the authenticated associate on saves", func() {
			r := e.do(http.MethodPost, "/api/v1/Webhook", e.hookJSON("who"), "Authorization", "SoTicket 7T:ticket")
			Expect(r.Status).To(Equal(http.StatusOK), r.Body)
			Expect(r.JSON().Get("RegisteredAssociate.AssociateId").Int()).To(Equal(int64(reference.DefaultAssociate.AssociateID)))
		})
	})

	Describe("SO-AppToken (spec §8)", func() {
		It("scopes every call to the caller's application when the service is Online", func() {
			e := newFEEnv(reference.Options{Online: true})
			r := e.do(http.MethodPost, "/api/v1/Webhook", e.hookJSON("app A"), "SO-AppToken", "app-a")
			Expect(r.Status).To(Equal(http.StatusOK), r.Body)
			id := feItoa(r.JSON().Get("WebhookId").Int())

			Expect(e.do(http.MethodGet, "/api/v1/Webhook/"+id, "", "SO-AppToken", "app-a").Status).To(Equal(http.StatusOK))
			feExpectError(e.do(http.MethodGet, "/api/v1/Webhook/"+id, "", "SO-AppToken", "app-b"), http.StatusNotFound, "")
			Expect(e.do(http.MethodPost, "/api/v1/Agents/Webhook/GetWebhook?webhookId="+id, "", "SO-AppToken", "app-b").Body).To(Equal("null"))
			Expect(e.do(http.MethodGet, "/api/v1/Webhook", "", "SO-AppToken", "app-b").Body).To(Equal("[]"))
			feExpectError(e.do(http.MethodGet, "/api/v1/Webhook", ""), http.StatusForbidden, "")
		})
	})

	Describe("path prefix", func() {
		It("mounts everything under the prefix, case-insensitively, and links include it", func() {
			e := newFEEnv(reference.Options{}, server.WithPathPrefix("/Cust12345"))
			r := e.do(http.MethodPost, "/cust12345/api/v1/Webhook", e.hookJSON("tenant"))
			Expect(r.Status).To(Equal(http.StatusOK), r.Body)
			Expect(r.JSON().Get("_Links.Self").String()).To(HavePrefix(e.base + "/Cust12345/api/v1/Webhook/"))
			Expect(e.do(http.MethodGet, "/Cust12345/api/v1/Webhook/default", "").Status).To(Equal(http.StatusOK))
			Expect(e.do(http.MethodPost, "/Cust12345/api/v1/Agents/Webhook/CreateDefaultWebhook", "").Status).To(Equal(http.StatusOK))
			feExpectError(e.do(http.MethodGet, "/api/v1/Webhook/default", ""), http.StatusNotFound, "NotFoundException")
			feExpectError(e.do(http.MethodGet, "/Cust123456/api/v1/Webhook/default", ""), http.StatusNotFound, "NotFoundException")
		})

		It("gives SOAP the prefixed address for its WSDL", func() {
			e := newFEEnv(reference.Options{}, server.WithPathPrefix("Cust12345/"))
			r := e.do(http.MethodGet, "/Cust12345/remote/services88/webhook.svc?wsdl", "")
			Expect(r.Status).To(Equal(http.StatusOK))
			Expect(r.Body).To(ContainSubstring(e.base + "/Cust12345/Remote/Services88/Webhook.svc"))
			Expect(r.Body).To(ContainSubstring("NetServer/Services88"))
			r = e.do(http.MethodGet, "/Cust12345/Remote/Services87/Webhook.svc?wsdl", "")
			Expect(r.Body).To(ContainSubstring("NetServer/Services87"))
		})

		It("uses WithBaseURL for links", func() {
			e := newFEEnv(reference.Options{}, server.WithBaseURL("https://sod.example.com/Cust1/"))
			r := e.do(http.MethodPost, "/api/v1/Webhook", e.hookJSON("linked"))
			Expect(r.JSON().Get("_Links.Archive").String()).To(Equal("https://sod.example.com/Cust1/api/v1/Webhook"))
		})
	})

	Describe("SOAP mount", func() {
		It("routes both Webhook.svc endpoints to the SOAP front end", func() {
			e := newFEEnv(reference.Options{})
			for _, p := range []string{"/Remote/Services88/Webhook.svc", "/remote/services87/webhook.svc"} {
				r := e.do(http.MethodPost, p, "<x/>", "Content-Type", "text/xml; charset=utf-8")
				Expect(r.Status).NotTo(Equal(http.StatusNotFound), p)
				Expect(r.Header.Get("Content-Type")).To(ContainSubstring("xml"), p)
			}
		})
	})

	Describe("bad input (every one a clean 4xx, the process keeps serving)", func() {
		var e *feEnv
		BeforeEach(func() { e = newFEEnv(reference.Options{}) })
		AfterEach(func() {
			Expect(e.do(http.MethodGet, "/api/v1/Webhook/default", "").Status).To(Equal(http.StatusOK))
		})

		It("answers 404 and 405 with the error body", func() {
			feExpectError(e.do(http.MethodGet, "/api/v1/Nothing", ""), http.StatusNotFound, "NotFoundException")
			feExpectError(e.do(http.MethodPut, "/api/v1/Webhook", "{}"), http.StatusMethodNotAllowed, "MethodNotAllowedException")
			feExpectError(e.do(http.MethodGet, "/api/v1/Webhook/1/2", ""), http.StatusMethodNotAllowed, "MethodNotAllowedException")
		})

		It("answers 400 for malformed JSON, invalid UTF-8 and deep nesting", func() {
			feExpectError(e.do(http.MethodPost, "/api/v1/Webhook", `{"Name":`), http.StatusBadRequest, "JsonReaderException")
			feExpectError(e.do(http.MethodPost, "/api/v1/Webhook", "{\"Name\":\"\xff\"}"), http.StatusBadRequest, "JsonReaderException")
			feExpectError(e.do(http.MethodPost, "/api/v1/Webhook", strings.Repeat("[", 500_000)), http.StatusBadRequest, "JsonReaderException")
			feExpectError(e.do(http.MethodPost, "/api/v1/Agents/Webhook/SaveWebhook", strings.Repeat(`{"a":`, 10_000)), http.StatusBadRequest, "JsonReaderException")
			feExpectError(e.do(http.MethodPatch, "/api/v1/Webhook/1", "["+strings.Repeat("[", 100)+"]"), http.StatusBadRequest, "JsonReaderException")
			feExpectError(e.do(http.MethodPost, "/api/v1/Webhook", `{"Events":[`+strings.Repeat(`"a",`, 50_000)+`"a"]}`), http.StatusBadRequest, "JsonReaderException")
		})

		It("answers 413 for a 10 MB body without reading it all", func() {
			big := bytes.Repeat([]byte("a"), 10<<20)
			req, err := http.NewRequest(http.MethodPost, e.base+"/api/v1/Webhook", bytes.NewReader(big))
			Expect(err).NotTo(HaveOccurred())
			req.Header.Set("Authorization", e.authz)
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Expect", "100-continue")
			client := &http.Client{Transport: &http.Transport{ExpectContinueTimeout: 30 * time.Second}}
			defer client.CloseIdleConnections()
			resp, err := client.Do(req)
			Expect(err).NotTo(HaveOccurred())
			body, _ := io.ReadAll(resp.Body)
			_ = resp.Body.Close()
			feExpectError(feResp{Status: resp.StatusCode, Header: resp.Header, Body: string(body)},
				http.StatusRequestEntityTooLarge, "RequestEntityTooLargeException")
		})

		It("answers 413 for an oversized chunked body", func() {
			h := server.NewHandler(e.svc, feAuth, server.WithMaxBodyBytes(1024))
			req := httptest.NewRequest(http.MethodPost, "/api/v1/Webhook", io.MultiReader(strings.NewReader(`{"Name":"`), strings.NewReader(strings.Repeat("x", 4096)), strings.NewReader(`"}`)))
			req.ContentLength = -1
			req.Header.Set("Authorization", e.authz)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			feExpectError(feResp{Status: rec.Code, Header: rec.Header(), Body: rec.Body.String()},
				http.StatusRequestEntityTooLarge, "RequestEntityTooLargeException")
		})

		It("answers 4xx for a JSON Patch with 100k operations, and 400 beyond the operation limit", func() {
			var b strings.Builder
			b.WriteString("[")
			for i := range 100_000 {
				if i > 0 {
					b.WriteString(",")
				}
				b.WriteString(`{"op":"test","path":"/Name","value":"x"}`)
			}
			b.WriteString("]")
			r := e.do(http.MethodPatch, "/api/v1/Webhook/1", b.String())
			Expect(r.Status).To(BeNumerically(">=", 400))
			Expect(r.Status).To(BeNumerically("<", 500))
			Expect(gjson.Get(r.Body, "Error").Bool()).To(BeTrue())

			id := e.create("many ops")
			ops := "[" + strings.TrimSuffix(strings.Repeat(`{"op":"test","path":"/Name","value":"many ops"},`, wire.MaxPatchOps+1), ",") + "]"
			feExpectError(e.do(http.MethodPatch, "/api/v1/Webhook/"+feItoa(id), ops), http.StatusBadRequest, "JsonPatchException")
			ops = "[" + strings.TrimSuffix(strings.Repeat(`{"op":"test","path":"/Name","value":"many ops"},`, wire.MaxPatchOps), ",") + "]"
			Expect(e.do(http.MethodPatch, "/api/v1/Webhook/"+feItoa(id), ops).Status).To(Equal(http.StatusOK))
		})

		It("answers 415 for multipart and other XML bodies, 400 for unreadable XML and forms", func() {
			feExpectError(e.do(http.MethodPost, "/api/v1/Webhook", "--b\r\n", "Content-Type", "multipart/form-data; boundary=b"),
				http.StatusUnsupportedMediaType, "UnsupportedMediaTypeException")
			feExpectError(e.do(http.MethodPost, "/api/v1/Webhook", "<Webhook/>", "Content-Type", "application/atom+xml"),
				http.StatusUnsupportedMediaType, "UnsupportedMediaTypeException")
			feExpectError(e.do(http.MethodPost, "/api/v1/Webhook", "<Webhook><Name>x</Webhook>", "Content-Type", "application/xml"),
				http.StatusBadRequest, wire.ErrTypeXMLReader)
			feExpectError(e.do(http.MethodPost, "/api/v1/Webhook", `<!DOCTYPE x [<!ENTITY a "b">]><Webhook/>`, "Content-Type", "text/xml"),
				http.StatusBadRequest, wire.ErrTypeXMLReader)
			feExpectError(e.do(http.MethodPost, "/api/v1/Webhook", "Name=%zz", "Content-Type", "application/x-www-form-urlencoded"),
				http.StatusBadRequest, wire.ErrTypeForm)
		})

		It("reads XML and form bodies as the JSON of the same webhook", func() {
			feExpectError(e.do(http.MethodPost, "/api/v1/Webhook", "<Webhook/>", "Content-Type", "application/xml"),
				http.StatusBadRequest, "")
			r := e.do(http.MethodPost, "/api/v1/Agents/Webhook/GetWebhook", "webhookId=999", "Content-Type", "application/x-www-form-urlencoded")
			Expect(r.Status).To(Equal(http.StatusOK), r.Body)
			Expect(strings.TrimSpace(r.Body)).To(Equal("null"), "an unknown id read from the form answers null")
		})

		It("answers 400 for wrongly typed fields", func() {
			feExpectError(e.do(http.MethodPost, "/api/v1/Webhook", `{"Events":"contact.created"}`), http.StatusBadRequest, "JsonSerializationException")
			feExpectError(e.do(http.MethodPost, "/api/v1/Webhook", `{"State":"Sleeping"}`), http.StatusBadRequest, "JsonSerializationException")
			feExpectError(e.do(http.MethodPost, "/api/v1/Webhook", `[1,2]`), http.StatusBadRequest, "JsonSerializationException")
		})

		It("survives many concurrent hostile requests", func() {
			bodies := []string{strings.Repeat("[", 1000), "{\"a\":\"\xc3\x28\"}", `{"Name":1}`, `]`, `{"Events":[null]}`}
			done := make(chan int, 50)
			for i := range 50 {
				go func() {
					defer GinkgoRecover()
					ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
					defer cancel()
					req, _ := http.NewRequestWithContext(ctx, http.MethodPost, e.base+"/api/v1/Webhook", strings.NewReader(bodies[i%len(bodies)]))
					req.Header.Set("Authorization", e.authz)
					resp, err := http.DefaultClient.Do(req)
					if err != nil {
						done <- 0
						return
					}
					_, _ = io.Copy(io.Discard, resp.Body)
					_ = resp.Body.Close()
					done <- resp.StatusCode
				}()
			}
			for range 50 {
				Expect(<-done).To(Equal(http.StatusBadRequest), "a hostile request did not get 400")
			}
		})
	})
})
