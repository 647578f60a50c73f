package server_test

import (
	"io"
	"net/http"
	"net/http/httptest"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/tidwall/gjson"

	"github.com/hookcheck/hookcheck/conformance/reference/server"
)

var _ = Describe("Handler plumbing (handler.go)", func() {
	DescribeTable("canonicalises fixed path segments and keeps variable ones",
		func(in, want string) {
			Expect(server.CanonicalPathForTest(in)).To(Equal(want))
		},
		Entry("already canonical", "/api/v1/Webhook/default", "/api/v1/Webhook/default"),
		Entry("lower case", "/api/v1/webhook/DEFAULT", "/api/v1/Webhook/default"),
		Entry("test", "/API/V1/WEBHOOK/test", "/api/v1/Webhook/Test"),
		Entry("last error", "/api/v1/webhook/5/lasterror", "/api/v1/Webhook/5/LastError"),
		Entry("event name kept", "/api/v1/webhook/Test/0", "/api/v1/Webhook/Test/0"),
		Entry("event name kept (default)", "/api/v1/webhook/default/7", "/api/v1/Webhook/default/7"),
		Entry("agent method", "/api/v1/agents/webhook/getwebhook", "/api/v1/Agents/Webhook/GetWebhook"),
		Entry("unknown agent method kept", "/api/v1/agents/webhook/Nope", "/api/v1/Agents/Webhook/Nope"),
		Entry("soap 88", "/remote/services88/webhook.svc", "/Remote/Services88/Webhook.svc"),
		Entry("soap 87", "/Remote/SERVICES87/Webhook.SVC", "/Remote/Services87/Webhook.svc"),
		Entry("trailing slash and dots", "/api/v1/Webhook/./", "/api/v1/Webhook"),
		Entry("double slashes", "//api//v1//Webhook", "/api/v1/Webhook"),
		Entry("other paths untouched", "/Other/Path", "/Other/Path"),
	)

	Describe("panic recovery", func() {
		It("turns a panic into a 500 error body and keeps serving", func() {
			calls := 0
			srv := httptest.NewServer(server.RecoverHandlerForTest(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				calls++
				if r.URL.Path == "/boom" {
					panic("boom")
				}
				w.WriteHeader(http.StatusTeapot)
			})))
			defer srv.Close()

			resp, err := http.Get(srv.URL + "/boom")
			Expect(err).NotTo(HaveOccurred())
			body, _ := io.ReadAll(resp.Body)
			_ = resp.Body.Close()
			Expect(resp.StatusCode).To(Equal(http.StatusInternalServerError))
			Expect(resp.Header.Get("Content-Type")).To(Equal("application/json; charset=utf-8"))
			Expect(gjson.GetBytes(body, "Error").Bool()).To(BeTrue())
			Expect(gjson.GetBytes(body, "ErrorSource").String()).To(Equal("SuperOffice.Services.Implementation"))

			resp, err = http.Get(srv.URL + "/fine")
			Expect(err).NotTo(HaveOccurred())
			_ = resp.Body.Close()
			Expect(resp.StatusCode).To(Equal(http.StatusTeapot))
			Expect(calls).To(Equal(2))
		})

		It("re-raises http.ErrAbortHandler as net/http expects", func() {
			h := server.RecoverHandlerForTest(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
				panic(http.ErrAbortHandler)
			}))
			Expect(func() {
				h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/", nil))
			}).To(PanicWith(http.ErrAbortHandler))
		})
	})
})
