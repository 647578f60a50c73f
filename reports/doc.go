// Package reports turns a hookcheck conformance run into the artefacts people
// and CI systems read: report.json (the stable run model), junit.xml,
// summary.md (a pull-request comment) and report.html (one self-contained,
// offline page with the clause × API-style matrix and the evidence of every
// failure). It also holds the release gate (expected failures) and the diff
// of two runs.
//
// The input is Ginkgo's own report (types.Report). The conformance suite
// attaches evidence to specs as Ginkgo report entries named EvidenceEntry and
// SkipReasonEntry; FromGinkgo reads them back together with the spec labels
// (clause:ID, level:MUST|SHOULD, an area and an API style) and the clause
// catalogue loaded with LoadCatalogue.
//
// Nothing in this package exits the process or logs: every problem is
// returned as a wrapped error.
package reports
