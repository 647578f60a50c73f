package receiver

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hookcheck/hookcheck/receiver/api"
	"github.com/hookcheck/hookcheck/receiver/journal"
	"github.com/hookcheck/hookcheck/receiver/store"
)

// persister keeps a receiver's channels, calls and captured e-mails in its
// data directory (Config.DataDir), in the embedded database of package
// store. The journal in memory stays the truth the control API reads; the
// database follows it in group commits written by one goroutine (run), off
// the request path: a call only marks its channel dirty (markDirty), and
// the writer reads what changed from the journals themselves, copying each
// call out under its journal's lock as readers do. So the request path
// does no I/O and copies nothing, and a writer that falls behind skips
// the calls evicted before it got to them instead of holding memory.
//
// Each commit takes whatever changed while the previous one was written,
// so commits grow with the load instead of queueing: a call answered more
// than durabilityWindow before a kill -9 is on disk (docs). With --sync a
// call waits, before it is answered, until a commit holds it.
//
// Sequence numbers are leased: a channel row on disk names the highest seq
// the running receiver may hand out (its next seq plus leaseAhead), and a
// call beyond the lease waits for the writer to extend it. After a crash,
// numbering goes on past the lease, so no seq an answered call got is used
// twice.
type persister struct {
	st   *store.Store
	cs   *channels
	sync bool
	log  *slog.Logger

	mu    sync.Mutex
	dirty []*channel // channels changed since the writer last looked
	spare []*channel

	mailLog *journal.Log[api.Mail] // nil without an SMTP sink

	wake chan struct{} // capacity 1: a pending wake-up
	// hurry (capacity 1) cuts the gathering of a commit short: someone
	// waits for it (--sync, a lease, a control-API change).
	hurry chan struct{}
	stop  chan struct{}
	done  chan struct{} // closed when run returns

	// commits is closed and replaced after every commit attempt, waking
	// the callers of await.
	cmu     sync.Mutex
	commits chan struct{}

	// beforeCommit, when set (by tests), runs last in every write
	// transaction; its error fails the commit as a failing disk would.
	beforeCommit atomic.Pointer[func() error]

	// The writer's own state, touched by run only.
	states       map[*channel]*chanState
	mailsWritten uint64 // mails below this seq are on disk (or gone)
	arena        []byte // encoded rows of the batch being written
	respJSON     map[*api.Response][]byte
	puts         []pendingPut
	pend         []pendingChannel
	backoff      time.Duration

	// What healthz reports; failing is read on the request path.
	failing atomic.Bool
	smu     sync.Mutex
	status  api.Storage
}

// chanState is what the writer knows of one channel's rows on disk.
type chanState struct {
	written uint64    // every call of the channel numbered below it is on disk or was let go of
	rev     uint64    // the journal revision (updates) written
	rows    []diskRow // the channel's call rows on disk, seq order, from head
	head    int
}

// diskRow is one call row on disk: its seq and record id.
type diskRow struct{ seq, id uint64 }

// pendingPut is one call row encoded into the arena, to be put.
type pendingPut struct {
	st       *chanState
	seq, id  uint64 // id 0: a new row
	from, to int    // the row in the arena
}

// pendingChannel is what a commit changes in a chanState once it holds.
type pendingChannel struct {
	ch      *channel
	st      *chanState
	popped  int // rows deleted from the front
	written uint64
	rev     uint64
	lease   uint64
	gen     uint64
	removed bool
}

// Bounds of the writer.
const (
	// leaseAhead is how many seqs past a channel's last call on disk the
	// lease covers: at most that many of its calls wait for the disk.
	leaseAhead = 4096
	// maxBatchCalls and maxBatchBytes bound one commit; the writer goes
	// on at once with the rest.
	maxBatchCalls = 8192
	maxBatchBytes = 16 << 20
	// encodeChunk is how many calls the writer copies out of a journal
	// per hold of its lock.
	encodeChunk = 64
	// maxBackoff bounds the pause after a failed commit.
	maxBackoff = time.Second
	// gather is how long the writer lets changes gather before a commit
	// nobody waits for.
	gather = 10 * time.Millisecond
)

// DurabilityWindow is the stated bound of a data directory without
// --sync: a call answered this long before the receiver is killed (kill
// -9) is on disk. The kill test of cmd/hookcheck checks it under load.
const DurabilityWindow = 500 * time.Millisecond

func newPersister(st *store.Store, cs *channels, cfg Config) *persister {
	p := &persister{
		st: st, cs: cs, sync: cfg.Sync, log: cfg.Logger,
		wake: make(chan struct{}, 1), hurry: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{}),
		commits: make(chan struct{}),
		states:  map[*channel]*chanState{}, respJSON: map[*api.Response][]byte{},
	}
	p.status = api.Storage{Dir: st.Dir(), File: st.Path(), SchemaVersion: store.SchemaVersion, Sync: cfg.Sync}
	return p
}

// start runs the writer (and, with an SMTP sink, the goroutine that wakes
// it for new mails).
func (p *persister) start() {
	go p.run()
	if p.mailLog != nil {
		go func() {
			for {
				select {
				case <-p.mailLog.Changed():
					p.wakeUp()
				case <-p.stop:
					return
				}
			}
		}()
	}
}

// markDirty notes that ch changed; it is all a call costs on the request
// path (one atomic swap once the channel is dirty).
func (p *persister) markDirty(ch *channel) {
	if ch.dirty.Swap(true) {
		return
	}
	p.mu.Lock()
	p.dirty = append(p.dirty, ch)
	p.mu.Unlock()
	p.wakeUp()
}

// wakeUp makes the writer look soon.
func (p *persister) wakeUp() {
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

// recorded is called once a call numbered seq is in ch's journal: the
// writer will pick it up. A call beyond the channel's lease, or any call
// with --sync, waits until the writer holds it on disk (or fails to).
func (p *persister) recorded(ctx context.Context, ch *channel, seq uint64) {
	p.markDirty(ch)
	if p.sync {
		p.await(ctx, func() bool { return ch.durable.Load() > seq })
	} else if seq > ch.lease.Load() {
		p.await(ctx, func() bool { return ch.lease.Load() >= seq })
	}
}

// saved makes sure a change to ch made through the control API (created,
// script replaced, calls cleared, deleted) is on disk before the caller
// answers, unless writing fails.
func (p *persister) saved(ctx context.Context, ch *channel) {
	gen := ch.gen.Add(1)
	p.markDirty(ch)
	p.await(ctx, func() bool { return ch.savedGen.Load() >= gen })
}

// await blocks until done reports true, a commit fails, writing is
// failing already, or ctx ends. It makes the writer commit at once.
func (p *persister) await(ctx context.Context, done func() bool) {
	select {
	case p.hurry <- struct{}{}:
	default:
	}
	for {
		p.cmu.Lock()
		c := p.commits
		p.cmu.Unlock()
		if done() || p.failing.Load() {
			return
		}
		select {
		case <-c:
		case <-ctx.Done():
			return
		case <-p.done:
			return
		}
	}
}

// committed wakes the callers of await after a commit attempt.
func (p *persister) committed() {
	p.cmu.Lock()
	close(p.commits)
	p.commits = make(chan struct{})
	p.cmu.Unlock()
}

// run is the writer: a group commit each time something changed, until
// close.
func (p *persister) run() {
	defer close(p.done)
	more := false
	for {
		select {
		case <-p.wake:
		case <-p.hurry:
		case <-p.stop:
			p.final()
			return
		}
		// Gather: a commit every gather at most, unless someone waits for
		// one. Each commit syncs the file, and a goroutine in that sync
		// holds its thread (on one core, the whole process) until the
		// runtime hands its work to another: fewer, larger commits keep
		// the request path running.
		g := time.NewTimer(gather)
		if more {
			g.Reset(0) // a full batch: the rest at once
		}
		select {
		case <-g.C:
		case <-p.hurry:
			g.Stop()
		case <-p.stop:
			g.Stop()
			p.final()
			return
		}
		var err error
		more, err = p.batch(false)
		if err != nil {
			p.backoff = min(max(2*p.backoff, 10*time.Millisecond), maxBackoff)
			t := time.NewTimer(p.backoff)
			select {
			case <-t.C:
			case <-p.stop:
				t.Stop()
				p.final()
				return
			}
			p.wakeUp() // try again: the calls are still in memory
			continue
		}
		p.backoff = 0
		if more {
			p.wakeUp()
		}

	}
}

// final writes everything still held, with each channel's lease set to
// exactly its next seq (no call comes any more), before the database
// closes.
func (p *persister) final() {
	for _, ch := range p.cs.list() {
		p.markDirty(ch)
	}
	for range 1000 {
		more, err := p.batch(true)
		if err != nil || !more {
			return
		}
	}
}

// close stops the writer after a last commit and closes the database.
func (p *persister) close() error {
	close(p.stop)
	<-p.done
	return p.st.Close()
}

// batch writes one group commit of what changed, and reports whether
// there is more to write at once (the batch was full).
func (p *persister) batch(final bool) (more bool, err error) {
	p.mu.Lock()
	dirty := p.dirty
	p.dirty = p.spare[:0]
	p.mu.Unlock()
	defer func() {
		clear(dirty)
		p.spare = dirty[:0]
	}()
	for _, ch := range dirty {
		ch.dirty.Store(false) // from here on a change marks it again
	}
	p.arena, p.puts, p.pend = p.arena[:0], p.puts[:0], p.pend[:0]
	clear(p.respJSON)
	start := time.Now()
	var mailsWritten uint64
	var full []*channel
	err = p.st.Update(func(tx *store.Tx) error {
		for _, ch := range dirty {
			done, err := p.writeChannel(tx, ch, final)
			if err != nil {
				return err
			}
			if !done {
				full = append(full, ch)
			}
		}
		for i := range p.puts {
			put := &p.puts[i]
			if put.id == 0 {
				put.id = tx.NextID()
			}
			if err := tx.PutCall(put.id, p.arena[put.from:put.to]); err != nil {
				return err
			}
		}
		var err error
		if mailsWritten, err = p.writeMails(tx); err != nil {
			return err
		}
		if err := tx.SetEvicted(p.cs.bound.Evicted()); err != nil {
			return err
		}
		if hook := p.beforeCommit.Load(); hook != nil {
			return (*hook)()
		}
		return nil
	})
	took := time.Since(start)
	if err != nil {
		// Nothing of the batch is on disk: every channel of it is written
		// again next time, from the journals.
		for _, ch := range dirty {
			p.markDirty(ch)
		}
		p.failed(err)
		p.committed()
		return false, err
	}
	p.apply(mailsWritten)
	p.succeeded(took)
	p.committed()
	for _, ch := range full {
		p.markDirty(ch)
	}
	return len(full) > 0, nil
}

// writeChannel puts what changed in ch into tx: its row, its new and
// updated calls (into p.puts) and the deletion of the calls it let go of.
// It reports false when the batch filled up before every new call of ch
// was taken.
func (p *persister) writeChannel(tx *store.Tx, ch *channel, final bool) (bool, error) {
	st := p.states[ch]
	if st == nil {
		st = &chanState{written: 1}
		p.states[ch] = st
	}
	if ch.log.Forgotten() || p.cs.get(ch.id) != ch {
		// Deleted: its rows go, and its channel row unless a new channel
		// took the id meanwhile (that one writes its own row).
		gen := ch.gen.Load()
		for _, r := range st.rows[st.head:] {
			if err := tx.DeleteCall(r.id); err != nil {
				return true, err
			}
		}
		if p.cs.get(ch.id) == nil {
			if err := tx.DeleteChannel(ch.id); err != nil {
				return true, err
			}
		}
		p.pend = append(p.pend, pendingChannel{ch: ch, st: st, removed: true, gen: gen})
		return true, nil
	}
	gen := ch.gen.Load()
	var script []byte
	var left []*int
	snap := ch.log.Snapshot(func() { script, left = ch.savedScript() })
	pc := pendingChannel{ch: ch, st: st, gen: gen, written: st.written, rev: snap.Rev}

	// Calls let go of (evicted, cleared): their rows go.
	for i := st.head; i < len(st.rows) && st.rows[i].seq < snap.First; i++ {
		if err := tx.DeleteCall(st.rows[i].id); err != nil {
			return true, err
		}
		pc.popped++
	}
	// Calls whose recorded answer changed since written: rewritten.
	if snap.Rev != st.rev {
		seqs, _, complete := ch.log.UpdatedSince(st.rev)
		if !complete {
			seqs = seqs[:0]
			for _, r := range st.rows[st.head+pc.popped:] {
				seqs = append(seqs, r.seq)
			}
		}
		for _, seq := range seqs {
			if seq < snap.First || seq >= st.written {
				continue // gone, or not written yet: written whole below
			}
			if id, ok := st.idOf(seq); ok {
				p.encode(ch, st, journal.Query[storedCall]{After: seq - 1, Limit: 1, Match: func(c *storedCall) bool { return c.seq == seq }}, id)
			}
		}
	}
	// New calls, up to the snapshot: the uses left written with them
	// count exactly these calls.
	complete := true
	from := max(st.written, snap.First)
	for from < snap.Next {
		if len(p.puts) >= maxBatchCalls || len(p.arena) >= maxBatchBytes {
			complete = false
			break
		}
		limit := snap.Next
		n := p.encode(ch, st, journal.Query[storedCall]{After: from - 1, Limit: encodeChunk, Match: func(c *storedCall) bool { return c.seq < limit }}, 0)
		if n == 0 {
			from = snap.Next // the rest was let go of meanwhile
			break
		}
		from = p.puts[len(p.puts)-1].seq + 1
	}
	pc.written = from
	// The lease runs leaseAhead past what is on disk: a writer that falls
	// behind holds the request path back (recorded waits) instead of
	// letting the calls not yet on disk pile up.
	lease := from - 1 + leaseAhead
	if final && complete {
		lease = snap.Next - 1
	}
	pc.lease = lease
	// The uses left count every call up to the snapshot: those written
	// and, when the batch filled up, the few written next batch.
	row := store.ChannelRow{ID: ch.id, Secret: ch.secret, TLS: ch.tls, Script: script, UsesLeft: left, Next: snap.Next, Lease: lease, Evicted: snap.Evicted}
	if err := tx.PutChannel(&row); err != nil {
		return true, err
	}
	p.pend = append(p.pend, pc)
	return complete, nil
}

// encode copies the calls q selects out of ch's journal into the arena as
// call rows (under the journal's lock: the journal may reuse a call's
// buffer once it lets go of it) and queues their puts, under id when not
// 0. It returns how many it took.
func (p *persister) encode(ch *channel, st *chanState, q journal.Query[storedCall], id uint64) int {
	n := 0
	journal.FindMap(context.Background(), ch.log, q, func(c *storedCall) struct{} {
		from := len(p.arena)
		p.arena = store.AppendCall(p.arena, &store.CallRow{
			Channel: ch.id, Seq: c.seq, ReceivedAt: c.receivedAt, BodySize: c.bodySize, BodyAt: c.bodyAt,
			Signature: uint8(c.signature), Truncated: c.truncated, TLS: c.tls,
			Response: p.responseJSON(ch.responses.get(c.response)), Packed: c.buf,
		})
		p.puts = append(p.puts, pendingPut{st: st, seq: c.seq, id: id, from: from, to: len(p.arena)})
		n++
		return struct{}{}
	})
	return n
}

// responseJSON returns the JSON of an answer, once per answer row and
// batch (most calls share a few).
func (p *persister) responseJSON(r *api.Response) []byte {
	if r == nil {
		return nil
	}
	if b, ok := p.respJSON[r]; ok {
		return b
	}
	b, err := json.Marshal(r)
	if err != nil {
		b = nil
	}
	p.respJSON[r] = b
	return b
}

// writeMails puts the mails captured since the last commit and deletes
// those the sink let go of; it returns the seq below which every mail is
// then on disk.
func (p *persister) writeMails(tx *store.Tx) (uint64, error) {
	if p.mailLog == nil {
		return 0, nil
	}
	snap := p.mailLog.Snapshot(nil)
	if err := tx.DeleteMailsBefore(snap.First); err != nil {
		return 0, err
	}
	written := max(p.mailsWritten, snap.First)
	if written >= snap.Next {
		return written, nil
	}
	for _, m := range p.mailLog.Find(context.Background(), journal.Query[api.Mail]{After: written - 1}) {
		if err := tx.PutMail(&m); err != nil {
			return 0, err
		}
		written = m.Seq + 1
	}
	return written, nil
}

// apply records in the writer's state what a commit just put on disk.
func (p *persister) apply(mailsWritten uint64) {
	for i := range p.puts {
		put := &p.puts[i]
		if put.st != nil && put.seq >= put.st.written {
			put.st.rows = append(put.st.rows, diskRow{seq: put.seq, id: put.id})
		}
	}
	rows := 0
	for i := range p.pend {
		pc := &p.pend[i]
		if pc.removed {
			delete(p.states, pc.ch)
			pc.ch.savedGen.Store(pc.gen)
			continue
		}
		st := pc.st
		st.head += pc.popped
		if st.head > len(st.rows)/2 && st.head > 1024 {
			st.rows = append(st.rows[:0], st.rows[st.head:]...)
			st.head = 0
		}
		st.written, st.rev = pc.written, pc.rev
		pc.ch.durable.Store(pc.written)
		pc.ch.lease.Store(pc.lease)
		pc.ch.savedGen.Store(pc.gen)
	}
	for _, st := range p.states {
		rows += len(st.rows) - st.head
	}
	if p.mailLog != nil {
		p.mailsWritten = mailsWritten
	}
	p.smu.Lock()
	p.status.Calls = rows
	if p.mailLog != nil {
		held, _, _ := p.mailLog.Stats()
		p.status.Mails = held
	}
	p.smu.Unlock()
}

// idOf returns the record id of the channel's row for seq.
func (st *chanState) idOf(seq uint64) (uint64, bool) {
	rows := st.rows[st.head:]
	lo, hi := 0, len(rows)
	for lo < hi {
		m := (lo + hi) / 2
		if rows[m].seq < seq {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo < len(rows) && rows[lo].seq == seq {
		return rows[lo].id, true
	}
	return 0, false
}

// succeeded and failed keep the status healthz reports.
func (p *persister) succeeded(took time.Duration) {
	now := time.Now().UTC()
	p.smu.Lock()
	defer p.smu.Unlock()
	p.status.Commits++
	p.status.LastCommit = &now
	p.status.LastCommitMs = float64(took.Microseconds()) / 1000
	if p.status.Failing {
		p.log.Warn("receiver: writing to the data directory works again", "dir", p.status.Dir)
	}
	p.status.Failing, p.status.FailingSince = false, nil
	p.failing.Store(false)
}

func (p *persister) failed(err error) {
	now := time.Now().UTC()
	p.smu.Lock()
	defer p.smu.Unlock()
	p.status.Failures++
	p.status.Error = err.Error()
	if !p.status.Failing {
		p.status.Failing, p.status.FailingSince = true, &now
		p.log.Error("receiver: writing to the data directory failed; calls are answered and kept in memory only", "dir", p.status.Dir, "err", err)
	}
	p.failing.Store(true)
}

// storage returns the status healthz reports and the warnings it implies.
func (p *persister) storage() (api.Storage, []string) {
	p.smu.Lock()
	s := p.status
	p.smu.Unlock()
	s.Bytes = p.st.Size()
	var warnings []string
	if s.Failing {
		warnings = append(warnings, fmt.Sprintf("storage: writing to %s has failed since %s (%s); calls are still answered and recorded, in memory only, until writing works again", s.File, s.FailingSince.Format(time.RFC3339), s.Error))
	}
	return s, warnings
}
