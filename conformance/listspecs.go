package conformance

import (
	"context"
	"slices"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/hookcheck/hookcheck/conformance/framework"
	"github.com/hookcheck/hookcheck/reports"
)

// ListSpecs is a dry run (--list-specs): it walks the suite's Ginkgo tree
// with cfg's label filter, the way Run does, without running a spec or
// contacting a target, and returns the specs a run with that filter
// executes, in the stable shape of the report (ID, clause, level, style).
// Specs a real run skips at run time (no SOAP URL, an on-site target for
// the Online specs) are listed: the report lists them too, as skipped.
// A label filter that selects no spec is a *framework.ConfigError naming
// the closest labels. Like Run it works once per process.
func ListSpecs(cfg RunConfig) ([]reports.Spec, error) {
	if cfg.LabelFilter != "" {
		if _, err := types.ParseLabelFilter(cfg.LabelFilter); err != nil {
			return nil, framework.ConfigErrorf("--label-filter %q: %s", cfg.LabelFilter, oneLine(err.Error()))
		}
	}
	cat, err := framework.Catalogue()
	if err != nil {
		return nil, err
	}
	if err := notInsideSpec(); err != nil {
		return nil, err
	}
	if !ran.CompareAndSwap(false, true) {
		return nil, ErrAlreadyRan
	}
	dry := RunConfig{LabelFilter: cfg.LabelFilter, RandomSeed: cfg.RandomSeed, GinkgoOutput: cfg.GinkgoOutput, dryRun: true}
	report, err := runSpecs(context.Background(), nil, dry, false)
	if err != nil {
		return nil, err
	}
	all := slices.Clone(report.SpecReports)
	report.SpecReports = slices.DeleteFunc(report.SpecReports, filteredOut)
	specs := reports.FromGinkgo(report, cat).Specs
	if len(specs) == 0 && cfg.LabelFilter != "" {
		return nil, noSpecMatches(cfg.LabelFilter, all)
	}
	return specs, nil
}
