package reference

import (
	"context"
	"slices"
	"strings"
)

// Signal is SignalEvent (spec §4.5): it queues the event for every Active
// webhook subscribed to it (case-insensitive exact match) and returns
// without waiting for delivery. Changes are the keys of data, sorted;
// Entity is the part of the name before the first "."; the values reach
// crmscript hooks, and HTTP hooks only with Options.SignalValues. Online,
// the caller must be admitted like any other call and the event reaches
// only the hooks the caller's app registered (spec §8).
func (s *Service) Signal(ctx context.Context, c Caller, event string, primaryKey int32, data map[string]any) error {
	if err := s.check(c); err != nil {
		return err
	}
	event = strings.TrimSpace(event)
	if event == "" {
		return Errorf(KindInvalid, coreErrArgument, "EventName is required")
	}
	entity, _, _ := strings.Cut(event, ".")
	changes := make([]string, 0, len(data))
	for k := range data {
		changes = append(changes, k)
	}
	slices.Sort(changes)
	n := s.dispatch(Event{
		Name:                 event,
		Entity:               entity,
		PrimaryKey:           primaryKey,
		Changes:              changes,
		Data:                 copyAnyMap(data),
		ChangedByAssociateID: callerAssociateID(c),
		Timestamp:            s.now(),
	}, func(owner string) bool { return signalVisible(s.opts.Access, owner, c) })
	s.log.Debug("event signalled", "event", event, "primaryKey", primaryKey, "webhooks", n)
	return nil
}

// dispatch queues ev for every hook that takes deliveries and subscribes
// to ev.Name, except ev.Exclude and the hooks whose application token owner audience
// (when not nil) rejects; it returns how many hooks it reached.
func (s *Service) dispatch(ev Event, audience func(owner string) bool) int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	n := 0
	for _, id := range s.sortedIDsLocked() {
		rec := s.hooks[id]
		if id == ev.Exclude || !s.opts.Gate.Open(rec.hook.State) || !s.opts.Matcher.MatchEvent(rec.hook.Events, ev.Name) ||
			(audience != nil && !audience(rec.owner)) {
			continue
		}
		if w := s.workerFor(id); w != nil {
			w.enqueue(&deliveryJob{event: ev, cycle: 1})
			n++
		}
	}
	return n
}
