package reference

import (
	"context"
	"sync"
	"time"
)

// deliveryJob is one payload in a webhook's queue.
type deliveryJob struct {
	event     Event
	cycle     int       // 1-based
	eventID   string    // EventId of the latest attempt
	notBefore time.Time // a requeued cycle waits for CycleGap
	epoch     uint64    // the queue epoch it was queued in
}

// hookWorker delivers one webhook's payloads, in order, on its own
// goroutine, so a slow or hung target only ever delays its own hook.
type hookWorker struct {
	s      *Service
	id     int32
	ctx    context.Context // ends on Close or when the hook is deleted
	cancel context.CancelFunc
	wake   chan struct{} // a job was queued
	kick   chan struct{} // the queue was reset

	mu    sync.Mutex
	queue []*deliveryJob
	epoch uint64 // bumped by reset: jobs of older epochs are dropped
}

// workerFor returns the worker of hook id, starting it if needed; it
// returns nil once the service is closing. Callers hold s.mu so a hook
// cannot be deleted meanwhile.
func (s *Service) workerFor(id int32) *hookWorker {
	s.lifeMu.Lock()
	defer s.lifeMu.Unlock()
	if s.closed.Load() {
		return nil
	}
	if w := s.workers[id]; w != nil {
		return w
	}
	ctx, cancel := context.WithCancel(s.ctx)
	w := &hookWorker{
		s: s, id: id, ctx: ctx, cancel: cancel,
		wake: make(chan struct{}, 1),
		kick: make(chan struct{}, 1),
	}
	s.workers[id] = w
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		s.labelled(w.run)
	}()
	return w
}

// dropPending empties hook id's queue and interrupts a pending retry wait
// (§9 #7); an in-flight attempt still completes.
func (s *Service) dropPending(id int32) {
	s.lifeMu.Lock()
	w := s.workers[id]
	s.lifeMu.Unlock()
	if w != nil {
		w.reset()
	}
}

// stopWorker ends hook id's worker, cancelling an in-flight attempt.
func (s *Service) stopWorker(id int32) {
	s.lifeMu.Lock()
	w := s.workers[id]
	delete(s.workers, id)
	s.lifeMu.Unlock()
	if w != nil {
		w.cancel()
	}
}

// deliverable returns hook id if it still exists and takes deliveries.
func (s *Service) deliverable(id int32) (Webhook, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	rec, ok := s.hooks[id]
	if !ok || !s.opts.Gate.Open(rec.hook.State) {
		return Webhook{}, false
	}
	return copyWebhook(rec.hook), true
}

// scaled applies Options.TimeScale to a schedule delay.
func (s *Service) scaled(d time.Duration) time.Duration {
	return time.Duration(float64(d) * s.opts.TimeScale)
}

func notify(ch chan struct{}) {
	select {
	case ch <- struct{}{}:
	default:
	}
}

func (w *hookWorker) enqueue(j *deliveryJob) {
	w.mu.Lock()
	j.epoch = w.epoch
	w.queue = append(w.queue, j)
	w.mu.Unlock()
	notify(w.wake)
}

// requeue puts j at the back of the queue unless the queue was reset since
// j was queued.
func (w *hookWorker) requeue(j *deliveryJob) {
	w.mu.Lock()
	if j.epoch != w.epoch {
		w.mu.Unlock()
		return
	}
	w.queue = append(w.queue, j)
	w.mu.Unlock()
	notify(w.wake)
}

func (w *hookWorker) reset() {
	w.mu.Lock()
	w.epoch++
	clear(w.queue)
	w.queue = nil
	w.mu.Unlock()
	notify(w.kick)
}

func (w *hookWorker) stale(j *deliveryJob) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return j.epoch != w.epoch
}

// next blocks until a job is queued; it returns nil when the worker ends.
func (w *hookWorker) next() *deliveryJob {
	for {
		w.mu.Lock()
		if len(w.queue) > 0 {
			j := w.queue[0]
			w.queue[0] = nil
			w.queue = w.queue[1:]
			w.mu.Unlock()
			return j
		}
		w.mu.Unlock()
		select {
		case <-w.wake:
		case <-w.ctx.Done():
			return nil
		}
	}
}

// sleep waits d on the service clock; it reports false when the worker
// ends or j was dropped meanwhile.
func (w *hookWorker) sleep(j *deliveryJob, d time.Duration) bool {
	if d <= 0 {
		return w.ctx.Err() == nil && !w.stale(j)
	}
	t := w.s.opts.Clock.NewTimer(d)
	defer t.Stop()
	for {
		select {
		case <-t.C():
			return !w.stale(j)
		case <-w.ctx.Done():
			return false
		case <-w.kick:
			if w.stale(j) {
				return false
			}
		}
	}
}

func (w *hookWorker) run() {
	for {
		j := w.next()
		if j == nil {
			return
		}
		w.deliver(j)
	}
}

// deliver runs one cycle of j (§5): up to AttemptsPerCycle attempts with the
// policy's delays, one EventId per cycle; a failed cycle goes to the back
// of the queue for its next cycle, until MaxCycles.
func (w *hookWorker) deliver(j *deliveryJob) {
	s := w.s
	policy := s.opts.RetryPolicy
	if !j.notBefore.IsZero() && !w.sleep(j, j.notBefore.Sub(s.opts.Clock.Now())) {
		return
	}
	attempts := max(1, policy.AttemptsPerCycle())
	for attempt := 1; attempt <= attempts; attempt++ {
		if attempt > 1 && !w.sleep(j, s.scaled(policy.Delay(attempt))) {
			return
		}
		hook, ok := s.deliverable(w.id)
		if !ok || w.stale(j) {
			return
		}
		j.eventID = s.opts.EventIDs.EventID(j.eventID, j.cycle, attempt)
		o := s.attemptOnce(w.ctx, hook, j, attempt)
		if w.ctx.Err() != nil {
			return // closing, or the hook was deleted mid-attempt
		}
		s.log.Debug("delivery attempt", "webhook", w.id, "event", j.event.Name, "eventId", j.eventID,
			"cycle", j.cycle, "attempt", attempt, "success", o.Success, "status", o.Status)
		if stop := s.recordAttempt(w.id, j, o); stop || o.Success {
			return
		}
	}
	if c := policy.MaxCycles(); c > 0 && j.cycle >= c {
		s.log.Info("payload discarded after its last cycle", "webhook", w.id, "event", j.event.Name, "cycles", j.cycle)
		return
	}
	j.cycle++
	j.notBefore = s.opts.Clock.Now().Add(s.scaled(policy.CycleGap()))
	w.requeue(j)
}
