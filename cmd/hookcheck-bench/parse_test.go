package main

import (
	"encoding/json"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/reports"
)

var _ = Describe("parseBenchLine", func() {
	const output = `goos: linux
goarch: amd64
pkg: github.com/hookcheck/hookcheck/conformance/reference
cpu: AMD EPYC
BenchmarkDelivery-2   	      62	  19415522 ns/op	     24663 baseline-posts/s	      5150 deliveries/s	        9.400 p50-ms	        68.00 p99-ms	         0.2088 ratio
PASS
ok  	github.com/hookcheck/hookcheck/conformance/reference	10.1s
`

	It("reads the iterations and every metric by unit", func() {
		n, m, err := parseBenchLine(output, "BenchmarkDelivery")
		Expect(err).NotTo(HaveOccurred())
		Expect(n).To(Equal(62))
		Expect(m).To(HaveKeyWithValue("deliveries/s", 5150.0))
		Expect(m).To(HaveKeyWithValue("baseline-posts/s", 24663.0))
		Expect(m).To(HaveKeyWithValue("p99-ms", 68.0))
		Expect(m).To(HaveKeyWithValue("ratio", 0.2088))
		Expect(m).To(HaveKeyWithValue("ns/op", 19415522.0))
	})

	It("fails when the benchmark did not report", func() {
		_, _, err := parseBenchLine("PASS\n", "BenchmarkDelivery")
		Expect(err).To(MatchError(ContainSubstring("no result line")))
	})
})

var _ = Describe("byArea", func() {
	It("sums specs per area in run order", func() {
		rows := byArea([]reports.Spec{
			{Area: "crud", State: reports.StatePassed, Duration: time.Second},
			{Area: "retry", State: reports.StateFailed, Duration: 2 * time.Second},
			{Area: "crud", State: reports.StateSkipped, Duration: 0},
			{Area: "retry", State: reports.StatePassed, Duration: 3 * time.Second},
		})
		Expect(rows).To(Equal([]areaRow{
			{Area: "crud", Specs: 2, Passed: 1, Skipped: 1, Time: time.Second},
			{Area: "retry", Specs: 2, Passed: 1, Failed: 1, Time: 5 * time.Second},
		}))
	})
})

var _ = Describe("memoryResult", func() {
	It("tells the first step past the bound from the steady state", func() {
		m := &memoryResult{Bound: 100, Steps: []memStep{
			{Calls: 100, RSS: 1000}, {Calls: 200, RSS: 1500}, {Calls: 300, RSS: 1530}, {Calls: 400, RSS: 1560},
		}}
		Expect(m.FirstGrowth()).To(BeNumerically("~", 0.5, 1e-9))
		Expect(m.SteadyGrowth()).To(BeNumerically("~", 0.04, 1e-9))
		Expect(m.Flat()).To(BeFalse())
		Expect(m.SteadyFlat()).To(BeTrue())
	})
})

var _ = Describe("formatting", func() {
	It("groups digits", func() {
		Expect(fmtInt(0)).To(Equal("0"))
		Expect(fmtInt(999)).To(Equal("999"))
		Expect(fmtInt(1000)).To(Equal("1,000"))
		Expect(fmtInt(1234567)).To(Equal("1,234,567"))
		Expect(fmtInt(-1234)).To(Equal("-1,234"))
	})

	It("renders latencies compactly", func() {
		Expect(fmtDur(250 * time.Microsecond)).To(Equal("250 µs"))
		Expect(fmtDur(2500 * time.Microsecond)).To(Equal("2.50 ms"))
		Expect(fmtDur(100800 * time.Microsecond)).To(Equal("100.8 ms"))
		Expect(fmtDur(12 * time.Second)).To(Equal("12.0 s"))
	})

	It("keeps table cells on one line", func() {
		Expect(oneLine("a |\n b `c`")).To(Equal("a \\| b 'c'"))
	})
})

var _ = Describe("BENCHMARKS.md", func() {
	It("renders the same from a saved results.json as from the run", func() {
		hc := &targetResult{target: target{Key: "hookcheck", Name: "hookcheck"}, Full: &loadPoint{Achieved: 900}}
		bare := &targetResult{target: target{Key: "bare", Name: "bare"}, Full: &loadPoint{Achieved: 1000}}
		res := &results{
			Pinned:     pinning{Server: "0", Load: "1"},
			Throughput: &throughputResult{Targets: []*targetResult{bare, hc}},
			Wake:       &wakeResult{Samples: 10, WakeP99: time.Millisecond},
			Suite:      &suiteResult{Unavailable: "`hookcheck run` is not in this build"},
			Skipped:    []string{"memory", "faults", "reference"},
		}
		var direct strings.Builder
		writeMarkdown(&direct, res)
		b, err := json.Marshal(res)
		Expect(err).NotTo(HaveOccurred())
		var back results
		Expect(json.Unmarshal(b, &back)).To(Succeed())
		var rendered strings.Builder
		writeMarkdown(&rendered, &back)
		Expect(rendered.String()).To(Equal(direct.String()))
		Expect(direct.String()).To(ContainSubstring("**0.90 ×** bare"))
		Expect(direct.String()).To(ContainSubstring("servers on core 0, load generator on core 1"))
		Expect(direct.String()).To(ContainSubstring("| whole suite | not yet available |"))
		Expect(direct.String()).To(MatchRegexp(`wait wake-up p99 .* ✅ met`))
	})
})
