package reports_test

import (
	"os"
	"path/filepath"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/reports"
)

var _ = Describe("WriteAll", func() {
	It("writes the four files into a new directory, and report.json reads back", func() {
		dir := filepath.Join(GinkgoT().TempDir(), "nested", "out")
		run := sampleRun()
		Expect(reports.WriteAll(dir, run)).To(Succeed())
		entries, err := os.ReadDir(dir)
		Expect(err).NotTo(HaveOccurred())
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		Expect(names).To(ConsistOf("report.json", "junit.xml", "summary.md", "report.html"), "no temporary files are left")
		back, err := reports.ReadRun(filepath.Join(dir, "report.json"))
		Expect(err).NotTo(HaveOccurred())
		Expect(back).To(Equal(run))
	})

	It("writes only the formats asked for", func() {
		dir := GinkgoT().TempDir()
		fs, err := reports.ParseFormats("md, HTML,md")
		Expect(err).NotTo(HaveOccurred())
		paths, err := reports.WriteFormats(dir, sampleRun(), fs)
		Expect(err).NotTo(HaveOccurred())
		Expect(paths).To(Equal([]string{filepath.Join(dir, "summary.md"), filepath.Join(dir, "report.html")}))
	})

	It("reports a directory it cannot create", func() {
		file := filepath.Join(GinkgoT().TempDir(), "file")
		Expect(os.WriteFile(file, nil, 0o600)).To(Succeed())
		Expect(reports.WriteAll(filepath.Join(file, "sub"), sampleRun())).To(MatchError(ContainSubstring("create report directory")))
	})

	DescribeTable("ParseFormats",
		func(in string, want []reports.Format, wantErr string) {
			got, err := reports.ParseFormats(in)
			if wantErr != "" {
				Expect(err).To(MatchError(ContainSubstring(wantErr)))
				return
			}
			Expect(err).NotTo(HaveOccurred())
			Expect(got).To(Equal(want))
		},
		Entry("empty means all", "", reports.AllFormats, ""),
		Entry("all", "all", reports.AllFormats, ""),
		Entry("spellings", "markdown,xml,json", []reports.Format{reports.FormatMD, reports.FormatJUnit, reports.FormatJSON}, ""),
		Entry("unknown", "html,pdf", nil, `unknown format "pdf"`),
	)
})
