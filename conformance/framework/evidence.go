package framework

import (
	"context"
	"fmt"

	"github.com/hookcheck/hookcheck/receiver/api"
	"github.com/hookcheck/hookcheck/receiver/client"
	"github.com/hookcheck/hookcheck/reports"
)

// Evidence gathers the evidence of a failure: what was expected and what
// happened, in words, and every call the sandbox's channels recorded. A
// channel whose calls cannot be read is left out and its error returned.
func (b *Sandbox) Evidence(ctx context.Context, expected, actual string) (reports.Evidence, []error) {
	ev := reports.Evidence{Expected: expected, Actual: actual}
	var errs []error
	for _, ch := range b.Channels() {
		list, err := b.Env.RV.Calls(ctx, ch.ID, client.CallQuery{})
		if err != nil {
			errs = append(errs, fmt.Errorf("read calls of channel %s: %w", ch.ID, err))
			continue
		}
		ev.Calls = append(ev.Calls, CallPoints(list.Calls)...)
	}
	return ev, errs
}

// CallPoints reduces receiver calls to report call points.
func CallPoints(calls []api.Call) []reports.CallPoint {
	out := make([]reports.CallPoint, 0, len(calls))
	for _, c := range calls {
		cp := reports.CallPoint{Seq: int(c.Seq), At: c.ReceivedAt, EventID: c.EventID, Status: c.Response.Status, Fault: c.Response.Fault}
		if c.Retry != nil {
			cp.Retry = *c.Retry
		}
		out = append(out, cp)
	}
	return out
}
