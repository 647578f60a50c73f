package reproduce

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/hookcheck/hookcheck/conformance/driver"
	"github.com/hookcheck/hookcheck/conformance/framework"
)

// gone is the scenario "gone" (spec §5 410 Gone, §6, §9 #6):
//
//  1. a hook (with the sink as ErrorsEmail when the target mails it) and
//     a watcher for its webhook{id}.errors;
//  2. the hook's channel answers 410 Gone;
//  3. signal one event; watch the first retry delay (and the quiet
//     period) for a retry that must not come, the State, the state
//     event and the e-mail.
func gone() Scenario {
	return Scenario{
		Name:    "gone",
		Summary: "one 410 Gone answer disables the hook at once: no retry, TooManyErrors, the state event and the e-mail",
		script:  runGone,
	}
}

// runGone is the script of gone.
func runGone(ctx context.Context, r *Run) (string, error) {
	p := r.p
	event := r.event("changed")
	hook, err := r.followedHook(ctx, event, "answers 410 Gone to every "+event, framework.Answer(event, http.StatusGone, 0), true, "errors")
	if err != nil {
		return "", err
	}
	mailTo := r.follow.mailTo
	if err := r.signal(ctx, event, 1); err != nil {
		return "", err
	}
	tme := r.is(driver.StateTooManyErrors)
	if ok, err := r.await(ctx, p.DeliveryWait, func() bool { return r.attempts() > 0 }); err != nil || !ok {
		if err == nil {
			r.differ(time.Now(), fmt.Sprintf("no delivery attempt within %s of the signal", human(p.DeliveryWait)), "a first attempt at once")
		}
		return "", err
	}
	first := r.follow.attempts[0]
	// A retry would come after the first retry delay.
	window := p.RetryDelay(2) + p.Tolerance(p.RetryDelay(2)) + p.QuietPeriod
	if _, err := r.await(ctx, window, func() bool { return r.attempts() > 1 }); err != nil {
		return "", err
	}
	if r.attempts() > 1 {
		a := r.follow.attempts[1]
		r.differ(a.ReceivedAt, fmt.Sprintf("attempt 2 followed the 410 after %s", human(a.ReceivedAt.Sub(first.ReceivedAt))),
			"no retry: a 410 disables the hook at once")
	}
	if _, err := r.await(ctx, p.DeliveryWait, tme); err != nil {
		return "", err
	}
	at, reached := r.follow.stateAt[driver.StateTooManyErrors]
	if !reached {
		r.differ(time.Now(), fmt.Sprintf("the hook is still %s %s after the 410", r.follow.state, human(time.Since(first.ReceivedAt))),
			"TooManyErrors at once")
		return "", nil
	}
	if n := r.follow.attemptsAtStateEntry[driver.StateTooManyErrors]; n > 1 {
		r.differ(at, fmt.Sprintf("the hook turned TooManyErrors only after %d attempts", n), "TooManyErrors after the one 410")
	}
	if _, err := r.await(ctx, p.DeliveryWait, func() bool {
		return r.hasStateEvent("errors") && (mailTo == "" || len(r.follow.mails) > 0)
	}); err != nil {
		return "", err
	}
	if !r.hasStateEvent("errors") {
		r.differ(at, fmt.Sprintf("no %s reached the watcher within %s", stateEvent(hook.ID, "errors"), human(p.DeliveryWait)),
			"the state event when a 410 disables the hook (spec §6)")
	}
	if mailTo != "" && len(r.follow.mails) == 0 {
		r.differ(at, fmt.Sprintf("no e-mail reached %s within %s", mailTo, human(p.DeliveryWait)),
			"an e-mail to ErrorsEmail when a 410 disables the hook (spec §5)")
	}
	return fmt.Sprintf("one 410 Gone: TooManyErrors %s after the attempt, no retry within %s", human(at.Sub(first.ReceivedAt)), human(window)), nil
}
