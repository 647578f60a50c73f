package receiver

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"regexp"
	"sort"
	"sync"
	"sync/atomic"

	"github.com/hookcheck/hookcheck/receiver/api"
	"github.com/hookcheck/hookcheck/receiver/fault"
	"github.com/hookcheck/hookcheck/receiver/journal"
)

// channel is one /hooks/{id} endpoint: its secret, fault script and journal.
// Calls are decided inside the journal's append, so a call's ordinal for
// the script (nth) is always its journal seq.
type channel struct {
	id        string
	secret    string
	macs      sync.Pool // keyed HMAC-SHA256 states of secret, reused across calls
	log       *journal.Log[storedCall]
	script    atomic.Pointer[fault.Script]
	responses responses // used under log's lock only

	mu    sync.Mutex
	rules []api.Rule // the script as it runs, for reading back
}

var channelID = regexp.MustCompile(`^[A-Za-z0-9._~-]{1,128}$`)

// macState is a keyed HMAC-SHA256 of a channel's secret with room for its
// sum, so checking a signature allocates nothing.
type macState struct {
	h   hash.Hash
	sum [sha256.Size]byte
}

// mac returns a keyed HMAC-SHA256 of the channel's secret, reset and
// ready for a body, or nil when the channel has no secret. Keying one
// costs more than hashing a small body, so they are reused (releaseMAC).
func (ch *channel) mac() *macState {
	if ch.secret == "" {
		return nil
	}
	if m, ok := ch.macs.Get().(*macState); ok {
		m.h.Reset()
		return m
	}
	return &macState{h: newMAC(ch.secret)}
}

// releaseMAC hands a MAC from mac back for reuse.
func (ch *channel) releaseMAC(m *macState) {
	if m != nil {
		ch.macs.Put(m)
	}
}

// hash returns the HMAC to write the body into, or nil without a secret.
func (m *macState) hash() hash.Hash {
	if m == nil {
		return nil
	}
	return m.h
}

// verdict judges the signature header value against the body written
// into the MAC; without a secret it is unchecked.
func (m *macState) verdict(present bool, header string) string {
	if m == nil {
		return api.SignatureUnchecked
	}
	return verdict(present, header, m.h, m.sum[:0])
}

// channels is the set of channels of one receiver.
type channels struct {
	mu    sync.RWMutex
	m     map[string]*channel
	bound *journal.Bound
	bufs  *callBuffers // the buffers of every channel's calls
	lim   fault.Limits
}

func newChannels(maxCalls int, lim fault.Limits) *channels {
	return &channels{m: map[string]*channel{}, bound: journal.NewBound(maxCalls), bufs: &callBuffers{}, lim: lim}
}

// get returns the channel or nil.
func (cs *channels) get(id string) *channel {
	cs.mu.RLock()
	defer cs.mu.RUnlock()
	return cs.m[id]
}

// getOrCreate returns the channel, creating an open one (no secret, empty
// script) for an unknown id.
func (cs *channels) getOrCreate(id string) (*channel, error) {
	if ch := cs.get(id); ch != nil {
		return ch, nil
	}
	if !channelID.MatchString(id) {
		return nil, fmt.Errorf("channel id %q: use 1-128 letters, digits, '.', '_', '~' or '-'", id)
	}
	cs.mu.Lock()
	defer cs.mu.Unlock()
	if ch := cs.m[id]; ch != nil {
		return ch, nil
	}
	ch := cs.newChannel(id, "")
	cs.m[id] = ch
	return ch, nil
}

func (cs *channels) newChannel(id, secret string) *channel {
	empty, _, _, _ := fault.Compile(nil, cs.lim)
	ch := &channel{id: id, secret: secret}
	ch.log = journal.New(cs.bound, journal.Release(func(c *storedCall) {
		ch.responses.release(c.response)
		cs.bufs.put(c.buf)
	}))
	ch.script.Store(empty)
	return ch
}

// errExists reports a requested channel id that is taken.
var errExists = fmt.Errorf("channel exists")

// create makes a channel from a request; it returns the clamp warnings of
// the script.
func (cs *channels) create(req api.ChannelRequest) (*channel, []string, error) {
	id := req.ID
	if id == "" {
		var b [8]byte
		_, _ = rand.Read(b[:])
		id = hex.EncodeToString(b[:])
	} else if !channelID.MatchString(id) {
		return nil, nil, fmt.Errorf("channel id %q: use 1-128 letters, digits, '.', '_', '~' or '-'", id)
	}
	ch := cs.newChannel(id, req.Secret)
	warnings, err := ch.setScript(req.Script, cs.lim)
	if err != nil {
		return nil, nil, err
	}
	cs.mu.Lock()
	defer cs.mu.Unlock()
	if _, taken := cs.m[id]; taken {
		return nil, nil, fmt.Errorf("channel %q: %w", id, errExists)
	}
	cs.m[id] = ch
	return ch, warnings, nil
}

// remove forgets a channel and its calls; it reports whether it existed.
func (cs *channels) remove(id string) bool {
	cs.mu.Lock()
	ch := cs.m[id]
	delete(cs.m, id)
	cs.mu.Unlock()
	if ch == nil {
		return false
	}
	journal.Forget(cs.bound, ch.log)
	return true
}

// close forgets every channel and its calls and releases the call memory.
// The caller makes sure no request is still being served.
func (cs *channels) close() error {
	cs.mu.Lock()
	all := cs.m
	cs.m = map[string]*channel{}
	cs.mu.Unlock()
	for _, ch := range all {
		journal.Forget(cs.bound, ch.log)
	}
	return cs.bufs.release()
}

// list returns the channels ordered by id.
func (cs *channels) list() []*channel {
	cs.mu.RLock()
	out := make([]*channel, 0, len(cs.m))
	for _, ch := range cs.m {
		out = append(out, ch)
	}
	cs.mu.RUnlock()
	sort.Slice(out, func(i, j int) bool { return out[i].id < out[j].id })
	return out
}

// setScript compiles and installs rules; on error the old script stays.
func (ch *channel) setScript(rules []api.Rule, lim fault.Limits) ([]string, error) {
	script, effective, warnings, err := fault.Compile(rules, lim)
	if err != nil {
		return nil, fmt.Errorf("script: %w", err)
	}
	ch.mu.Lock()
	ch.script.Store(script)
	ch.rules = effective
	ch.mu.Unlock()
	return warnings, nil
}

// currentRules returns the script as it runs.
func (ch *channel) currentRules() []api.Rule {
	ch.mu.Lock()
	defer ch.mu.Unlock()
	return ch.rules
}

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
