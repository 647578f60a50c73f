package cli_test

import (
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/cmd/hookcheck/cli"
	"github.com/hookcheck/hookcheck/conformance"
	"github.com/hookcheck/hookcheck/reports"
)

// listed runs "hookcheck run --list-specs" with filter in a child and
// returns its lines split into fields (clause, style, id).
func listed(filter string) [][]string {
	GinkgoHelper()
	c := startChild("run", "--list-specs", "--label-filter", filter)
	Expect(c.wait(time.Minute)).To(Equal(cli.ExitOK), c.output())
	var out [][]string
	for _, l := range strings.Split(strings.TrimSpace(string(c.stdout.Contents())), "\n") {
		f := strings.Fields(l)
		Expect(f).To(HaveLen(3), "line %q: clause, style, id", l)
		out = append(out, f)
	}
	Expect(string(c.stderr.Contents())).To(Equal(strconv.Itoa(len(out)) + " specs (--label-filter " + filter + ")\n"))
	return out
}

// readRun reads dir/report.json.
func readRun(dir string) reports.Run {
	GinkgoHelper()
	r, err := reports.ReadRun(filepath.Join(dir, "report.json"))
	Expect(err).NotTo(HaveOccurred())
	return r
}

// failingMutant fails WH-VER-002, WH-DLV-003 and WH-DLV-021 (a Content-Type without
// charset) and nothing else; failingFilter selects enough other specs
// that some come after the first failure.
const (
	failingMutant = "content-type-without-charset"
	failingFilter = "delivery || verification"
)

var _ = Describe("run flags", func() {
	Describe("--list-specs", func() {
		It("lists exactly the specs a real run with the same filter executes, serial and parallel", func() {
			filter := "(crud && agents) || clause:WH-RTY-001 || clause:WH-SEC-005 || clause:WH-PAR-003"
			lines := listed(filter)
			serialDir := filepath.Join(GinkgoT().TempDir(), "serial")
			parallelDir := filepath.Join(GinkgoT().TempDir(), "parallel")
			serial := startChild("run", "--report-dir", serialDir, "--label-filter", filter, "--parallel", "1")
			parallel := startChild("run", "--report-dir", parallelDir, "--label-filter", filter, "--parallel", "3")
			Expect(serial.wait(2*time.Minute)).To(Equal(cli.ExitOK), serial.output())
			Expect(parallel.wait(2*time.Minute)).To(Equal(cli.ExitOK), parallel.output())
			s, p := readRun(serialDir), readRun(parallelDir)
			Expect(s.Totals.Skipped).To(BeNumerically(">", 0), "the specs a run skips at run time (WH-SEC-005 on-site) are listed too")
			var want, got []string
			for _, sp := range s.Specs {
				want = append(want, sp.Clause+" "+sp.Style+" "+sp.ID)
			}
			for _, l := range lines {
				got = append(got, strings.Join(l, " "))
			}
			Expect(got).To(Equal(want), "the list is the serial run's specs, in its order")
			var parallelIDs []string
			for _, sp := range p.Specs {
				parallelIDs = append(parallelIDs, sp.Clause+" "+sp.Style+" "+sp.ID)
			}
			Expect(parallelIDs).To(ConsistOf(want))
		})

		It("runs nothing and contacts no target", func() {
			c := startChild("run", "--list-specs", "--target", closedURL(), "--label-filter", "clause:WH-CRUD-001")
			Expect(c.wait(time.Minute)).To(Equal(cli.ExitOK), c.output())
			Expect(string(c.stdout.Contents())).To(MatchRegexp(`^(WH-CRUD-001\s+(rest|agents|soap)\s+crud/WH-CRUD-001/\S+\n){3}$`))
		})

		It("refuses a bad label filter", func() {
			c := startChild("run", "--list-specs", "--label-filter", "crud &&& (")
			Expect(c.wait(time.Minute)).To(Equal(cli.ExitUsage))
			Expect(string(c.stderr.Contents())).To(ContainSubstring("--label-filter"))
		})
	})

	Describe("--fail-fast", func() {
		DescribeTable("stops after the first failure, skips the rest with the reason and writes the report marked stopped",
			func(parallel string) {
				dir := filepath.Join(GinkgoT().TempDir(), "report")
				c := startChild("run", "--report-dir", dir, "--mutant", failingMutant, "--label-filter", failingFilter, "--fail-fast", "--parallel", parallel)
				Expect(c.wait(2*time.Minute)).To(Equal(cli.ExitFailed), c.output())
				r := readRun(dir)
				Expect(r.Stopped).To(Equal(conformance.StoppedByFailFast))
				Expect(r.Options).To(HaveKeyWithValue("fail-fast", "true"))
				Expect(r.Specs).To(HaveLen(len(listed(failingFilter))), "every spec is in the report: run, or skipped")
				stopped := 0
				for _, s := range r.Specs {
					if s.State == reports.StateSkipped && s.SkipReason == conformance.StoppedByFailFast {
						stopped++
					}
				}
				Expect(stopped).To(BeNumerically(">", 0))
				Expect(r.Totals.Failed).To(BeNumerically(">=", 1))
				if parallel == "1" {
					Expect(r.Totals.Failed).To(Equal(1), "one by one, nothing starts after the first failure")
					first := -1
					for i, s := range r.Specs {
						if s.State.Failed() {
							first = i
							break
						}
					}
					for _, s := range r.Specs[first+1:] {
						Expect(s.SkipReason).To(Equal(conformance.StoppedByFailFast), "spec %s ran after the failure", s.ID)
					}
				}
				out := string(c.stdout.Contents())
				Expect(out).To(ContainSubstring("stopped: --fail-fast stopped the run after the first failure"))
				Expect(out).NotTo(ContainSubstring("skipped: "+conformance.StoppedByFailFast), "no progress line per spec not run")
			},
			Entry("one by one", "1"),
			Entry("in parallel", "3"),
		)

		It("goes on past failures listed in --expected-failures", func() {
			file := filepath.Join(GinkgoT().TempDir(), "expected.yaml")
			Expect(os.WriteFile(file, []byte("- id: WH-VER-002\n  reason: no charset\n- id: WH-DLV-003\n  reason: no charset\n- id: WH-DLV-021\n  reason: no charset\n"), 0o600)).To(Succeed())
			dir := filepath.Join(GinkgoT().TempDir(), "report")
			c := startChild("run", "--report-dir", dir, "--mutant", failingMutant, "--label-filter", failingFilter, "--fail-fast",
				"--expected-failures", file, "--parallel", "1")
			Expect(c.wait(2*time.Minute)).To(Equal(cli.ExitOK), c.output())
			r := readRun(dir)
			Expect(r.Stopped).To(BeEmpty())
			Expect(r.Totals.Failed).To(BeNumerically(">=", 2))
		})
	})

	Describe("--format", func() {
		const one = "clause:WH-CRUD-001"

		It("writes the JSON report to stdout and the progress lines to stderr", func() {
			c := startChild("run", "--report-dir", "", "--label-filter", one, "--format", "json")
			Expect(c.wait(time.Minute)).To(Equal(cli.ExitOK), c.output())
			var r reports.Run
			Expect(json.Unmarshal(c.stdout.Contents(), &r)).To(Succeed(), "stdout is the report alone: %s", c.stdout.Contents())
			Expect(r.Specs).To(HaveLen(3))
			errOut := string(c.stderr.Contents())
			Expect(errOut).To(ContainSubstring("hookcheck run: conformance suite against"))
			Expect(errOut).To(MatchRegexp(`✓ crud\s+WH-CRUD-001`))
			Expect(errOut).To(ContainSubstring("release gate: PARTIAL"), "a filtered run is partial")
		})

		It("writes JUnit XML to stdout", func() {
			c := startChild("run", "--report-dir", "", "--label-filter", one, "--format", "junit", "--parallel", "1")
			Expect(c.wait(time.Minute)).To(Equal(cli.ExitOK), c.output())
			var suites struct {
				XMLName xml.Name `xml:"testsuites"`
				Tests   int      `xml:"tests,attr"`
			}
			Expect(xml.Unmarshal(c.stdout.Contents(), &suites)).To(Succeed(), "%s", c.stdout.Contents())
			Expect(suites.Tests).To(Equal(3))
		})

		It("writes the Markdown summary to stdout", func() {
			c := startChild("run", "--report-dir", "", "--label-filter", one, "--format", "markdown", "--parallel", "1")
			Expect(c.wait(time.Minute)).To(Equal(cli.ExitOK), c.output())
			Expect(string(c.stdout.Contents())).To(HavePrefix("#"))
			Expect(string(c.stdout.Contents())).NotTo(ContainSubstring("✓ crud"))
		})

		It("refuses other formats", func() {
			r := run(nil, "run", "--report-dir", "", "--format", "html")
			Expect(r.code).To(Equal(cli.ExitUsage))
			oneLine(r.stderr)
			Expect(r.stderr).To(ContainSubstring(`--format "html": use json, junit or markdown`))
		})
	})
})
