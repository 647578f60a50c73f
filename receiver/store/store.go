package store

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"github.com/hookcheck/hookcheck/receiver/api"
)

// lockTimeout bounds how long Open waits for another process to let go of
// the database before it reports ErrInUse.
const lockTimeout = time.Second

// Options configures Open.
type Options struct {
	// MinFree is the free space, in bytes, the data directory's file
	// system must have at start (0: no minimum).
	MinFree int64
}

// Store is an open receiver database. Its reads may run at any time; its
// writes (Update) come from one goroutine at a time.
type Store struct {
	db     *bolt.DB
	dir    string
	path   string
	schema int // the version found on open, before migration
	nextID uint64
}

// Open opens (creating when missing) the database in dir. It first makes
// sure dir is a writable directory with minFree bytes free, then refuses
// a database of a newer schema or one that cannot be read, without
// writing to it; an older schema is migrated.
func Open(dir string, opts Options) (*Store, error) {
	dir = abs(dir)
	if err := checkDir(dir, opts.MinFree); err != nil {
		return nil, err
	}
	path := filepath.Join(dir, FileName)
	db, err := openDB(path, false)
	if err != nil {
		return nil, err
	}
	s := &Store{db: db, dir: dir, path: path}
	if err := s.prepare(); err != nil {
		_ = db.Close()
		return nil, err
	}
	return s, nil
}

// openDB opens path with the options every open uses, telling a damaged
// file, one another process holds and one the system refuses apart.
func openDB(path string, readOnly bool) (db *bolt.DB, err error) {
	defer func() {
		if p := recover(); p != nil {
			db, err = nil, fmt.Errorf("%s: %w: %v", path, ErrDamaged, p)
		}
	}()
	db, err = bolt.Open(path, 0o600, &bolt.Options{
		Timeout:        lockTimeout,
		NoFreelistSync: true, // rebuilt on open: commits write less
		FreelistType:   bolt.FreelistMapType,
		ReadOnly:       readOnly,
	})
	switch {
	case err == nil:
		return db, nil
	case errors.Is(err, berrors.ErrTimeout):
		return nil, fmt.Errorf("%s: %w (another receiver has it open; give each its own --data-dir)", path, ErrInUse)
	case errors.Is(err, berrors.ErrInvalid), errors.Is(err, berrors.ErrChecksum), errors.Is(err, berrors.ErrVersionMismatch), errors.Is(err, berrors.ErrInvalidMapping):
		return nil, fmt.Errorf("%s: %w: %w", path, ErrDamaged, err)
	}
	return nil, classify(path, err)
}

// prepare checks the schema version and migrates an older one.
func (s *Store) prepare() error {
	var v int
	if err := s.view(func(tx *bolt.Tx) error {
		var err error
		v, err = schemaOf(tx)
		return err
	}); err != nil {
		return err
	}
	s.schema = v
	if v > SchemaVersion {
		return fmt.Errorf("%s: %w: it has schema version %d, this hookcheck reads up to %d; use a newer hookcheck or another --data-dir (the file is left as it is)", s.path, ErrNewerSchema, v, SchemaVersion)
	}
	if v < SchemaVersion {
		if err := s.db.Update(func(tx *bolt.Tx) error { return migrate(tx, v) }); err != nil {
			return classify(s.path, err)
		}
	}
	return s.view(func(tx *bolt.Tx) error {
		for _, b := range [][]byte{bucketMeta, bucketChannels, bucketCalls, bucketMails} {
			if tx.Bucket(b) == nil {
				return fmt.Errorf("%w: bucket %s is missing", ErrDamaged, b)
			}
		}
		if k, _ := tx.Bucket(bucketCalls).Cursor().Last(); k != nil {
			if len(k) != 8 {
				return fmt.Errorf("%w: call key of %d bytes", ErrDamaged, len(k))
			}
			s.nextID = binary.BigEndian.Uint64(k) + 1
		} else {
			s.nextID = 1
		}
		return nil
	})
}

// view runs fn in a read transaction, turning a panic of the database
// (a page that is not what it should be) into ErrDamaged.
func (s *Store) view(fn func(tx *bolt.Tx) error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%s: %w: %v", s.path, ErrDamaged, p)
		}
	}()
	if err := s.db.View(fn); err != nil {
		if errors.Is(err, ErrDamaged) || errors.Is(err, errRow) {
			return fmt.Errorf("%s: %w: %w", s.path, ErrDamaged, err)
		}
		return fmt.Errorf("%s: %w", s.path, err)
	}
	return nil
}

// Path returns the database file.
func (s *Store) Path() string { return s.path }

// Dir returns the data directory.
func (s *Store) Dir() string { return s.dir }

// FoundSchema returns the schema version the file had when opened (0: it
// was new); it is SchemaVersion since.
func (s *Store) FoundSchema() int { return s.schema }

// Size returns the database file's size in bytes.
func (s *Store) Size() int64 {
	fi, err := os.Stat(s.path)
	if err != nil {
		return 0
	}
	return fi.Size()
}

// Close closes the database.
func (s *Store) Close() error {
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("%s: close: %w", s.path, err)
	}
	return nil
}

// Channels returns every channel row.
func (s *Store) Channels() ([]ChannelRow, error) {
	var out []ChannelRow
	err := s.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketChannels).ForEach(func(k, v []byte) error {
			var row ChannelRow
			if err := json.Unmarshal(v, &row); err != nil {
				return fmt.Errorf("%w: channel %q: %w", ErrDamaged, k, err)
			}
			if row.ID != string(k) {
				return fmt.Errorf("%w: channel row %q names channel %q", ErrDamaged, k, row.ID)
			}
			out = append(out, row)
			return nil
		})
	})
	return out, err
}

// EachCallHead calls fn with the record id, channel and seq of every call
// row, in record (arrival) order.
func (s *Store) EachCallHead(fn func(id uint64, channel string, seq uint64) error) error {
	return s.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketCalls).ForEach(func(k, v []byte) error {
			if len(k) != 8 {
				return fmt.Errorf("%w: call key of %d bytes", ErrDamaged, len(k))
			}
			ch, seq, err := callHead(v)
			if err != nil {
				return fmt.Errorf("call record %d: %w", binary.BigEndian.Uint64(k), err)
			}
			return fn(binary.BigEndian.Uint64(k), ch, seq)
		})
	})
}

// EachCall calls fn with every call row in record (arrival) order. The
// row's byte slices are only valid during fn.
func (s *Store) EachCall(fn func(id uint64, row *CallRow) error) error {
	return s.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketCalls).ForEach(func(k, v []byte) error {
			if len(k) != 8 {
				return fmt.Errorf("%w: call key of %d bytes", ErrDamaged, len(k))
			}
			row, err := DecodeCall(v)
			if err != nil {
				return fmt.Errorf("call record %d: %w", binary.BigEndian.Uint64(k), err)
			}
			return fn(binary.BigEndian.Uint64(k), &row)
		})
	})
}

// Mails returns every captured e-mail, oldest first.
func (s *Store) Mails() ([]api.Mail, error) {
	var out []api.Mail
	err := s.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketMails).ForEach(func(k, v []byte) error {
			var m api.Mail
			if len(k) != 8 {
				return fmt.Errorf("%w: mail key of %d bytes", ErrDamaged, len(k))
			}
			if err := json.Unmarshal(v, &m); err != nil {
				return fmt.Errorf("%w: mail %d: %w", ErrDamaged, binary.BigEndian.Uint64(k), err)
			}
			if m.Seq != binary.BigEndian.Uint64(k) {
				return fmt.Errorf("%w: mail row %d holds mail %d", ErrDamaged, binary.BigEndian.Uint64(k), m.Seq)
			}
			out = append(out, m)
			return nil
		})
	})
	return out, err
}

// Evicted returns the count of calls evicted by --max-calls over the
// receiver's life, as last written.
func (s *Store) Evicted() (uint64, error) {
	var n uint64
	err := s.view(func(tx *bolt.Tx) error {
		raw := tx.Bucket(bucketMeta).Get(keyEvicted)
		if raw == nil {
			return nil
		}
		var err error
		if n, err = strconv.ParseUint(string(raw), 10, 64); err != nil {
			return fmt.Errorf("%w: evicted count %q", ErrDamaged, raw)
		}
		return nil
	})
	return n, err
}
