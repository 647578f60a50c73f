package conformance

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"

	. "github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/formatter"
	"github.com/onsi/ginkgo/v2/types"
	"github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/conformance/framework"
	"github.com/hookcheck/hookcheck/reports"
)

// Running the Ginkgo tree of the specs, which Ginkgo allows once per
// process: the serial executor, a worker process and ListSpecs each do it
// through runSpecs.

// SuiteName is the Ginkgo description of the suite.
const SuiteName = "hookcheck conformance"

// ran guards RunSpecs, which Ginkgo allows once per process.
var ran atomic.Bool

// ErrAlreadyRan is returned by a second run of the suite in one process:
// Ginkgo runs a suite once per process.
var ErrAlreadyRan = errors.New("conformance: the suite already ran in this process (Ginkgo runs a suite once per process)")

// runSpecs installs env and runs the suite through Ginkgo; the report is
// read back from the JSON report Ginkgo writes. In a parallel run's
// worker (parallel) every worker walks the same order: each spec on its
// own, the longest expected wait first, serial specs last.
func runSpecs(ctx context.Context, env *framework.Env, cfg RunConfig, parallel bool) (types.Report, error) {
	if env != nil {
		env.SetRunContext(ctx)
	}
	framework.Install(env)
	defer framework.Install(nil)
	defer framework.Arm()()
	if cfg.Progress != nil {
		progress.Store(&progressWriter{w: cfg.Progress, colour: cfg.Colour})
		defer progress.Store(nil)
	}
	out := cfg.GinkgoOutput
	if out == nil {
		out = io.Discard
	}
	prevOut := formatter.ColorableStdOut
	formatter.ColorableStdOut = out
	defer func() { formatter.ColorableStdOut = prevOut }()

	dir, err := os.MkdirTemp("", "hookcheck-ginkgo-")
	if err != nil {
		return types.Report{}, fmt.Errorf("conformance: %w", err)
	}
	defer os.RemoveAll(dir)

	suiteConfig, reporterConfig := GinkgoConfiguration()
	suiteConfig.LabelFilter = SuiteFilter(cfg.LabelFilter, suiteConfig.LabelFilter)
	suiteConfig.RandomSeed = cfg.RandomSeed
	if suiteConfig.RandomSeed == 0 {
		suiteConfig.RandomSeed = 1
	}
	suiteConfig.RandomizeAllSpecs = false
	suiteConfig.DryRun = cfg.dryRun
	if parallel {
		// Every worker walks the same order: each spec on its own, the
		// longest expected wait first (scheduleTransformer), serial specs
		// last.
		suiteConfig.RandomizeAllSpecs = true
		defer AddTreeConstructionNodeArgsTransformer(scheduleTransformer(env.Profile))()
	}
	reporterConfig.NoColor = true
	reporterConfig.JSONReport = filepath.Join(dir, "ginkgo.json")
	reporterConfig.JUnitReport, reporterConfig.TeamcityReport, reporterConfig.GoJSONReport = "", "", ""

	t := cfg.T
	if t == nil {
		t = &failRecorder{}
	}
	gomega.RegisterFailHandler(framework.FailHandler)
	RunSpecs(t, SuiteName, suiteConfig, reporterConfig)
	rs, err := reports.ReadGinkgoJSON(reporterConfig.JSONReport)
	if err != nil {
		return types.Report{}, fmt.Errorf("conformance: read back Ginkgo's report: %w", err)
	}
	if len(rs) != 1 {
		return types.Report{}, fmt.Errorf("conformance: Ginkgo's report holds %d suites, want 1", len(rs))
	}
	return rs[0], nil
}

// SuiteFilter combines the label filters of a run into the one the run
// hands Ginkgo: always the suite's own specs (LabelSuite), narrowed by each
// non-empty filter.
func SuiteFilter(filters ...string) string {
	out := framework.LabelSuite
	for _, f := range filters {
		if strings.TrimSpace(f) != "" {
			out += " && (" + f + ")"
		}
	}
	return out
}

// failRecorder is the GinkgoTestingT of a run outside go test.
type failRecorder struct{ failed atomic.Bool }

// Fail implements GinkgoTestingT.
func (f *failRecorder) Fail() { f.failed.Store(true) }
