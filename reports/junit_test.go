package reports_test

import (
	"bytes"
	"encoding/xml"

	. "github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/reports"
)

var _ = Describe("junit.xml", func() {
	decode := func(run reports.Run) (reports.JUnitTestSuites, string) {
		var buf bytes.Buffer
		Expect(reports.WriteJUnit(&buf, run)).To(Succeed())
		var doc reports.JUnitTestSuites
		Expect(xml.Unmarshal(buf.Bytes(), &doc)).To(Succeed())
		return doc, buf.String()
	}

	It("parses with encoding/xml and has the right counts", func() {
		doc, raw := decode(sampleRun())
		Expect(raw).To(HavePrefix(`<?xml version="1.0" encoding="UTF-8"?>`))
		Expect(doc.Tests).To(Equal(12))
		Expect(doc.Failures).To(Equal(3))
		Expect(doc.Errors).To(Equal(0))
		Expect(doc.Skipped).To(Equal(3))
		Expect(doc.Time).To(Equal("90.000"))

		var names []string
		cases := 0
		for _, ts := range doc.Suites {
			names = append(names, ts.Name)
			Expect(ts.Tests).To(Equal(len(ts.Cases)))
			cases += len(ts.Cases)
		}
		Expect(cases).To(Equal(12))
		Expect(names).To(Equal([]string{"crud", "delivery", "retry", "state-events", "parity", "security"}))
	})

	It("names test cases with the clause and classifies them as area.style", func() {
		doc, _ := decode(sampleRun())
		dlv := doc.Suites[1]
		Expect(dlv.Name).To(Equal("delivery"))
		Expect(dlv.Failures).To(Equal(1))
		Expect(dlv.Skipped).To(Equal(1))
		Expect(dlv.Cases[0].Name).To(Equal("[WH-DLV-004] Delivery REST posts JSON with the headers"))
		Expect(dlv.Cases[0].Classname).To(Equal("delivery.rest"))
		Expect(dlv.Cases[0].Failure).NotTo(BeNil())
		Expect(dlv.Cases[0].Failure.Message).To(Equal(xss), "the message survives XML escaping")
		Expect(dlv.Cases[0].Failure.Text).To(ContainSubstring("at /src/conformance/delivery.go:42"))
		Expect(dlv.Cases[0].Failure.Text).To(ContainSubstring("expected: Content-Type: application/json"))
		Expect(dlv.Cases[1].Failure).To(BeNil())
		Expect(dlv.Cases[1].Skipped).To(BeNil())
		Expect(dlv.Cases[2].Skipped).To(Equal(&reports.JUnitSkipped{Message: "needs --soap-url"}))
		Expect(dlv.Cases[0].Properties).To(ContainElement(reports.JUnitProperty{Name: "clause", Value: "WH-DLV-004"}))
	})

	It("makes panics and interruptions errors and keeps the XML valid with control characters", func() {
		r := sampleReport()
		sr := failed(spec([]string{"Retry"}, "panics", types.SpecStatePanicked, "clause:WH-RTY-002", "retry", "rest"), "")
		sr.Failure.ForwardedPanic = "bad \x00 byte"
		sr.CapturedGinkgoWriterOutput = "log \x01 line"
		r.SpecReports = types.SpecReports{sr}
		doc, _ := decode(reports.FromGinkgo(r, nil))
		Expect(doc.Errors).To(Equal(1))
		Expect(doc.Failures).To(Equal(0))
		c := doc.Suites[0].Cases[0]
		Expect(c.Error).NotTo(BeNil())
		Expect(c.Error.Type).To(Equal("panicked"))
		Expect(c.Error.Message).To(HavePrefix("panic: bad"))
		Expect(c.SystemOut).To(HavePrefix("log"))
	})

	It("writes an empty but valid document for an empty run", func() {
		doc, _ := decode(reports.FromGinkgo(types.Report{}, nil))
		Expect(doc.Tests).To(BeZero())
		Expect(doc.Suites).To(BeEmpty())
		Expect(doc.Name).To(Equal("hookcheck"))
	})
})
