package framework

import (
	"context"
	"fmt"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/receiver/api"
	"github.com/hookcheck/hookcheck/receiver/client"
)

// Channel is one receiver channel of a scenario: a webhook target with its
// own secret, fault script and call journal, whose methods fail the spec
// when the receiver cannot answer.
type Channel struct {
	ChannelInfo

	// env and ctx are the scenario's: the receiver and the profile, and
	// the spec's context.
	env *Env
	ctx context.Context
}

// Script replaces the channel's fault script.
func (ch *Channel) Script(rules ...api.Rule) {
	GinkgoHelper()
	_, err := ch.env.RV.SetScript(ch.ctx, ch.ID, rules)
	ch.must(err, "set the fault script of channel %s", ch.ID)
}

// Last returns the highest call seq the channel has assigned.
func (ch *Channel) Last() uint64 {
	GinkgoHelper()
	list, err := ch.env.RV.Calls(ch.ctx, ch.ID, client.CallQuery{Limit: 1})
	ch.must(err, "read calls of channel %s", ch.ID)
	return list.Last
}

// All returns every call the channel recorded.
func (ch *Channel) All() []api.Call {
	GinkgoHelper()
	list, err := ch.env.RV.Calls(ch.ctx, ch.ID, client.CallQuery{})
	ch.must(err, "read calls of channel %s", ch.ID)
	return list.Calls
}

// Events returns the calls for event after seq, as they are now.
func (ch *Channel) Events(event string, after uint64) []api.Call {
	GinkgoHelper()
	list, err := ch.env.RV.Calls(ch.ctx, ch.ID, client.CallQuery{After: after, Event: event})
	ch.must(err, "read calls of channel %s", ch.ID)
	return list.Calls
}

// Await waits up to within for at least n calls for event ("" = any)
// after seq, and fails the spec when fewer arrive.
func (ch *Channel) Await(event string, after uint64, n int, within time.Duration) []api.Call {
	GinkgoHelper()
	list, err := ch.env.RV.Calls(ch.ctx, ch.ID, client.CallQuery{After: after, Min: n, Wait: within, Event: event})
	ch.must(err, "wait for calls on channel %s", ch.ID)
	what := "calls"
	if event != "" {
		what = fmt.Sprintf("%q calls", event)
	}
	Expect(len(list.Calls)).To(BeNumerically(">=", n),
		"expected at least %d %s after seq %d on channel %s within %s, got %d%s", n, what, after, ch.ID, within, len(list.Calls), DescribeCalls(list.Calls))
	return list.Calls
}

// AwaitDelivery waits for n calls for event after seq within the
// profile's delivery wait.
func (ch *Channel) AwaitDelivery(event string, after uint64, n int) []api.Call {
	GinkgoHelper()
	return ch.Await(event, after, n, ch.env.Profile.DeliveryWait)
}

// Quiet watches the channel for the profile's quiet period and fails the
// spec if more than max calls for event ("" = any) arrive after seq.
func (ch *Channel) Quiet(event string, after uint64, max int, why string) []api.Call {
	GinkgoHelper()
	p := ch.env.Profile
	list, err := ch.env.RV.Calls(ch.ctx, ch.ID, client.CallQuery{After: after, Min: max + 1, Wait: p.QuietPeriod, Event: event})
	ch.must(err, "watch channel %s", ch.ID)
	Expect(len(list.Calls)).To(BeNumerically("<=", max), "%s: expected at most %d calls for %q after seq %d, got %d%s",
		why, max, event, after, len(list.Calls), DescribeCalls(list.Calls))
	return list.Calls
}

// Watch fails the spec when a call for event arrives after seq within the
// quiet period plus extra (a retry that could still be scheduled).
func (ch *Channel) Watch(event string, after uint64, extra time.Duration, why string) {
	GinkgoHelper()
	p := ch.env.Profile
	wait := p.QuietPeriod + extra + p.Tolerance(extra)
	list, err := ch.env.RV.Calls(ch.ctx, ch.ID, callQuery(after, 1, wait, event))
	ch.must(err, "wait for calls on channel %s", ch.ID)
	Expect(list.Calls).To(BeEmpty(), "%s%s", why, DescribeCalls(list.Calls))
}

// WatchAfter is Watch for a change answered at answered (a stop, a
// delete): the spec drops pending retries (§9 #7), but an attempt already
// under way when the answer arrived cannot be called back and may still
// land. So a call counts against the target only when the receiver got it
// later than answered plus the profile's tolerance; the receiver's arrival
// times and answered come from the same clock, and the order in which a
// loaded machine happens to report the events does not matter.
func (ch *Channel) WatchAfter(event string, after uint64, answered time.Time, extra time.Duration, why string) {
	GinkgoHelper()
	p := ch.env.Profile
	wait := p.QuietPeriod + extra + p.Tolerance(extra)
	deadline := answered.Add(p.Tolerance(0))
	end := time.Now().Add(wait)
	var late []api.Call
	for seen := 0; len(late) == 0; {
		remaining := time.Until(end)
		if remaining <= 0 {
			break
		}
		list, err := ch.env.RV.Calls(ch.ctx, ch.ID, callQuery(after, seen+1, remaining, event))
		ch.must(err, "wait for calls on channel %s", ch.ID)
		for _, c := range list.Calls {
			if c.ReceivedAt.After(deadline) {
				late = append(late, c)
			}
		}
		if len(list.Calls) <= seen {
			break
		}
		seen = len(list.Calls)
	}
	Expect(late).To(BeEmpty(), "%s (answered at %s, tolerance %s)%s", why, answered.Format("15:04:05.000"), p.Tolerance(0), DescribeCalls(late))
}

// must fails the spec when a receiver call failed, unless the run's
// context ended first: a wait cut short by Ctrl-C, or by the target
// ceasing to answer, ends the spec as interrupted or not run, since the
// wait says nothing about the target.
func (ch *Channel) must(err error, what string, args ...any) {
	GinkgoHelper()
	if err != nil {
		cutShortIfRunEnded()
	}
	Expect(err).NotTo(HaveOccurred(), append([]any{what}, args...)...)
}

// DescribeCalls lists calls on lines for failure messages.
func DescribeCalls(calls []api.Call) string {
	if len(calls) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString(":")
	for _, c := range calls {
		retry := "-"
		if c.Retry != nil {
			retry = fmt.Sprint(*c.Retry)
		}
		fmt.Fprintf(&b, "\n  #%d %s %s event=%s id=%s retry=%s answered=%d%s", c.Seq, c.ReceivedAt.Format("15:04:05.000"),
			c.Method, c.Event, c.EventID, retry, c.Response.Status, prefixed(" fault=", c.Response.Fault))
	}
	return b.String()
}

// prefixed returns prefix+s, or "" when s is empty.
func prefixed(prefix, s string) string {
	if s == "" {
		return ""
	}
	return prefix + s
}

// callQuery builds a receiver calls query.
func callQuery(after uint64, min int, wait time.Duration, event string) client.CallQuery {
	return client.CallQuery{After: after, Min: min, Wait: wait, Event: event}
}
