package reference

import (
	"context"
	"maps"
	"slices"
	"sync"
	"time"
)

// ScriptCall is one invocation of a crmscript hook (spec §4.7).
type ScriptCall struct {
	WebhookID int32
	// Include is the script's include name (the hook's TargetUrl).
	Include string
	// Params are the script parameters: ChangedByAssociateId,
	// Changes.<field> (the SignalEvent values), ContextIdentifier, Entity,
	// Event, EventId, PrimaryKey, Timestamp, plus every webhook property
	// that does not clash with those.
	Params map[string]any
	At     time.Time
}

// ScriptRunner runs crmscript hooks. An error counts as a failed attempt.
type ScriptRunner interface {
	RunScript(ctx context.Context, call ScriptCall) error
}

// ScriptRecorder is the default ScriptRunner: it runs nothing and records
// every call, so tests can inspect them.
type ScriptRecorder struct {
	mu    sync.Mutex
	calls []ScriptCall
}

// RunScript implements ScriptRunner.
func (r *ScriptRecorder) RunScript(_ context.Context, call ScriptCall) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	call.Params = maps.Clone(call.Params)
	r.calls = append(r.calls, call)
	return nil
}

// Calls returns a copy of the recorded calls, oldest first.
func (r *ScriptRecorder) Calls() []ScriptCall {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.calls)
}

// Count returns how many calls were recorded.
func (r *ScriptRecorder) Count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.calls)
}

// ScriptParams returns the parameters a crmscript hook gets for p.
func ScriptParams(p Payload) map[string]any {
	params := map[string]any{
		"ChangedByAssociateId": p.ChangedByAssociateID,
		"ContextIdentifier":    p.ContextIdentifier,
		"Event":                p.BodyName(),
		"EventId":              p.EventID,
		"PrimaryKey":           p.PrimaryKey,
		"Timestamp":            FormatPayloadTime(p.Timestamp),
	}
	if !p.NoEntity {
		params["Entity"] = p.Entity
	}
	for k, v := range p.Data {
		params["Changes."+k] = v
	}
	for k, v := range p.Properties {
		if _, taken := params[k]; !taken {
			params[k] = v
		}
	}
	return params
}
