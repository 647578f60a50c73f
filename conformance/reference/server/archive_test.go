package server_test

import (
	"net/http"
	"net/url"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/conformance/reference"
)

var _ = Describe("GET /api/v1/Archive/dynamic (webhook_usage)", func() {
	var e *feEnv
	BeforeEach(func() {
		// One fast cycle of 3 attempts, far from the error threshold.
		e = newFEEnv(reference.Options{RetryPolicy: reference.Schedule{Attempts: 3, Delays: []time.Duration{time.Millisecond}, Cycles: 1, ErrorThreshold: 100}})
	})

	archive := func(sel, filter string) feResp {
		q := url.Values{}
		if sel != "" {
			q.Set("$select", sel)
		}
		if filter != "" {
			q.Set("$filter", filter)
		}
		return e.do(http.MethodGet, "/api/v1/Archive/dynamic?"+q.Encode(), "")
	}

	It("reads a webhook's usage statistics as the documented query asks", func() {
		id := e.create("usage", "thing.happened")
		e.target.setStatus(http.StatusInternalServerError)
		Expect(e.do(http.MethodPost, "/api/v1/Webhook/thing.happened/1", "").Status).To(Equal(http.StatusNoContent))
		sel := "webhook_usage.total_calls,webhook_usage.total_errors,webhook_usage.consecutive_errors,webhook_usage.last_error"
		filter := "webhook_usage.webhook_usage_id eq " + feItoa(id)
		Eventually(func() int64 { return archive(sel, filter).JSON().Get("0.webhook_usage\\.total_errors").Int() }).
			WithTimeout(10 * time.Second).Should(BeNumerically(">=", 3))
		row := archive(sel, filter).JSON().Get("0")
		Expect(row.Get("webhook_usage\\.total_calls").Int()).To(BeNumerically(">=", 3))
		Expect(row.Get("webhook_usage\\.consecutive_errors").Int()).To(Equal(int64(3)))
		Expect(row.Get("webhook_usage\\.last_error").String()).To(ContainSubstring("target says hi"))
		Expect(row.Map()).To(HaveLen(4), "only the selected columns")

		e.target.setStatus(http.StatusOK)
		Expect(e.do(http.MethodPost, "/api/v1/Webhook/thing.happened/2", "").Status).To(Equal(http.StatusNoContent))
		Eventually(func() int64 { return archive(sel, filter).JSON().Get("0.webhook_usage\\.consecutive_errors").Int() }).
			WithTimeout(10*time.Second).Should(BeZero(), "a success resets the consecutive count")
	})

	It("returns a row per visible webhook without a filter, and none for an unknown id", func() {
		a, b := e.create("a"), e.create("b")
		rows := archive("webhook_usage_id,total_calls", "").JSON().Array()
		Expect(rows).To(HaveLen(2))
		Expect(rows[0].Get("webhook_usage_id").Int()).To(Equal(a))
		Expect(rows[1].Get("webhook_usage_id").Int()).To(Equal(b))
		Expect(archive("", "webhook_usage_id eq 9999").Body).To(Equal("[]"))
	})

	DescribeTable("refuses what it does not serve with 400 and the error body",
		func(sel, filter string) {
			feExpectError(archive(sel, filter), http.StatusBadRequest, "ArgumentException")
		},
		Entry("another table", "contact.name", ""),
		Entry("an unknown column", "webhook_usage.nonsense", ""),
		Entry("another filter", "", "webhook_usage.total_calls gt 3"),
		Entry("an id out of range", "", "webhook_usage_id eq 99999999999"),
	)

	It("needs credentials", func() {
		e.authz = ""
		feExpectError(archive("", ""), http.StatusUnauthorized, "")
	})
})
