package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	bolt "go.etcd.io/bbolt"
)

// Report is what Check found in a data directory.
type Report struct {
	File          string          `json:"file"`
	Bytes         int64           `json:"bytes"`
	SchemaVersion int             `json:"schemaVersion"`
	Channels      []ChannelReport `json:"channels"`
	Calls         int             `json:"calls"`
	Mails         int             `json:"mails"`
	Evicted       uint64          `json:"evicted"`
}

// ChannelReport is one channel of a Report.
type ChannelReport struct {
	ID        string `json:"id"`
	HasSecret bool   `json:"hasSecret"`
	Rules     int    `json:"rules"`
	Calls     int    `json:"calls"`
	FirstSeq  uint64 `json:"firstSeq,omitempty"`
	LastSeq   uint64 `json:"lastSeq,omitempty"`
	Next      uint64 `json:"next"`
}

// Check reads the database in dir without writing to it (not even to
// migrate it): it runs the database's own consistency check over every
// page and decodes every row. It returns what it found, or an error of
// kind ErrMissing, ErrDamaged, ErrNewerSchema or ErrInUse naming the file.
func Check(dir string) (Report, error) {
	path := filepath.Join(abs(dir), FileName)
	rep := Report{File: path}
	fi, err := os.Stat(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return rep, fmt.Errorf("%s: %w", path, ErrMissing)
		}
		return rep, fmt.Errorf("%s: %w", path, err)
	}
	rep.Bytes = fi.Size()
	if fi.Size() == 0 {
		return rep, fmt.Errorf("%s: %w: empty file", path, ErrDamaged)
	}
	db, err := openDB(path, true)
	if err != nil {
		return rep, err
	}
	defer db.Close()
	s := &Store{db: db, dir: filepath.Dir(path), path: path}
	err = s.view(func(tx *bolt.Tx) error {
		v, err := schemaOf(tx)
		if err != nil {
			return err
		}
		rep.SchemaVersion = v
		if v > SchemaVersion {
			return fmt.Errorf("%w: it has schema version %d, this hookcheck reads up to %d", ErrNewerSchema, v, SchemaVersion)
		}
		var problems []error
		for err := range tx.Check() { // read to the end: the check runs until it closes
			problems = append(problems, err)
		}
		if len(problems) > 0 {
			return fmt.Errorf("%w: %w", ErrDamaged, errors.Join(problems...))
		}
		return nil
	})
	if err != nil {
		return rep, err
	}
	if rep.SchemaVersion < SchemaVersion {
		return rep, nil // an older layout: the receiver migrates it on start
	}
	rows, err := s.Channels()
	if err != nil {
		return rep, err
	}
	byID := map[string]*ChannelReport{}
	for _, row := range rows {
		rules, err := row.Rules()
		if err != nil {
			return rep, fmt.Errorf("%s: %w: %w", path, ErrDamaged, err)
		}
		rep.Channels = append(rep.Channels, ChannelReport{ID: row.ID, HasSecret: row.Secret != "", Rules: len(rules), Next: max(row.Next, row.Lease+1)})
	}
	sort.Slice(rep.Channels, func(i, j int) bool { return rep.Channels[i].ID < rep.Channels[j].ID })
	for i := range rep.Channels {
		byID[rep.Channels[i].ID] = &rep.Channels[i]
	}
	if err := s.EachCall(func(_ uint64, row *CallRow) error {
		rep.Calls++
		if c := byID[row.Channel]; c != nil {
			c.Calls++
			if c.FirstSeq == 0 || row.Seq < c.FirstSeq {
				c.FirstSeq = row.Seq
			}
			c.LastSeq = max(c.LastSeq, row.Seq)
		}
		return nil
	}); err != nil {
		return rep, err
	}
	mails, err := s.Mails()
	if err != nil {
		return rep, err
	}
	rep.Mails = len(mails)
	if rep.Evicted, err = s.Evicted(); err != nil {
		return rep, err
	}
	return rep, nil
}
