package api

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Rule is one entry of a channel's fault script. The first rule whose Match
// fits a call and that has uses left answers it; with none, the answer is
// 200 OK.
type Rule struct {
	Match *Match `json:"match,omitempty"`
	// Times is how many matching calls the rule answers; nil means forever.
	Times   *int     `json:"times,omitempty"`
	Respond *Respond `json:"respond,omitempty"`
	Fault   *Fault   `json:"fault,omitempty"`
	// Probability in 0..1 is the chance that a matching call is answered by
	// this rule (nil = 1). Seed makes the draw reproducible.
	Probability *float64 `json:"probability,omitempty"`
	Seed        *uint64  `json:"seed,omitempty"`
}

// Match selects the calls a rule applies to. Every given field must hold.
type Match struct {
	// Event matches X-SuperOffice-Event, case-insensitively.
	Event string `json:"event,omitempty"`
	// Header maps header names to exact values.
	Header map[string]string `json:"header,omitempty"`
	// Nth is a 1-based range of the channel's call ordinal: "3", "1-9", "10-".
	Nth string `json:"nth,omitempty"`
}

// Respond is the plain HTTP answer of a rule, optionally delayed.
type Respond struct {
	Status  int               `json:"status,omitempty"`
	Headers map[string]string `json:"headers,omitempty"`
	Body    string            `json:"body,omitempty"`
	Delay   Duration          `json:"delay,omitempty"`
	Jitter  Duration          `json:"jitter,omitempty"`
}

// Fault is a misbehaviour at the HTTP or TCP level. In JSON it is either a
// bare type name ("reset") or an object with parameters.
type Fault struct {
	// Type is one of hang, reset, close, slow-body, garbage.
	Type string `json:"type"`
	// Duration is how long slow-body takes to send the body.
	Duration Duration `json:"duration,omitempty"`
	// Bytes is how many bytes garbage writes (default 64).
	Bytes int `json:"bytes,omitempty"`
}

// UnmarshalJSON accepts "reset" as well as {"type":"reset"}.
func (f *Fault) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		return json.Unmarshal(b, &f.Type)
	}
	type plain Fault
	var p plain
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return fmt.Errorf("fault: %w", err)
	}
	*f = Fault(p)
	return nil
}

// Script is the body of PUT /_hookcheck/channels/{id}/script: either a bare
// array of rules or {"script": [...]}.
type Script struct {
	Rules []Rule `json:"script"`
}

// ScriptResult is the answer of PUT script: the script as it will run, with
// user-given durations clamped, and a note for every clamp.
type ScriptResult struct {
	Script   []Rule   `json:"script"`
	Warnings []string `json:"warnings,omitempty"`
	// UsesLeft holds, per rule of Script, how many more matching calls the
	// rule answers (its times less the calls it answered), or null for a
	// rule without times. A saved script starts afresh.
	UsesLeft []*int `json:"usesLeft"`
}
