package reports_test

import (
	"bytes"

	. "github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/reports"
)

// changedRun is sampleRun with the DLV failure fixed, the CRUD agents spec
// broken, the SOAP retry skip turned into a failure, the parity spec gone
// and a new e-mail spec.
func changedRun() reports.Run {
	r := sampleReport()
	var specs types.SpecReports
	for _, sr := range r.SpecReports {
		switch {
		case sr.LeafNodeText == "posts JSON with the headers" && sr.State == types.SpecStateFailed:
			sr.State, sr.Failure, sr.ReportEntries = types.SpecStatePassed, types.Failure{}, nil
		case sr.LeafNodeText == "creates a webhook" && sr.LeafNodeLabels[len(sr.LeafNodeLabels)-1] == "agents":
			sr = failed(sr, "409 Conflict")
			sr.State = types.SpecStateFailed
		case sr.LeafNodeText == "retries a 500 after 1s and 4s" && sr.State == types.SpecStateSkipped:
			sr = failed(sr, "no retry")
			sr.State = types.SpecStateFailed
		case sr.LeafNodeText == "agrees across styles":
			continue
		}
		specs = append(specs, sr)
	}
	specs = append(specs, spec([]string{"Email"}, "mails the owner", types.SpecStatePassed, "clause:WH-MAIL-001", "email", "rest"))
	r.SpecReports = specs
	return reports.FromGinkgo(r, sampleCatalogue())
}

var _ = Describe("Diff", func() {
	It("finds regressions, fixes, new, removed and other changes by spec ID", func() {
		d := reports.Diff(sampleRun(), changedRun())
		Expect(d.Regressions).To(Equal([]reports.DiffEntry{{
			ID: "crud/WH-CRUD-001/agents/creates-a-webhook", Name: "CRUD creates a webhook", Clause: "WH-CRUD-001",
			Level: "MUST", Style: "agents", Old: reports.StatePassed, New: reports.StateFailed, Message: "409 Conflict",
		}}))
		Expect(d.Fixes).To(HaveLen(1))
		Expect(d.Fixes[0].ID).To(Equal("delivery/WH-DLV-004/rest/posts-json-with-the-headers"))
		Expect(d.Fixes[0].Message).To(BeEmpty())
		Expect(d.New).To(HaveLen(1))
		Expect(d.New[0].ID).To(Equal("email/WH-MAIL-001/rest/mails-the-owner"))
		Expect(d.Removed).To(HaveLen(1))
		Expect(d.Removed[0].ID).To(Equal("parity/WH-XXX-999/rest+soap/agrees-across-styles"))
		Expect(d.Changed).To(HaveLen(1))
		Expect(d.Changed[0].Old).To(Equal(reports.StateSkipped))
		Expect(d.Changed[0].New).To(Equal(reports.StateFailed))
		Expect(d.HasRegressions()).To(BeTrue())
	})

	It("finds nothing between a run and itself", func() {
		d := reports.Diff(sampleRun(), sampleRun())
		Expect(d.HasRegressions()).To(BeFalse())
		Expect(d.Fixes).To(BeEmpty())
		Expect(d.New).To(BeEmpty())
		Expect(d.Removed).To(BeEmpty())
		Expect(d.Changed).To(BeEmpty())
	})

	It("prints one line per difference", func() {
		var buf bytes.Buffer
		Expect(reports.Diff(sampleRun(), changedRun()).WriteText(&buf)).To(Succeed())
		Expect(buf.String()).To(Equal(`1 regression, 1 fix, 1 changed, 1 new, 1 removed
REGRESSION  crud/WH-CRUD-001/agents/creates-a-webhook  passed → failed: 409 Conflict
FIX         delivery/WH-DLV-004/rest/posts-json-with-the-headers  failed → passed
CHANGED     retry/WH-RTY-002/soap/retries-a-500-after-1s-and-4s  skipped → failed: no retry
NEW         email/WH-MAIL-001/rest/mails-the-owner  — → passed
REMOVED     parity/WH-XXX-999/rest+soap/agrees-across-styles  passed → —
`))
	})
})
