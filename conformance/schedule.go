package conformance

import (
	"time"

	. "github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"

	"github.com/hookcheck/hookcheck/conformance/framework"
)

// serialClauses are the clauses whose specs observe state the whole target
// shares: listing every webhook, the status filter over all of them, the
// usage statistics. A parallel run marks their specs Serial and runs each
// of them alone, never beside another spec.
var serialClauses = map[string]bool{
	"WH-CRUD-007": true, // lists every webhook
	"WH-CRUD-010": true, // filters the whole list by state
	"WH-PAR-003":  true, // list filters through every front end
	"WH-STA-015":  true, // usage statistics
}

// waits estimates, per clause, how long a spec of the clause waits on the
// target's schedule under profile p. The clauses not listed wait at most a
// quiet period. A parallel run starts the specs with the longest estimate
// first, so its wall time approaches the longest spec, not the sum.
var waits = map[string]func(p framework.Profile) time.Duration{
	// The timeout specs wait for the target's HTTP timeout (30 s on
	// NetServer), the retry one for a retry after it.
	"WH-RTY-009": func(p framework.Profile) time.Duration { return p.TargetTimeout + p.CycleSpan() },
	"WH-VER-009": func(p framework.Profile) time.Duration { return p.TargetTimeout },
	// Two runs of failures up to one short of the threshold.
	"WH-RTY-010": func(p framework.Profile) time.Duration { return 2 * failuresSpan(p, p.ErrorThreshold) },
	// The TooManyErrors specs fail a payload up to the threshold.
	"WH-STA-003": thresholdWait,
	"WH-STA-004": thresholdWait,
	"WH-STA-005": func(p framework.Profile) time.Duration { return thresholdWait(p) + p.QuietPeriod },
	"WH-SEV-003": thresholdWait,
	"WH-EML-001": thresholdWait,
	"WH-EML-002": thresholdWait,
	// The drop-pending specs hold an attempt, then watch a whole cycle.
	"WH-STA-010": func(p framework.Profile) time.Duration { return time.Second + p.CycleSpan() + p.QuietPeriod },
	"WH-STA-011": func(p framework.Profile) time.Duration { return time.Second + p.CycleSpan() + p.QuietPeriod },
	// One failing cycle.
	"WH-RTY-001": cycleWait,
	"WH-RTY-002": cycleWait,
	"WH-RTY-003": cycleWait,
	"WH-RTY-004": func(p framework.Profile) time.Duration { return 2 * p.CycleSpan() },
	"WH-RTY-005": cycleWait,
	"WH-RTY-006": func(p framework.Profile) time.Duration { return cycleWait(p) + p.QuietPeriod },
	"WH-RTY-011": cycleWait,
	"WH-STA-006": func(p framework.Profile) time.Duration { return p.RetryDelay(2) + p.QuietPeriod },
}

// thresholdWait is how long failing a payload up to the error threshold
// takes.
func thresholdWait(p framework.Profile) time.Duration { return failuresSpan(p, p.ErrorThreshold) }

// cycleWait is how long one failing cycle takes.
func cycleWait(p framework.Profile) time.Duration { return p.CycleSpan() }

// failuresSpan is the scheduled time n consecutive failed attempts of one
// payload take under profile p.
func failuresSpan(p framework.Profile, n int) time.Duration {
	if p.AttemptsPerCycle < 1 {
		return 0
	}
	cycles := (n + p.AttemptsPerCycle - 1) / p.AttemptsPerCycle
	return time.Duration(cycles) * p.CycleSpan()
}

// ExpectedWait estimates how long a spec of clause id waits on the target's
// schedule under profile p: the basis of the longest-first order of a
// parallel run and of its progress estimate.
func ExpectedWait(id string, p framework.Profile) time.Duration {
	if f, ok := waits[id]; ok {
		return f(p)
	}
	return p.QuietPeriod / 2
}

// SerialClause reports whether the specs of clause id run alone in a
// parallel run.
func SerialClause(id string) bool { return serialClauses[id] }

// scheduleTransformer decorates every spec node built while it is
// registered (a parallel run's workers register it): a SpecPriority of the
// clause's expected wait in milliseconds, so Ginkgo orders the longest
// first, and Serial for the specs of a serial clause, which also go last.
func scheduleTransformer(p framework.Profile) NodeArgsTransformer {
	return func(nodeType types.NodeType, _ Offset, text string, args []any) (string, []any, []error) {
		if !nodeType.Is(types.NodeTypeIt) {
			return text, args, nil
		}
		id := ""
		for _, a := range args {
			if l, ok := a.(Labels); ok {
				if c := framework.ClauseOf(l); c != "" {
					id = c
				}
			}
		}
		if id == "" {
			return text, args, nil
		}
		if SerialClause(id) {
			return text, append(args, Serial, SpecPriority(-1)), nil
		}
		return text, append(args, SpecPriority(int(ExpectedWait(id, p)/time.Millisecond))), nil
	}
}

// specWait returns the expected wait of a running spec from its labels.
func specWait(r types.SpecReport, p framework.Profile) time.Duration {
	return ExpectedWait(framework.ClauseOf(r.Labels()), p)
}
