package receiver

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
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

	// tls is the TLS kind the channel's tlsUrl presents (api.TLSKinds),
	// "" for the HTTPS listener's own certificate; a plain value, kept
	// with the channel's other settings.
	tls string
}

var channelID = regexp.MustCompile(`^[A-Za-z0-9._~-]{1,128}$`)

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
	if req.TLS != "" && !api.IsTLSKind(req.TLS) {
		return nil, nil, fmt.Errorf("tls %q is not a TLS kind", req.TLS)
	}
	ch := cs.newChannel(id, req.Secret)
	ch.tls = req.TLS
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

// scriptState returns the script as it runs and each rule's uses left,
// read together.
func (ch *channel) scriptState() ([]api.Rule, []*int) {
	ch.mu.Lock()
	defer ch.mu.Unlock()
	rules := ch.rules
	if rules == nil {
		rules = []api.Rule{}
	}
	return rules, ch.script.Load().UsesLeft()
}

// currentRules returns the script as it runs.
func (ch *channel) currentRules() []api.Rule {
	ch.mu.Lock()
	defer ch.mu.Unlock()
	return ch.rules
}
