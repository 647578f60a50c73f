package reports_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"time"

	. "github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/reporters"
	"github.com/onsi/ginkgo/v2/types"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/reports"
)

var _ = Describe("FromGinkgo", func() {
	var run reports.Run
	BeforeEach(func() { run = sampleRun() })

	It("keeps the suite's description, times and schema", func() {
		Expect(run.Schema).To(Equal(reports.SchemaVersion))
		Expect(run.Suite).To(Equal("hookcheck conformance"))
		Expect(run.StartedAt).To(Equal(t0))
		Expect(run.Duration).To(Equal(90 * time.Second))
		Expect(run.Styles).To(Equal([]string{"rest", "agents", "soap"}))
	})

	It("leaves out suite-level nodes that passed and counts the rest", func() {
		Expect(run.Specs).To(HaveLen(12))
		Expect(run.Totals).To(Equal(reports.Totals{
			Specs: 12, Passed: 6, Failed: 3, Skipped: 3, MustFailed: 2, ShouldFailed: 1,
			ClausesPassed: 2, ClausesFailed: 3, ClausesNotRun: 1,
		}))
	})

	It("reads clause, level, area and style from the labels and builds stable IDs", func() {
		s := specByID(run, "delivery/WH-DLV-004/rest/posts-json-with-the-headers")
		Expect(s.Name).To(Equal("Delivery REST posts JSON with the headers"))
		Expect(s.Clause).To(Equal("WH-DLV-004"))
		Expect(s.Level).To(Equal("MUST"))
		Expect(s.Area).To(Equal("delivery"))
		Expect(s.Style).To(Equal("rest"))
		Expect(s.State).To(Equal(reports.StateFailed))
		Expect(s.Duration).To(Equal(150 * time.Millisecond))
		Expect(s.Failure).To(Equal(&reports.Failure{Message: xss, Location: "/src/conformance/delivery.go:42"}))
	})

	It("joins several style labels in matrix order", func() {
		s := specByID(run, "parity/WH-XXX-999/rest+soap/agrees-across-styles")
		Expect(s.Style).To(Equal("rest+soap"))
		Expect(s.Level).To(BeEmpty())
	})

	It("takes level and area from the catalogue when the labels lack them", func() {
		r := sampleReport()
		r.SpecReports = types.SpecReports{spec(nil, "retries", types.SpecStatePassed, "clause:WH-RTY-002", "agents", "flaky")}
		s := reports.FromGinkgo(r, sampleCatalogue()).Specs[0]
		Expect(s.Level).To(Equal("MUST"))
		Expect(s.Area).To(Equal("retry"))
		Expect(s.Labels).To(Equal([]string{"flaky"}))
		Expect(s.ID).To(Equal("retry/WH-RTY-002/agents/retries"))
	})

	It("reads the evidence and skip reasons attached as report entries", func() {
		s := specByID(run, "retry/WH-RTY-002/rest/retries-a-500-after-1s-and-4s")
		Expect(s.Evidence).To(HaveLen(1))
		Expect(s.Evidence[0].Calls).To(Equal(retryCalls()))
		Expect(specByID(run, "delivery/WH-DLV-004/soap/posts-json-with-the-headers").SkipReason).To(Equal("needs --soap-url"))
		Expect(specByID(run, "retry/WH-RTY-002/soap/retries-a-500-after-1s-and-4s").SkipReason).To(Equal("SOAP front end not configured"))
		Expect(specByID(run, "security/WH-ONL-001/rest/isolates-app-tokens").State).To(Equal(reports.StatePending))

		r := sampleReport()
		r.SpecReports = types.SpecReports{spec(nil, "filtered", types.SpecStateSkipped, "rest")}
		Expect(reports.FromGinkgo(r, nil).Specs[0].SkipReason).To(HavePrefix("skipped without a reason (filtered out"))
	})

	It("reads the same evidence back from a Ginkgo JSON report file", func() {
		path := filepath.Join(GinkgoT().TempDir(), "ginkgo.json")
		Expect(reporters.GenerateJSONReport(sampleReport(), path)).To(Succeed())
		rs, err := reports.ReadGinkgoJSON(path)
		Expect(err).NotTo(HaveOccurred())
		fromFile := reports.FromGinkgoReports(rs, sampleCatalogue())
		fromFile.Target = run.Target
		Expect(fromFile.Specs).To(Equal(run.Specs))
		Expect(fromFile.Clauses).To(Equal(run.Clauses))
	})

	It("merges several suite reports", func() {
		a, b := sampleReport(), sampleReport()
		b.SuiteDescription = "second"
		b.SpecReports = types.SpecReports{spec([]string{"Email"}, "sends an error mail", types.SpecStatePassed, "clause:WH-MAIL-1", "email", "rest")}
		b.StartTime, b.EndTime = t0.Add(time.Minute), t0.Add(3*time.Minute)
		m := reports.FromGinkgoReports([]types.Report{a, b}, nil)
		Expect(m.Suite).To(Equal("hookcheck conformance, second"))
		Expect(m.Specs).To(HaveLen(13))
		Expect(m.Duration).To(Equal(3 * time.Minute))
	})

	It("reports a failing suite-level node as a spec of area suite", func() {
		r := sampleReport()
		r.SpecReports = types.SpecReports{{LeafNodeType: types.NodeTypeBeforeSuite, State: types.SpecStatePanicked,
			Failure: types.Failure{Message: "\x1b[1;31mboom\x1b[0m", ForwardedPanic: "nil map"}}}
		r.SpecialSuiteFailureReasons = []string{"Interrupted by User"}
		got := reports.FromGinkgo(r, nil)
		Expect(got.Specs).To(HaveLen(1))
		Expect(got.Specs[0].Area).To(Equal("suite"))
		Expect(got.Specs[0].Name).To(Equal("[BeforeSuite]"))
		Expect(got.Specs[0].Failure.Message).To(Equal("boom"), "ANSI colours are stripped")
		Expect(got.Specs[0].Failure.Panic).To(Equal("nil map"))
		Expect(got.SuiteFailures).To(Equal([]string{"Interrupted by User"}))
		Expect(got.Passed()).To(BeFalse())
	})

	It("keeps evidence whose value has another shape as text", func() {
		r := sampleReport()
		r.SpecReports = types.SpecReports{withEntry(failed(spec(nil, "x", types.SpecStateFailed, "rest"), "m"), reports.EvidenceEntry, []int{1, 2})}
		data, err := json.Marshal([]types.Report{r})
		Expect(err).NotTo(HaveOccurred())
		path := filepath.Join(GinkgoT().TempDir(), "g.json")
		Expect(os.WriteFile(path, data, 0o600)).To(Succeed())
		rs, err := reports.ReadGinkgoJSON(path)
		Expect(err).NotTo(HaveOccurred())
		s := reports.FromGinkgoReports(rs, nil).Specs[0]
		Expect(s.Evidence).To(HaveLen(1))
		Expect(s.Evidence[0].Actual).To(ContainSubstring("1 2"))
		Expect(s.Area).To(Equal("other"))
		Expect(s.ID).To(Equal("other/none/rest/x"))
	})

	It("keeps only the tail of a long GinkgoWriter output of a failed spec", func() {
		r := sampleReport()
		sr := failed(spec(nil, "x", types.SpecStateFailed, "rest"), "m")
		big := make([]byte, 200<<10)
		for i := range big {
			big[i] = 'a' + byte(i%26)
			if i%100 == 99 {
				big[i] = '\n'
			}
		}
		sr.CapturedGinkgoWriterOutput = string(big) + "\nLAST LINE"
		r.SpecReports = types.SpecReports{sr}
		s := reports.FromGinkgo(r, nil).Specs[0]
		Expect(len(s.Output)).To(BeNumerically("<", 70<<10))
		Expect(s.Output).To(HavePrefix("[… "))
		Expect(s.Output).To(HaveSuffix("LAST LINE"))
	})

	Describe("spec IDs", func() {
		It("adds the container texts when leaf texts collide, then a counter", func() {
			r := sampleReport()
			r.SpecReports = types.SpecReports{
				spec([]string{"A"}, "does it", types.SpecStatePassed, "clause:C-1", "crud", "rest"),
				spec([]string{"B"}, "does it", types.SpecStatePassed, "clause:C-1", "crud", "rest"),
				spec([]string{"B"}, "does it", types.SpecStatePassed, "clause:C-1", "crud", "rest"),
				spec([]string{"A"}, "does it", types.SpecStatePassed, "clause:C-1", "crud", "soap"),
				spec(nil, "Ünïcode — and   symbols!?", types.SpecStatePassed, "clause:C-2", "crud"),
			}
			var ids []string
			for _, s := range reports.FromGinkgo(r, nil).Specs {
				ids = append(ids, s.ID)
			}
			Expect(ids).To(Equal([]string{
				"crud/C-1/rest/a-does-it",
				"crud/C-1/rest/b-does-it",
				"crud/C-1/rest/b-does-it-2",
				"crud/C-1/soap/does-it",
				"crud/C-2/any/ünïcode-and-symbols",
			}))
		})
	})

	Describe("clauses", func() {
		It("lists catalogue clauses in order, then unknown ones, with a status per style", func() {
			var ids []string
			for _, c := range run.Clauses {
				ids = append(ids, c.ID)
			}
			Expect(ids).To(Equal([]string{"WH-CRUD-001", "WH-DLV-004", "WH-RTY-002", "WH-STE-001", "WH-ONL-001", "WH-XXX-999"}))

			dlv := clauseByID(run, "WH-DLV-004")
			Expect(dlv.Title).To(HavePrefix("A delivery is a POST"))
			Expect(dlv.Status).To(Equal(reports.StatusFail))
			Expect(dlv.Styles).To(Equal(map[string]reports.Status{"rest": reports.StatusFail, "agents": reports.StatusPass, "soap": reports.StatusSkip}))
			Expect(dlv.Specs).To(Equal(3))

			Expect(clauseByID(run, "WH-CRUD-001").Status).To(Equal(reports.StatusPass))
			ste := clauseByID(run, "WH-STE-001")
			Expect(ste.Styles["agents"]).To(Equal(reports.StatusNA))
			Expect(ste.Level).To(Equal("SHOULD"))
			Expect(clauseByID(run, "WH-ONL-001").Status).To(Equal(reports.StatusSkip))

			unknown := clauseByID(run, "WH-XXX-999")
			Expect(unknown.Unknown).To(BeTrue())
			Expect(unknown.Styles).To(Equal(map[string]reports.Status{"rest": reports.StatusPass, "agents": reports.StatusNA, "soap": reports.StatusPass}))
		})

		It("marks a catalogue clause no spec named as n/a everywhere", func() {
			r := sampleReport()
			r.SpecReports = nil
			c := reports.FromGinkgo(r, sampleCatalogue()).Clauses[0]
			Expect(c.Status).To(Equal(reports.StatusNA))
			Expect(c.Styles).To(HaveEach(reports.StatusNA))
			Expect(c.Specs).To(BeZero())
		})
	})
})
