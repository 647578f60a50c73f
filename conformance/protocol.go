package conformance

import (
	"time"

	"github.com/hookcheck/hookcheck/conformance/driver"
	"github.com/hookcheck/hookcheck/conformance/framework"
)

// The messages between the coordinator of a parallel run (the hookcheck
// run process) and its workers, as JSON over loopback HTTP.

// workerConfig is what a worker process reads on its stdin: where the
// coordinator is, what to test and where to write its Ginkgo report.
type workerConfig struct {
	// Coordinator is the base URL of the coordinator, secret path
	// included.
	Coordinator string `json:"coordinator"`
	// Index numbers the worker from 1.
	Index int `json:"index"`
	// Report is the file the worker writes its Ginkgo JSON report to.
	Report      string                 `json:"report"`
	Target      framework.Target       `json:"target"`
	Profile     framework.Profile      `json:"profile"`
	Receiver    framework.ReceiverInfo `json:"receiver"`
	LabelFilter string                 `json:"labelFilter,omitempty"`
	RandomSeed  int64                  `json:"randomSeed"`
	// RateLimited makes every API request wait for a token from the
	// coordinator (--max-rps).
	RateLimited bool `json:"rateLimited,omitempty"`
	// Verbose sends Ginkgo's console report to the worker's stderr.
	Verbose bool `json:"verbose,omitempty"`
	// FailFast, when set, is the rule of a --fail-fast run: the worker
	// says in its done report whether a failure stops the run.
	FailFast *haltRule `json:"failFast,omitempty"`
	// Broken are the front ends the preflight found broken, with the
	// one-line reason their specs fail with.
	Broken map[driver.Style]string `json:"broken,omitempty"`
}

// beginRequest tells the coordinator how many specs the worker's Ginkgo
// tree will walk.
type beginRequest struct {
	Worker int `json:"worker"`
	Total  int `json:"total"`
}

// claimRequest asks the coordinator whether the worker runs the spec at
// position Seq of the order every worker walks.
type claimRequest struct {
	Worker int `json:"worker"`
	Seq    int `json:"seq"`
	// Key names the spec (full text and location): every worker must see
	// the same spec at the same position.
	Key string `json:"key"`
	// Tag is the spec's short name for the status line (clause/style).
	Tag    string        `json:"tag"`
	Serial bool          `json:"serial,omitempty"`
	Wait   time.Duration `json:"waitNs"`
}

// claimAnswer says whether the worker runs the spec.
type claimAnswer struct {
	// Granted is set when the worker runs the spec: its claim came first.
	Granted bool `json:"run"`
	// Interrupted is set when the run was interrupted: the worker owns the
	// spec but skips it.
	Interrupted bool `json:"interrupted,omitempty"`
	// Halted is set when a --fail-fast run stopped after a failure: the
	// worker owns the spec and skips it with StoppedByFailFast.
	Halted bool `json:"halted,omitempty"`
	// NotRun, when set, is why the run no longer starts specs (the target
	// stopped answering): the worker owns the spec and does not run it.
	NotRun string `json:"notRun,omitempty"`
}

// connFailRequest tells the coordinator that an API call of a worker got
// no answer from the target at all.
type connFailRequest struct {
	Worker int    `json:"worker"`
	Error  string `json:"error"`
}

// watchAnswer ends a worker's long poll of /watch: the reason the run
// stops its specs (the target stopped answering), or "" when the
// coordinator is going away.
type watchAnswer struct {
	Stop string `json:"stop,omitempty"`
}

// doneRequest reports a spec the worker ran.
type doneRequest struct {
	Worker int `json:"worker"`
	Seq    int `json:"seq"`
	// Line is the spec's progress line; "" prints none (a spec the run
	// cut short because the target stopped answering).
	Line   string `json:"line"`
	Failed bool   `json:"failed,omitempty"`
	// Halt is set when the failure stops a --fail-fast run.
	Halt bool `json:"halt,omitempty"`
}
