package reports_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/reports"
)

var _ = Describe("report.json", func() {
	It("round-trips the run through WriteJSON and ReadRun", func() {
		run := sampleRun()
		run.Options = map[string]string{"online": "false", "time-scale": "0.01"}
		path := filepath.Join(GinkgoT().TempDir(), "report.json")
		var buf bytes.Buffer
		Expect(reports.WriteJSON(&buf, run)).To(Succeed())
		Expect(os.WriteFile(path, buf.Bytes(), 0o600)).To(Succeed())

		back, err := reports.ReadRun(path)
		Expect(err).NotTo(HaveOccurred())
		Expect(back).To(Equal(run))
	})

	It("writes the schema version and plain field names other tools can rely on", func() {
		var buf bytes.Buffer
		Expect(reports.WriteJSON(&buf, sampleRun())).To(Succeed())
		var doc map[string]any
		Expect(json.Unmarshal(buf.Bytes(), &doc)).To(Succeed())
		Expect(doc).To(HaveKeyWithValue("schema", BeEquivalentTo(1)))
		Expect(doc).To(HaveKey("specs"))
		Expect(doc).To(HaveKey("clauses"))
		Expect(buf.String()).To(ContainSubstring(`"receivedAt": "2026-03-01T12:00:01Z"`))
		Expect(buf.String()).To(ContainSubstring(`<script>alert(1)</script>`), "JSON is not HTML-escaped")
	})

	It("recomputes the totals instead of trusting the file", func() {
		var buf bytes.Buffer
		run := sampleRun()
		run.Totals.Failed = 99
		Expect(reports.WriteJSON(&buf, run)).To(Succeed())
		back, err := reports.ParseRun(buf.Bytes())
		Expect(err).NotTo(HaveOccurred())
		Expect(back.Totals.Failed).To(Equal(3))
	})

	DescribeTable("refuses what is not a report.json of this schema",
		func(doc, want string) {
			_, err := reports.ParseRun([]byte(doc))
			Expect(err).To(MatchError(ContainSubstring(want)))
		},
		Entry("a Ginkgo report", `[{"SuiteDescription":"x"}]`, "Ginkgo JSON report"),
		Entry("no schema", `{"suite":"x"}`, `no "schema" field`),
		Entry("a newer schema", `{"schema":2}`, "schema 2 is not supported"),
		Entry("garbage", `not json`, "not a hookcheck report.json"),
	)

	It("wraps the error of an unreadable file", func() {
		_, err := reports.ReadRun(filepath.Join(GinkgoT().TempDir(), "nope.json"))
		Expect(err).To(MatchError(os.ErrNotExist))
	})
})
