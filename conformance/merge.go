package conformance

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/hookcheck/hookcheck/reports"
)

// mergeReports joins the Ginkgo reports of a parallel run's workers into
// one report of the whole run, started at start and ended at end. Every
// worker's report lists every spec; the copies a worker skipped because
// another one ran the spec are dropped, so each spec appears once, from
// the worker that ran it. Specs come in source order (file, line, text of
// every container and the leaf), which is stable whatever worker ran
// what. The problems are inconsistencies: a spec two workers ran, or one
// whose worker wrote no report.
func mergeReports(rs []types.Report, start, end time.Time) (types.Report, []string) {
	var problems []string
	if len(rs) == 0 {
		return types.Report{StartTime: start, EndTime: end, RunTime: end.Sub(start)}, []string{"no worker wrote a report"}
	}
	merged := rs[0]
	merged.StartTime, merged.EndTime, merged.RunTime = start, end, end.Sub(start)
	merged.SpecReports = nil
	merged.SpecialSuiteFailureReasons = nil
	owner := map[string]int{}                  // spec key -> index in merged.SpecReports
	elsewhere := map[string]types.SpecReport{} // specs only seen skipped as claimed elsewhere
	for i, r := range rs {
		merged.SuiteSucceeded = merged.SuiteSucceeded && r.SuiteSucceeded
		for _, reason := range r.SpecialSuiteFailureReasons {
			if !slices.Contains(merged.SpecialSuiteFailureReasons, reason) {
				merged.SpecialSuiteFailureReasons = append(merged.SpecialSuiteFailureReasons, reason)
			}
		}
		for _, sr := range r.SpecReports {
			if !sr.LeafNodeType.Is(types.NodeTypeIt) {
				if sr.State.Is(types.SpecStateFailureStates) {
					merged.SpecReports = append(merged.SpecReports, sr)
				}
				continue
			}
			key := specKey(sr)
			if isClaimedElsewhere(sr) {
				if _, ok := owner[key]; !ok {
					elsewhere[key] = sr
				}
				continue
			}
			if j, ok := owner[key]; ok {
				switch prev := merged.SpecReports[j]; {
				case neverStarted(sr):
				case neverStarted(prev):
					// A worker that never reached the spec (a filter,
					// an interrupt, a --fail-fast halt) lists it as
					// skipped; the worker that ran it wins.
					merged.SpecReports[j] = sr
				default:
					problems = append(problems, fmt.Sprintf("spec %q ran in two workers (%d and another)", sr.FullText(), i+1))
				}
				continue
			}
			owner[key] = len(merged.SpecReports)
			merged.SpecReports = append(merged.SpecReports, sr)
			delete(elsewhere, key)
		}
	}
	for key, sr := range elsewhere {
		if _, ok := owner[key]; ok {
			continue
		}
		problems = append(problems, fmt.Sprintf("spec %q: the worker that claimed it wrote no report", sr.FullText()))
		sr.Failure.Message = "the worker that ran this spec ended without a report"
		sr.ReportEntries = append(sr.ReportEntries, types.ReportEntry{Name: reports.SkipReasonEntry, Value: types.WrapEntryValue(sr.Failure.Message)})
		merged.SpecReports = append(merged.SpecReports, sr)
	}
	if len(problems) > 0 {
		merged.SuiteSucceeded = false
	}
	slices.SortStableFunc(merged.SpecReports, compareSpecs)
	return merged, problems
}

// neverStarted reports whether a worker's copy of sr says only that the
// spec did not start there: left out by a filter, or skipped because the
// run was interrupted or halted before the worker got to claim it. An
// interrupted worker skips every spec it has not claimed yet, including
// ones another worker had already run, so such a copy never stands for
// the spec when another copy exists.
func neverStarted(sr types.SpecReport) bool {
	if filteredOut(sr) {
		return true
	}
	if !sr.State.Is(types.SpecStateSkipped) {
		return false
	}
	msg := strings.TrimSpace(sr.Failure.Message)
	return msg == interruptedBeforeStart || msg == StoppedByFailFast || strings.HasPrefix(msg, "not run: ")
}

// isClaimedElsewhere reports whether a worker skipped sr because another
// worker ran it.
func isClaimedElsewhere(sr types.SpecReport) bool {
	return sr.State.Is(types.SpecStateSkipped) && sr.Failure.Message == claimedElsewhere
}

// compareSpecs orders spec reports by source: each container's location,
// then the leaf's, then the texts.
func compareSpecs(a, b types.SpecReport) int {
	la, lb := specLocations(a), specLocations(b)
	for i := 0; i < len(la) && i < len(lb); i++ {
		if c := cmp.Or(cmp.Compare(la[i].FileName, lb[i].FileName), cmp.Compare(la[i].LineNumber, lb[i].LineNumber)); c != 0 {
			return c
		}
	}
	return cmp.Or(cmp.Compare(len(la), len(lb)), cmp.Compare(a.FullText(), b.FullText()))
}

// specLocations are the locations of a spec's containers and its leaf.
func specLocations(r types.SpecReport) []types.CodeLocation {
	return append(slices.Clone(r.ContainerHierarchyLocations), r.LeafNodeLocation)
}
