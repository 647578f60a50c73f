package reference

import (
	"maps"
	"slices"
)

// hookRecord is one stored webhook with its server-only data.
type hookRecord struct {
	hook  Webhook
	owner string // application_token (§1.7)
	usage Usage
}

// copyWebhook returns a deep copy of w, so callers never share the store's
// slices and maps.
func copyWebhook(w Webhook) Webhook {
	w.Events = slices.Clone(w.Events)
	w.Headers = maps.Clone(w.Headers)
	w.Properties = copyAnyMap(w.Properties)
	if w.RegisteredAssociate != nil {
		a := *w.RegisteredAssociate
		w.RegisteredAssociate = &a
	}
	if w.UpdatedAssociate != nil {
		a := *w.UpdatedAssociate
		w.UpdatedAssociate = &a
	}
	w.V121 = copyV121(w.V121)
	return w
}

// copyAnyMap deep-copies a JSON-like map.
func copyAnyMap(m map[string]any) map[string]any {
	if m == nil {
		return nil
	}
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = copyAnyValue(v)
	}
	return out
}

func copyAnyValue(v any) any {
	switch t := v.(type) {
	case map[string]any:
		return copyAnyMap(t)
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = copyAnyValue(e)
		}
		return out
	default:
		return v
	}
}

// copyAssociate returns a copy of a (nil stays nil).
func copyAssociate(a *Associate) *Associate {
	if a == nil {
		return nil
	}
	c := *a
	return &c
}

// visibleLocked returns the record of id if c may see it. s.mu must be held.
func (s *Service) visibleLocked(c Caller, id int32) (*hookRecord, bool) {
	rec, ok := s.hooks[id]
	if !ok || !s.opts.Access.Visible(rec.owner, c) {
		return nil, false
	}
	return rec, true
}

// sortedIDsLocked returns the stored ids in ascending order. s.mu must be
// held.
func (s *Service) sortedIDsLocked() []int32 {
	ids := make([]int32, 0, len(s.hooks))
	for id := range s.hooks {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// mutate applies change under persistMu and mu and then writes the store
// to disk. If the write fails, undo (when non-nil) is run under mu and the
// write error is returned.
func (s *Service) mutate(change func() (undo func(), err error)) error {
	s.persistMu.Lock()
	defer s.persistMu.Unlock()
	s.mu.Lock()
	undo, err := change()
	if err != nil {
		s.mu.Unlock()
		return err
	}
	var snap *hookFileState
	if s.files != nil {
		snap = s.snapshotLocked()
	}
	s.mu.Unlock()
	if snap == nil {
		return nil
	}
	if err := s.files.save(snap); err != nil {
		if undo != nil {
			s.mu.Lock()
			undo()
			s.mu.Unlock()
		}
		return &Error{Kind: KindInternal, Type: coreErrServer, Message: "storing the webhooks failed: " + err.Error(), Err: err}
	}
	return nil
}

// snapshotLocked captures the store for the file. s.mu must be held.
func (s *Service) snapshotLocked() *hookFileState {
	st := &hookFileState{Version: hookFileVersion, NextID: s.nextID}
	for _, id := range s.sortedIDsLocked() {
		rec := s.hooks[id]
		st.Webhooks = append(st.Webhooks, storedHook{
			Webhook:          storedWebhookOf(rec.hook),
			ApplicationToken: rec.owner,
			Usage:            rec.usage,
		})
	}
	return st
}

// restore loads a file state into the empty store.
func (s *Service) restore(st *hookFileState) {
	for _, h := range st.Webhooks {
		w := h.Webhook.webhook()
		s.hooks[w.WebhookID] = &hookRecord{hook: w, owner: h.ApplicationToken, usage: h.Usage}
		if w.WebhookID >= s.nextID {
			s.nextID = w.WebhookID + 1
		}
	}
	if st.NextID > s.nextID {
		s.nextID = st.NextID
	}
}
