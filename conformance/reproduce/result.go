package reproduce

import (
	"fmt"
	"sort"
	"time"
)

// Schema is the version of the Result JSON.
const Schema = 1

// Result is what a reproduction did and found.
type Result struct {
	Schema   int    `json:"schema"`
	Scenario string `json:"scenario"`
	// Description is the scenario's one-line summary.
	Description string    `json:"description"`
	Target      string    `json:"target"`
	StartedAt   time.Time `json:"startedAt"`
	// Duration is the scenario's wall time in seconds.
	Duration float64 `json:"duration"`
	// TimeScale is the profile's time scale (1: the target's real
	// schedule).
	TimeScale float64 `json:"timeScale"`
	// Profile is the profile the verdict compares with, as flag values.
	Profile map[string]string `json:"profile"`
	// Options are further settings (the target, a mutant).
	Options  map[string]string `json:"options,omitempty"`
	Steps    []Step            `json:"steps"`
	Verdict  Verdict           `json:"verdict"`
	Hooks    []HookRef         `json:"hooks"`
	Channels []ChannelRef      `json:"channels"`
	// Kept is true when the hooks and channels were left in place.
	Kept bool `json:"kept"`
}

// Attempts returns the attempt steps' attempts, in order.
func (r *Result) Attempts() []Attempt {
	var out []Attempt
	for _, s := range r.Steps {
		if s.Attempt != nil {
			out = append(out, *s.Attempt)
		}
	}
	return out
}

// ExitCode is 0 when the target behaved as the profile says, else 1.
func (r *Result) ExitCode() int {
	if r.Verdict.AsExpected {
		return 0
	}
	return 1
}

// HookRef is a webhook the scenario created.
type HookRef struct {
	ID   int32  `json:"id"`
	Name string `json:"name"`
	// Role says what the hook is for: "hook", "watcher", "sentinel".
	Role      string `json:"role"`
	TargetURL string `json:"targetUrl"`
}

// ChannelRef is a receiver channel the scenario created.
type ChannelRef struct {
	ID  string `json:"id"`
	URL string `json:"url"`
	// Inspector is the receiver's inspector page for the channel.
	Inspector string `json:"inspector"`
	Role      string `json:"role"`
}

// Verdict compares the reproduction with the profile.
type Verdict struct {
	// AsExpected is true when no difference was found.
	AsExpected bool `json:"asExpected"`
	// Summary is the verdict's line: what happened, "as documented", or
	// the first difference.
	Summary     string       `json:"summary"`
	Differences []Difference `json:"differences,omitempty"`
}

// Difference is one way the target departed from the profile.
type Difference struct {
	// Since is when, in seconds since the first attempt (absent when not
	// tied to a moment).
	Since    *float64 `json:"since,omitempty"`
	Actual   string   `json:"actual"`
	Expected string   `json:"expected"`
}

// String is the difference on one line.
func (d Difference) String() string {
	at := ""
	if d.Since != nil {
		at = fmt.Sprintf("at +%.3fs: ", *d.Since)
	}
	return fmt.Sprintf("%s%s; expected %s", at, d.Actual, d.Expected)
}

// sortDifferences orders differences by time, untimed ones last.
func sortDifferences(ds []Difference) {
	sort.SliceStable(ds, func(i, j int) bool {
		a, b := ds[i].Since, ds[j].Since
		switch {
		case a == nil:
			return false
		case b == nil:
			return true
		}
		return *a < *b
	})
}
