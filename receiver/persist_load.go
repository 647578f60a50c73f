package receiver

import (
	"encoding/json"
	"fmt"

	"github.com/hookcheck/hookcheck/receiver/api"
	"github.com/hookcheck/hookcheck/receiver/journal"
	"github.com/hookcheck/hookcheck/receiver/store"
)

// openStorage opens the data directory, loads what it holds into the
// receiver's channels (and, with an SMTP sink, the mails into a journal
// for it), and starts the writer. A database it cannot load as it is
// (newer schema, damage, a script that no longer compiles) is refused
// with the file and the reason, and left as it is.
func (rv *Receiver) openStorage() error {
	st, err := store.Open(rv.cfg.DataDir, store.Options{MinFree: rv.cfg.DataMinFree})
	if err != nil {
		return fmt.Errorf("data dir: %w", err)
	}
	p := newPersister(st, rv.channels, rv.cfg)
	rv.channels.persist = p
	if err := p.load(rv.cfg); err != nil {
		rv.channels.persist = nil
		_ = st.Close()
		return fmt.Errorf("data dir: %w", err)
	}
	rv.persist = p
	p.start()
	return nil
}

// load fills the channels from the database, then writes a first commit:
// the rows it could not keep go, and every channel gets a fresh lease.
// Nothing is written before everything was read.
func (p *persister) load(cfg Config) error {
	rows, err := p.st.Channels()
	if err != nil {
		return err
	}
	byID := map[string]*channel{}
	info := map[*channel]*store.ChannelRow{}
	for i := range rows {
		row := &rows[i]
		if !channelID.MatchString(row.ID) {
			return fmt.Errorf("%s: %w: channel id %q", p.st.Path(), store.ErrDamaged, row.ID)
		}
		rules, err := row.Rules()
		if err != nil {
			return fmt.Errorf("%s: %w: %w", p.st.Path(), store.ErrDamaged, err)
		}
		if row.TLS != "" && !api.IsTLSKind(row.TLS) {
			return fmt.Errorf("%s: %w: channel %s: TLS kind %q", p.st.Path(), store.ErrDamaged, row.ID, row.TLS)
		}
		ch := p.cs.newChannel(row.ID, row.Secret)
		ch.tls = row.TLS
		if _, err := ch.setScript(rules, p.cs.lim); err != nil {
			return fmt.Errorf("%s: channel %s: its saved script does not compile here: %w", p.st.Path(), row.ID, err)
		}
		if err := ch.script.Load().SetUsesLeft(row.UsesLeft); err != nil {
			return fmt.Errorf("%s: %w: channel %s: %w", p.st.Path(), store.ErrDamaged, row.ID, err)
		}
		byID[row.ID] = ch
		info[ch] = row
		p.states[ch] = &chanState{written: 1}
	}

	// First pass: each channel keeps its newest consecutive run of seqs
	// (held calls are consecutive; anything before a gap is let go of).
	type run struct{ start, last uint64 }
	runs := map[string]*run{}
	if err := p.st.EachCallHead(func(_ uint64, chID string, seq uint64) error {
		r := runs[chID]
		switch {
		case r == nil:
			runs[chID] = &run{start: seq, last: seq}
		case seq == r.last+1:
			r.last = seq
		default:
			r.start, r.last = seq, seq
		}
		return nil
	}); err != nil {
		return err
	}

	// Second pass: the calls, in arrival order, into the journals (and so
	// into the bound, which evicts the oldest when --max-calls shrank).
	var drop []uint64
	resps := map[string]*api.Response{}
	loaded := 0
	if err := p.st.EachCall(func(id uint64, row *store.CallRow) error {
		ch := byID[row.Channel]
		r := runs[row.Channel]
		if ch == nil || r == nil || row.Seq < r.start || row.Seq > r.last {
			drop = append(drop, id)
			return nil
		}
		resp, ok := resps[string(row.Response)]
		if !ok {
			resp = &api.Response{}
			if err := json.Unmarshal(row.Response, resp); err != nil {
				return fmt.Errorf("%w: call %s #%d: answer: %w", store.ErrDamaged, row.Channel, row.Seq, err)
			}
			resps[string(row.Response)] = resp
		}
		buf := append(p.cs.bufs.get(len(row.Packed)), row.Packed...)
		sc := storedCall{
			buf: buf, seq: row.Seq, receivedAt: row.ReceivedAt, bodySize: row.BodySize, bodyAt: row.BodyAt,
			signature: signature(row.Signature), truncated: row.Truncated, tls: row.TLS,
		}
		sc.response = ch.responses.intern(resp)
		if !ch.log.Restore(row.Seq, sc) {
			ch.responses.release(sc.response)
			p.cs.bufs.put(buf)
			drop = append(drop, id)
			return nil
		}
		st := p.states[ch]
		st.rows = append(st.rows, diskRow{seq: row.Seq, id: id})
		loaded++
		return nil
	}); err != nil {
		return err
	}
	evicted, err := p.st.Evicted()
	if err != nil {
		return err
	}
	p.cs.bound.SetEvicted(evicted)
	for ch, row := range info {
		next := max(row.Next, row.Lease+1)
		if r := runs[ch.id]; r != nil {
			next = max(next, r.last+1)
		}
		ch.log.Resume(next, row.Evicted)
		st := p.states[ch]
		st.written = next
		p.cs.m[ch.id] = ch
	}

	if p.mailLog, err = p.loadMails(cfg); err != nil {
		return err
	}

	// The first commit: drop what was not kept, lease every channel anew.
	// It also proves the database takes writes before anything is served.
	for _, ch := range p.cs.list() {
		p.markDirty(ch)
	}
	if err := p.st.Update(func(tx *store.Tx) error {
		for _, id := range drop {
			if err := tx.DeleteCall(id); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		return err
	}
	if _, err := p.batch(false); err != nil {
		return err
	}
	p.smu.Lock()
	p.status.Loaded = loaded
	p.smu.Unlock()
	return nil
}

// loadMails returns a journal for the SMTP sink holding the mails on disk,
// or nil when the receiver has no sink (the mails then stay on disk as
// they are).
func (p *persister) loadMails(cfg Config) (*journal.Log[api.Mail], error) {
	if cfg.SMTPListen == Off {
		return nil, nil
	}
	mails, err := p.st.Mails()
	if err != nil {
		return nil, err
	}
	l := journal.New[api.Mail](journal.NewBound(cfg.MaxMails))
	next := uint64(1)
	for _, m := range mails {
		if l.Restore(m.Seq, m) {
			next = m.Seq + 1
		}
	}
	l.Resume(next, 0)
	p.mailsWritten = next
	return l, nil
}
