package reproduce

import (
	"context"
	"fmt"
	"time"

	"github.com/hookcheck/hookcheck/conformance/driver"
	"github.com/hookcheck/hookcheck/conformance/framework"
)

// tooManyErrors is the scenario "too-many-errors" (spec §5, §6):
//
//  1. a hook (ErrorsEmail: the receiver's sink, when the target mails it)
//     and a watcher hook for its webhook{id}.errors state event;
//  2. the hook's channel answers 500 to every delivery;
//  3. signal one event, and another whenever a payload has used up its
//     cycles, until the hook is TooManyErrors (or clearly never will be);
//  4. wait for the state event and the e-mail, and watch a quiet period
//     for attempts after the change.
//
// The verdict compares the number of failed attempts with
// --error-threshold and every payload's attempts with the retry schedule.
func tooManyErrors() Scenario {
	return Scenario{
		Name:    "too-many-errors",
		Summary: "a receiver that fails every call: each attempt until the hook is TooManyErrors, the state event and the e-mail",
		script:  runTooManyErrors,
	}
}

// runTooManyErrors is the script of too-many-errors.
func runTooManyErrors(ctx context.Context, r *Run) (string, error) {
	p := r.p
	event := r.event("changed")
	if _, err := r.followedHook(ctx, event, "answers 500 to every "+event, framework.Answer(event, 500, 0), true, "errors"); err != nil {
		return "", err
	}
	mailTo := r.follow.mailTo
	tme := r.is(driver.StateTooManyErrors)
	limit := p.ErrorThreshold + p.PayloadAttempts()
	maxSignals := (p.ErrorThreshold+p.PayloadAttempts()-1)/p.PayloadAttempts() + 1
	pk, sent := int32(0), 0 // the current payload, attempts before it
	signal := func() error {
		pk++
		sent = r.attempts()
		return r.signal(ctx, event, pk)
	}
	if err := signal(); err != nil {
		return "", err
	}
	for !tme() && r.attempts() < limit {
		n := r.attempts()
		got, err := r.await(ctx, r.nextWait(n-sent), func() bool { return r.attempts() > n || tme() })
		if err != nil {
			return "", err
		}
		if got {
			continue
		}
		k := n - sent
		if k == 0 {
			r.differ(time.Now(), fmt.Sprintf("no delivery attempt for PrimaryKey %d within %s of the signal", pk, human(p.DeliveryWait)), "a first attempt at once")
			break
		}
		if k < p.PayloadAttempts() {
			r.differ(time.Now(), fmt.Sprintf("after attempt %d the target made no further attempt for PrimaryKey %d and the hook is %s", n, pk, r.follow.state),
				fmt.Sprintf("attempt %d of the payload (%d per cycle × %d cycles)", k+1, p.AttemptsPerCycle, p.Cycles))
		}
		if int(pk) >= maxSignals {
			break
		}
		// The payload used up its attempts: the next event keeps failing.
		if err := signal(); err != nil {
			return "", err
		}
	}
	failed := r.attempts()
	if tme() {
		failed = r.follow.attemptsAtStateEntry[driver.StateTooManyErrors]
	}
	// The state event and the e-mail follow the change.
	if tme() {
		if _, err := r.await(ctx, p.DeliveryWait, func() bool {
			return r.hasStateEvent("errors") && (mailTo == "" || len(r.follow.mails) > 0)
		}); err != nil {
			return "", err
		}
		if _, err := r.await(ctx, p.QuietPeriod, never); err != nil {
			return "", err
		}
	}
	r.judgeTooManyErrors(failed, mailTo)
	as := r.follow.attempts
	dur := time.Duration(0)
	if len(as) > 0 {
		end := as[len(as)-1].ReceivedAt
		if at, ok := r.follow.stateAt[driver.StateTooManyErrors]; ok {
			end = at
		}
		dur = end.Sub(as[0].ReceivedAt)
	}
	return fmt.Sprintf("%d failed attempts in %d cycles over %s, then TooManyErrors", failed, countCycles(as[:min(failed, len(as))]), human(dur)), nil
}

// judgeTooManyErrors compares a too-many-errors run with the profile.
func (r *Run) judgeTooManyErrors(failed int, mailTo string) {
	p, f := r.p, r.follow
	as := f.attempts
	for i, group := range byPayload(as[:min(failed, len(as))]) {
		r.checkSchedule(group, i == len(byPayload(as[:min(failed, len(as))]))-1)
	}
	at, reached := f.stateAt[driver.StateTooManyErrors]
	switch {
	case !reached && len(as) >= p.ErrorThreshold:
		r.differ(as[p.ErrorThreshold-1].ReceivedAt, fmt.Sprintf("after %d failed attempts the hook is still %s", len(as), f.state),
			fmt.Sprintf("TooManyErrors after %d (--error-threshold)", p.ErrorThreshold))
	case !reached:
		// the missing attempts are differences already
	case failed < p.ErrorThreshold:
		r.differ(at, fmt.Sprintf("the hook turned TooManyErrors after %d failed attempts", failed),
			fmt.Sprintf("after %d (--error-threshold)", p.ErrorThreshold))
	case failed > p.ErrorThreshold:
		r.differ(as[p.ErrorThreshold-1].ReceivedAt, fmt.Sprintf("the hook stayed %s after %d failed attempts and turned TooManyErrors only after %d", driver.StateActive, p.ErrorThreshold, failed),
			fmt.Sprintf("TooManyErrors after %d (--error-threshold)", p.ErrorThreshold))
	}
	if !reached {
		return
	}
	for _, a := range as[failed:] {
		if a.ReceivedAt.After(at) {
			r.differ(a.ReceivedAt, fmt.Sprintf("attempt %d came after the hook turned TooManyErrors", a.N), "no attempt after TooManyErrors")
			break
		}
	}
	if !r.hasStateEvent("errors") {
		r.differ(at, fmt.Sprintf("no %s reached the watcher within %s", stateEvent(f.hook, "errors"), human(p.DeliveryWait)),
			"the state event when the hook turns TooManyErrors (spec §6)")
	}
	if mailTo != "" && len(f.mails) == 0 {
		r.differ(at, fmt.Sprintf("no e-mail reached %s within %s", mailTo, human(p.DeliveryWait)),
			"an e-mail to ErrorsEmail when the hook turns TooManyErrors (spec §5)")
	}
}

// countCycles counts the cycles of attempts across payloads.
func countCycles(as []Attempt) int {
	n := 0
	for _, group := range byPayload(as) {
		n += len(cycles(group))
	}
	return n
}
