package store

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"strconv"

	bolt "go.etcd.io/bbolt"

	"github.com/hookcheck/hookcheck/receiver/api"
)

// Tx is one write transaction: what a group commit writes. Keys and
// values handed to it must stay unchanged until Update returns.
type Tx struct {
	s                            *Store
	tx                           *bolt.Tx
	meta, channels, calls, mails *bolt.Bucket
	keys                         []byte // arena of the 8-byte keys of this transaction
}

// Update runs fn in one write transaction and commits it (the commit
// syncs the file). When fn or the commit fails nothing of it is kept, and
// the record ids it handed out are handed out again.
func (s *Store) Update(fn func(*Tx) error) error {
	next := s.nextID
	err := s.db.Update(func(btx *bolt.Tx) error {
		t := &Tx{s: s, tx: btx, meta: btx.Bucket(bucketMeta), channels: btx.Bucket(bucketChannels), calls: btx.Bucket(bucketCalls), mails: btx.Bucket(bucketMails)}
		t.calls.FillPercent = 1 // keys only ever grow: fill pages whole
		t.mails.FillPercent = 1
		return fn(t)
	})
	if err != nil {
		s.nextID = next
		return classify(s.path+": write", err)
	}
	return nil
}

// key returns n as an 8-byte big-endian key that stays valid for the
// transaction.
func (t *Tx) key(n uint64) []byte {
	if cap(t.keys)-len(t.keys) < 8 {
		t.keys = make([]byte, 0, 8*1024)
	}
	t.keys = binary.BigEndian.AppendUint64(t.keys, n)
	return t.keys[len(t.keys)-8 : len(t.keys) : len(t.keys)]
}

// NextID returns a new record id for a call; ids grow with every call.
func (t *Tx) NextID() uint64 {
	id := t.s.nextID
	t.s.nextID++
	return id
}

// PutCall writes the call row (AppendCall) under record id.
func (t *Tx) PutCall(id uint64, row []byte) error {
	if err := t.calls.Put(t.key(id), row); err != nil {
		return fmt.Errorf("put call %d: %w", id, err)
	}
	return nil
}

// DeleteCall deletes the call row under record id.
func (t *Tx) DeleteCall(id uint64) error {
	if err := t.calls.Delete(t.key(id)); err != nil {
		return fmt.Errorf("delete call %d: %w", id, err)
	}
	return nil
}

// PutChannel writes a channel row.
func (t *Tx) PutChannel(row *ChannelRow) error {
	b, err := json.Marshal(row)
	if err != nil {
		return fmt.Errorf("channel %s: %w", row.ID, err)
	}
	if err := t.channels.Put([]byte(row.ID), b); err != nil {
		return fmt.Errorf("put channel %s: %w", row.ID, err)
	}
	return nil
}

// DeleteChannel deletes a channel row.
func (t *Tx) DeleteChannel(id string) error {
	if err := t.channels.Delete([]byte(id)); err != nil {
		return fmt.Errorf("delete channel %s: %w", id, err)
	}
	return nil
}

// PutMail writes a captured e-mail under its seq.
func (t *Tx) PutMail(m *api.Mail) error {
	b, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("mail %d: %w", m.Seq, err)
	}
	if err := t.mails.Put(t.key(m.Seq), b); err != nil {
		return fmt.Errorf("put mail %d: %w", m.Seq, err)
	}
	return nil
}

// DeleteMailsBefore deletes every e-mail numbered below seq.
func (t *Tx) DeleteMailsBefore(seq uint64) error {
	c := t.mails.Cursor()
	for k, _ := c.First(); k != nil && binary.BigEndian.Uint64(k) < seq; k, _ = c.First() {
		if err := c.Delete(); err != nil {
			return fmt.Errorf("delete mail: %w", err)
		}
	}
	return nil
}

// SetEvicted writes the count of calls evicted over the receiver's life.
func (t *Tx) SetEvicted(n uint64) error {
	if err := t.meta.Put([]byte(string(keyEvicted)), []byte(strconv.FormatUint(n, 10))); err != nil {
		return fmt.Errorf("put evicted: %w", err)
	}
	return nil
}
