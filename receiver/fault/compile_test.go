package fault_test

import (
	"math"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/receiver/api"
	"github.com/hookcheck/hookcheck/receiver/fault"
)

var _ = Describe("Compile", func() {
	It("registers the five faults", func() {
		Expect(fault.Known()).To(Equal([]string{"close", "garbage", "hang", "reset", "slow-body"}))
	})

	It("names the rule and lists the known faults for an unknown fault", func() {
		_, _, _, err := fault.Compile(rules(`[{}, {"respond":{"status":500}}, {"fault":"explode"}]`), fault.Limits{})
		Expect(err).To(MatchError(`rule 2: fault "explode" is unknown (known: close, garbage, hang, reset, slow-body)`))
	})

	DescribeTable("rejects bad input with a sentence naming the rule",
		func(js string, want string) {
			s, out, warnings, err := fault.Compile(rules(js), fault.Limits{})
			Expect(err).To(HaveOccurred())
			Expect(err.Error()).To(HavePrefix("rule 0: "))
			Expect(err.Error()).To(ContainSubstring(want))
			Expect(s).To(BeNil())
			Expect(out).To(BeNil())
			Expect(warnings).To(BeNil())
		},
		Entry("fault without type", `[{"fault":{"duration":"1s"}}]`, "fault has no type; use one of close, garbage"),
		Entry("negative delay", `[{"respond":{"delay":"-1s"}}]`, `respond.delay -1s is negative`),
		Entry("negative jitter", `[{"respond":{"jitter":-5}}]`, `respond.jitter -5ms is negative`),
		Entry("negative fault duration", `[{"fault":{"type":"slow-body","duration":"-2s"}}]`, `fault.duration -2s is negative`),
		Entry("probability below 0", `[{"probability":-0.1}]`, "probability -0.1 is outside 0..1"),
		Entry("probability above 1", `[{"probability":1.5}]`, "probability 1.5 is outside 0..1"),
		Entry("status below 100", `[{"respond":{"status":99}}]`, "respond.status 99 is not a final HTTP status; use 200..599"),
		Entry("informational status", `[{"respond":{"status":101}}]`, "respond.status 101 is not a final HTTP status; use 200..599"),
		Entry("status above 599", `[{"respond":{"status":600}}]`, "respond.status 600 is not a final HTTP status"),
		Entry("negative times", `[{"times":-1}]`, "times -1 is negative"),
		Entry("nth not numbers", `[{"match":{"nth":"a-b"}}]`, `match.nth "a-b" is malformed`),
		Entry("nth zero", `[{"match":{"nth":"0"}}]`, `match.nth "0" is malformed; use a call number counted from 1`),
		Entry("nth zero start", `[{"match":{"nth":"0-3"}}]`, `match.nth "0-3" is malformed`),
		Entry("nth without start", `[{"match":{"nth":"-5"}}]`, `match.nth "-5" is malformed`),
		Entry("nth bad end", `[{"match":{"nth":"1-x"}}]`, `match.nth "1-x" is malformed`),
		Entry("nth reversed", `[{"match":{"nth":"5-3"}}]`, `match.nth "5-3" selects no call because 5 comes after 3`),
		Entry("negative garbage bytes", `[{"fault":{"type":"garbage","bytes":-1}}]`, `fault "garbage": bytes -1 is negative`),
		Entry("too many garbage bytes", `[{"fault":{"type":"garbage","bytes":2000000}}]`, `fault "garbage": bytes 2000000 is above the limit`),
		Entry("bad header name", `[{"respond":{"headers":{"Retry After":"1"}}}]`, `respond.headers name "Retry After" is not a valid HTTP header name`),
		Entry("header value with line break", `[{"respond":{"headers":{"X-A":"1\r\nX-B: 2"}}}]`, `respond.headers "X-A" holds a line break`),
	)

	It("rejects a NaN probability", func() {
		nan := math.NaN()
		_, _, _, err := fault.Compile([]api.Rule{{Probability: &nan}}, fault.Limits{})
		Expect(err).To(MatchError(ContainSubstring("probability NaN is outside 0..1")))
	})

	It("accepts the short scripts for failing the first 9 calls, and a seed without probability", func() {
		for _, js := range []string{
			`[{"times":9,"respond":{"status":500}}]`,
			`[{"match":{"nth":"1-9"},"respond":{"status":500}}]`,
			`[{"seed":42,"respond":{"delay":"10ms","jitter":"5ms"}}]`,
			`[{"match":{"nth":" 10- "}},{"times":0}]`,
		} {
			_, out, warnings, err := fault.Compile(rules(js), fault.Limits{})
			Expect(err).NotTo(HaveOccurred(), js)
			Expect(out).To(HaveLen(len(rules(js))))
			Expect(warnings).To(BeEmpty())
		}
	})

	It("clamps durations to MaxDelay, warns once per clamp, and leaves the caller's rules alone", func() {
		in := rules(`[
			{"respond":{"delay":"10s","jitter":"500ms"}},
			{"respond":{"jitter":"3s"},"fault":{"type":"slow-body","duration":"1m"}}
		]`)
		_, out, warnings, err := fault.Compile(in, fault.Limits{MaxDelay: time.Second})
		Expect(err).NotTo(HaveOccurred())
		Expect(out[0].Respond.Delay.D()).To(Equal(time.Second))
		Expect(out[0].Respond.Jitter.D()).To(Equal(500 * time.Millisecond))
		Expect(out[1].Respond.Jitter.D()).To(Equal(time.Second))
		Expect(out[1].Fault.Duration.D()).To(Equal(time.Second))
		Expect(warnings).To(Equal([]string{
			"rule 0: respond.delay 10s is above the receiver's limit and was clamped to 1s",
			"rule 1: respond.jitter 3s is above the receiver's limit and was clamped to 1s",
			"rule 1: fault.duration 1m0s is above the receiver's limit and was clamped to 1s",
		}))
		Expect(in[0].Respond.Delay.D()).To(Equal(10 * time.Second))
		Expect(in[1].Fault.Duration.D()).To(Equal(time.Minute))
	})

	It("defaults MaxDelay to five minutes", func() {
		_, out, warnings, err := fault.Compile(rules(`[{"respond":{"delay":"4m"}},{"respond":{"delay":"6m"}}]`), fault.Limits{})
		Expect(err).NotTo(HaveOccurred())
		Expect(out[0].Respond.Delay.D()).To(Equal(4 * time.Minute))
		Expect(out[1].Respond.Delay.D()).To(Equal(5 * time.Minute))
		Expect(warnings).To(HaveLen(1))
	})
})

var _ = Describe("SetUsesLeft", func() {
	It("restores each rule's uses left, and never gives a rule more than its times", func() {
		three, one, ten := 3, 1, 10
		s, _, _, err := fault.Compile([]api.Rule{
			{Times: &three, Respond: &api.Respond{Status: 500}},
			{Respond: &api.Respond{Status: 503}},
			{Times: &three, Respond: &api.Respond{Status: 502}},
		}, fault.Limits{})
		Expect(err).NotTo(HaveOccurred())
		Expect(s.SetUsesLeft([]*int{&one, nil, &ten})).To(Succeed())
		left := s.UsesLeft()
		Expect(*left[0]).To(Equal(1))
		Expect(left[1]).To(BeNil())
		Expect(*left[2]).To(Equal(3), "more than its times is clamped")
		Expect(s.Decide(fault.Call{Nth: 1}).Status).To(Equal(500))
		Expect(s.Decide(fault.Call{Nth: 2}).Status).To(Equal(503), "the first rule is used up")

		Expect(s.SetUsesLeft([]*int{&one})).To(MatchError(ContainSubstring("the script has 3")))
		Expect(s.SetUsesLeft([]*int{nil, nil, nil})).To(MatchError(ContainSubstring("rule 0")))
	})
})
