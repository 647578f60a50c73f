package mutants

import (
	"time"

	"github.com/hookcheck/hookcheck/conformance/reference"
	"github.com/hookcheck/hookcheck/conformance/reference/server"
)

// clockMutants are faults of the service's clock (spec §4.3, §8).
func clockMutants() []Mutant {
	return []Mutant{
		{
			Name:        "clock-local-as-utc",
			Component:   "Clock",
			Description: "stamps the local wall time of a UTC+2 server as if it were UTC, so every timestamp is two hours ahead",
			Clauses:     clauses("WH-DLV-005"),
			Apply: func(o *reference.Options, _ *[]server.HandlerOption) error {
				o.Clock = localAsUTC{offset: 2 * time.Hour}
				return nil
			},
		},
	}
}

// localAsUTC is the real clock whose Now reads the wall time of a zone
// offset east of UTC, labelled UTC. Timers run in real time.
type localAsUTC struct {
	reference.RealClock
	offset time.Duration
}

// Now implements reference.Clock.
func (c localAsUTC) Now() time.Time { return time.Now().UTC().Add(c.offset) }
