package reports_test

import (
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/reports"
)

var _ = Describe("failure messages", func() {
	DescribeTable("ReadableDuration keeps about four significant digits",
		func(d time.Duration, want string) { Expect(reports.ReadableDuration(d)).To(Equal(want)) },
		Entry("nanoseconds", 750*time.Nanosecond, "750ns"),
		Entry("microseconds", 900521*time.Nanosecond, "901µs"),
		Entry("milliseconds", 200760232*time.Nanosecond, "200.8ms"),
		Entry("round milliseconds", 375*time.Millisecond, "375ms"),
		Entry("seconds", 1612345678*time.Nanosecond, "1.61s"),
		Entry("whole seconds", 4*time.Second, "4s"),
		Entry("minutes", 63400*time.Millisecond, "1m3s"),
		Entry("negative", -200760232*time.Nanosecond, "-200.8ms"),
	)

	It("humanises Gomega's nanosecond durations and Go's long ones, and nothing else", func() {
		Expect(reports.HumaniseDurations("Expected\n    <time.Duration>: 200760232\nto be >=\n    <time.Duration>: 375000000")).
			To(Equal("Expected\n    200.8ms\nto be >=\n    375ms"))
		Expect(reports.HumaniseDurations("<time.Duration>: 1.5s")).To(Equal("1.5s"))
		Expect(reports.HumaniseDurations("came 200.744198ms after; held 2s; id 1d65a2e8 at 02:03:32.460")).
			To(Equal("came 200.7ms after; held 2s; id 1d65a2e8 at 02:03:32.460"))
	})

	It("folds a message into one complete headline: no call listing, no dangling colon", func() {
		msg := "attempt 3 came 200.744198ms after attempt 2; the delay is 400ms (spec 4s × time-scale 0.1):\n" +
			"  #2 02:03:32.460 POST event=x answered=500\n  #3 02:03:32.560 POST event=x retry=1 answered=500\n" +
			"Expected\n    <time.Duration>: 200760232\nto be >=\n    <time.Duration>: 375000000"
		Expect(reports.Headline(msg)).To(Equal("attempt 3 came 200.7ms after attempt 2; the delay is 400ms (spec 4s × time-scale 0.1) " +
			"— expected 200.8ms to be ≥ 375ms"))
	})

	It("quotes strings of a Gomega comparison and joins description lines", func() {
		msg := "X-SuperOffice-Retry of call #3\nExpected\n    <string>: 2\nto equal\n    <string>: 1"
		Expect(reports.Headline(msg)).To(Equal(`X-SuperOffice-Retry of call #3 — expected "2" to equal "1"`))
		Expect(reports.Headline("expected 3 attempts\ngot 4 attempts")).To(Equal("expected 3 attempts; got 4 attempts"))
		Expect(reports.Headline("Expected\n    <bool>: false\nto be true")).To(Equal("expected false to be true"))
		Expect(reports.Headline("ends with a colon:")).To(Equal("ends with a colon"))
		Expect(reports.Headline("the delay is 400ms:\n  #1 12:00 POST x\n  #2 12:00 POST x\nexpected 200.8ms to be ≥ 375ms")).
			To(Equal("the delay is 400ms — expected 200.8ms to be ≥ 375ms"), "BeDuration's message after a call listing")
	})
})
