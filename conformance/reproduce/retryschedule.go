package reproduce

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hookcheck/hookcheck/conformance/driver"
	"github.com/hookcheck/hookcheck/conformance/framework"
)

// retrySchedule is the scenario "retry-schedule" (spec §5, §9 #3, #5):
//
//  1. a hook whose channel fails the attempts of one cycle, then answers
//     200;
//  2. signal one event; wait for each attempt of the failing cycle and
//     the first attempt of the next;
//  3. watch a quiet period for attempts after the delivery.
//
// The verdict compares every delay, the retry header, the EventIds and
// the gap before the new cycle with the profile.
func retrySchedule() Scenario {
	return Scenario{
		Name:    "retry-schedule",
		Summary: "one failing cycle, then success: the measured retry delays, retry header and EventIds against the profile's",
		check: func(p framework.Profile) error {
			switch {
			case p.ErrorThreshold <= p.AttemptsPerCycle:
				return fmt.Errorf("the profile's --error-threshold %d ends the hook within one cycle of %d attempts", p.ErrorThreshold, p.AttemptsPerCycle)
			case p.Cycles < 2:
				return fmt.Errorf("the profile gives a payload %d cycle (--cycles), so a failed cycle is never followed by another", p.Cycles)
			}
			return nil
		},
		script: runRetrySchedule,
	}
}

// runRetrySchedule is the script of retry-schedule.
func runRetrySchedule(ctx context.Context, r *Run) (string, error) {
	p := r.p
	n := p.AttemptsPerCycle
	event := r.event("changed")
	if _, err := r.followedHook(ctx, event, fmt.Sprintf("answers 500 to the next %d calls, then 200", n), framework.Answer(event, 500, n), false); err != nil {
		return "", err
	}
	if err := r.signal(ctx, event, 1); err != nil {
		return "", err
	}
	for k := 0; k <= n; k++ {
		ok, err := r.await(ctx, r.nextWait(k), func() bool { return r.attempts() > k })
		if err != nil {
			return "", err
		}
		if !ok {
			r.differ(time.Now(), fmt.Sprintf("after attempt %d the target made no further attempt", k), fmt.Sprintf("attempt %d (%d per cycle, then a new cycle)", k+1, n))
			break
		}
		if r.follow.attempts[r.attempts()-1].Delivered {
			break
		}
	}
	as := r.follow.attempts
	delivered := len(as) > 0 && as[len(as)-1].Delivered
	if delivered {
		extra := p.RetryDelay(2)
		if _, err := r.await(ctx, p.QuietPeriod+extra+p.Tolerance(extra), func() bool { return r.attempts() > len(as) }); err != nil {
			return "", err
		}
		if r.attempts() > len(as) {
			a := r.follow.attempts[len(as)]
			r.differ(a.ReceivedAt, fmt.Sprintf("attempt %d followed the delivery", a.N), "no attempt after a 200")
		}
	}
	r.checkSchedule(as, delivered)
	if delivered && len(as) != n+1 {
		r.differ(as[len(as)-1].ReceivedAt, fmt.Sprintf("attempt %d was the first to succeed", len(as)),
			fmt.Sprintf("attempt %d, the first of the next cycle", n+1))
	}
	if r.follow.state != driver.StateActive {
		r.differ(time.Now(), "the hook is "+r.follow.state+" after one failed cycle", "Active")
	}
	if len(as) == 0 {
		return "", nil
	}
	var at, delays []string
	for i, a := range as {
		at = append(at, fmt.Sprintf("+%.3fs", a.ReceivedAt.Sub(as[0].ReceivedAt).Seconds()))
		if i > 0 && a.Cycle == as[i-1].Cycle {
			delays = append(delays, human(a.ReceivedAt.Sub(as[i-1].ReceivedAt)))
		}
	}
	return fmt.Sprintf("%d failed attempts at %s, delays %s, then a new cycle (new EventId) delivered at %s",
		len(as)-1, strings.Join(at[:len(at)-1], ", "), strings.Join(delays, ", "), at[len(at)-1]), nil
}
