package reproduce

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/hookcheck/hookcheck/conformance/driver"
	"github.com/hookcheck/hookcheck/conformance/framework"
	"github.com/hookcheck/hookcheck/receiver/client"
)

// recoverScenario is the scenario "recover" (spec §5 Reactivation, §6, §9 #7):
//
//  1. a hook and a watcher for its webhook{id}.errors and .started; the
//     hook's channel answers 410 Gone, so one event makes it
//     TooManyErrors (too-many-errors shows the longer road there);
//  2. an event signalled during the outage, seen by a sentinel hook,
//     must not reach the hook (unless --queue-while-inactive);
//  3. the receiver is fixed (answers 200) and the hook saved Active
//     again: the State, webhook{id}.started, the usage statistics;
//  4. the next event must be delivered on its first attempt, and
//     consecutive_errors must read 0.
func recoverScenario() Scenario {
	return Scenario{
		Name:    "recover",
		Summary: "TooManyErrors, then the hook set Active again: the next delivery succeeds and the error count is reset",
		script:  runRecover,
	}
}

// runRecover is the script of recover.
func runRecover(ctx context.Context, r *Run) (string, error) {
	p := r.p
	event := r.event("changed")
	hook, err := r.followedHook(ctx, event, "answers 410 Gone to every "+event, framework.Answer(event, http.StatusGone, 0), false, "errors", "started")
	if err != nil {
		return "", err
	}
	ch := r.follow.ch
	if err := r.signal(ctx, event, 1); err != nil {
		return "", err
	}
	tme := r.is(driver.StateTooManyErrors)
	if ok, err := r.await(ctx, p.DeliveryWait, func() bool { return r.attempts() > 0 && tme() }); err != nil || !ok {
		if err == nil {
			r.differ(time.Now(), fmt.Sprintf("the hook is %s after %d attempts answered 410", r.follow.state, r.attempts()), "TooManyErrors at once (run the gone scenario for details)")
		}
		return "", err
	}
	r.usage(ctx, hook.ID, "at TooManyErrors")

	// The outage: an event the sentinel gets and the hook must not.
	sentinel, err := r.channel(ctx, "sentinel")
	if err != nil {
		return "", err
	}
	if _, err := r.create(ctx, "sentinel", r.define(sentinel, event)); err != nil {
		return "", err
	}
	before := r.attempts()
	if err := r.signal(ctx, event, 2); err != nil {
		return "", err
	}
	if _, err := r.sb.Env.RV.Calls(ctx, sentinel.ID, client.CallQuery{Event: event, Min: 1, Wait: p.DeliveryWait}); err != nil {
		return "", fmt.Errorf("wait for the sentinel: %w", err)
	}
	if _, err := r.await(ctx, p.QuietPeriod, func() bool { return r.attempts() > before }); err != nil {
		return "", err
	}
	if r.attempts() > before && !p.QueueWhileInactive {
		a := r.follow.attempts[before]
		r.differ(a.ReceivedAt, fmt.Sprintf("PrimaryKey %d, signalled while the hook was TooManyErrors, was delivered to it", a.PrimaryKey),
			"no delivery to a TooManyErrors hook (--queue-while-inactive=false)")
	}

	// The fix: the receiver answers 200, the hook is saved Active.
	if err := r.script(ctx, ch, "answers 200 (fixed)"); err != nil {
		return "", err
	}
	cur, err := r.sb.REST.Get(ctx, hook.ID)
	if err != nil || cur == nil {
		return "", fmt.Errorf("read webhook %d: %v", hook.ID, err)
	}
	cur.State = driver.StateActive
	saved, err := r.sb.D.Update(ctx, *cur)
	if err != nil {
		return "", fmt.Errorf("save webhook %d Active: %w", hook.ID, err)
	}
	reactivated := time.Now()
	r.action("saved webhook %d with State Active (answer: %s)", hook.ID, saved.State)
	if ok, err := r.await(ctx, p.DeliveryWait, func() bool { return r.follow.state == driver.StateActive && r.hasStateEvent("started") }); err != nil {
		return "", err
	} else if !ok {
		if r.follow.state != driver.StateActive {
			r.differ(reactivated, "the hook is "+r.follow.state+" after it was saved Active", "Active")
		}
		if !r.hasStateEvent("started") {
			r.differ(reactivated, fmt.Sprintf("no %s reached the watcher within %s", stateEvent(hook.ID, "started"), human(p.DeliveryWait)),
				"the state event when the hook is set Active (spec §6)")
		}
	}
	r.usage(ctx, hook.ID, "after reactivation")

	// The next event.
	before = r.attempts()
	if err := r.signal(ctx, event, 3); err != nil {
		return "", err
	}
	want := 1
	if p.QueueWhileInactive {
		want = 2 // the outage's event comes too
	}
	if _, err := r.await(ctx, p.DeliveryWait, func() bool { return r.attempts() >= before+want }); err != nil {
		return "", err
	}
	if _, err := r.await(ctx, p.QuietPeriod, never); err != nil {
		return "", err
	}
	next := r.follow.attempts[before:]
	var delivered *Attempt
	for i := range next {
		if next[i].PrimaryKey == 3 {
			delivered = &next[i]
			break
		}
	}
	switch {
	case delivered == nil:
		r.differ(time.Now(), fmt.Sprintf("PrimaryKey 3, signalled after the reactivation, did not reach the hook within %s", human(p.DeliveryWait)), "a delivery at once")
		return "", nil
	case !delivered.Delivered:
		r.differ(delivered.ReceivedAt, fmt.Sprintf("the first attempt for PrimaryKey 3 was answered %s", delivered.Answer()), "delivered (the receiver answers 200)")
	}
	for _, a := range next {
		if a.PrimaryKey == 3 && a.N != delivered.N {
			r.differ(a.ReceivedAt, fmt.Sprintf("attempt %d repeated the delivered PrimaryKey 3", a.N), "one attempt for a delivered event")
			break
		}
	}
	if u, ok := r.usage(ctx, hook.ID, "after the delivery"); ok && u.ConsecutiveErrors != 0 {
		r.differ(time.Now(), fmt.Sprintf("consecutive_errors is %d after the successful delivery", u.ConsecutiveErrors), "0: a success resets it (spec §5)")
	}
	if r.follow.state != driver.StateActive {
		r.differ(time.Now(), "the hook is "+r.follow.state+" after the delivery", "Active")
	}
	outage := "dropped"
	if p.QueueWhileInactive {
		outage = "kept"
	}
	return fmt.Sprintf("TooManyErrors after a 410, the outage's event %s, saved Active at +%.3fs: the next event delivered %s later on its first attempt",
		outage, reactivated.Sub(r.t0).Seconds(), human(delivered.ReceivedAt.Sub(reactivated))), nil
}
