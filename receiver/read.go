package receiver

import (
	"bytes"
	"context"

	"github.com/hookcheck/hookcheck/receiver/api"
	"github.com/hookcheck/hookcheck/receiver/journal"
)

// find returns the calls q selects. Under the journal's lock it only
// copies each call's buffer (its memory may be reused once the lock is
// let go) and takes its answer, which is never modified; the api.Calls
// are built after, so a long read keeps appends to the channel waiting
// for as short a time as it can.
func (ch *channel) find(ctx context.Context, q journal.Query[storedCall]) []api.Call {
	held := journal.FindMap(ctx, ch.log, q, ch.copyOut)
	out := make([]api.Call, len(held))
	for i := range held {
		out[i] = held[i].call.call(ch.id, held[i].answer)
	}
	return out
}

// heldCall is a storedCall copied out of the journal: its buffer is its
// own, and answer is the shared answer it points at.
type heldCall struct {
	call   storedCall
	answer *api.Response
}

// copyOut copies c out of the journal; FindMap calls it under the lock.
func (ch *channel) copyOut(c *storedCall) heldCall {
	own := *c
	own.buf = bytes.Clone(c.buf)
	return heldCall{call: own, answer: ch.responses.get(c.response)}
}

// callAt returns the call numbered seq, or false when the channel does not
// hold it (not received yet, or evicted).
func (ch *channel) callAt(ctx context.Context, seq uint64) (api.Call, bool) {
	if seq == 0 {
		return api.Call{}, false
	}
	calls := ch.find(ctx, journal.Query[storedCall]{After: seq - 1, Limit: 1})
	if len(calls) == 0 || calls[0].Seq != seq {
		return api.Call{}, false
	}
	return calls[0], true
}
