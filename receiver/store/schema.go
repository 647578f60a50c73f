package store

import (
	"fmt"
	"strconv"

	bolt "go.etcd.io/bbolt"
)

// SchemaVersion is the version of the layout this package writes (the
// "schema" key of the meta bucket). docs/receiver-persistence.md describes
// each version. A database of an older version is migrated on open, one
// version at a time (migrations); a newer one is refused.
const SchemaVersion = 1

// FileName is the database's file inside the data directory.
const FileName = "receiver.db"

// The buckets of the database.
var (
	bucketMeta     = []byte("meta")     // "schema", "evicted": decimal text
	bucketChannels = []byte("channels") // channel id → ChannelRow (JSON)
	bucketCalls    = []byte("calls")    // record id (8 bytes, big-endian, arrival order) → call row (AppendCall)
	bucketMails    = []byte("mails")    // mail seq (8 bytes, big-endian) → api.Mail (JSON)
)

// Keys of the meta bucket.
var (
	keySchema  = []byte("schema")
	keyEvicted = []byte("evicted")
)

// migrations[v] moves a database from schema version v to v+1, inside
// one write transaction. Version 0 is a new, empty file.
var migrations = map[int]func(tx *bolt.Tx) error{
	0: func(tx *bolt.Tx) error {
		for _, b := range [][]byte{bucketMeta, bucketChannels, bucketCalls, bucketMails} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return fmt.Errorf("create bucket %s: %w", b, err)
			}
		}
		return nil
	},
}

// schemaOf reads the schema version of a database: 0 for a file with no
// bucket at all (new), an error for one with buckets but no version (not a
// receiver database).
func schemaOf(tx *bolt.Tx) (int, error) {
	meta := tx.Bucket(bucketMeta)
	if meta == nil {
		empty := true
		_ = tx.ForEach(func([]byte, *bolt.Bucket) error { empty = false; return nil })
		if empty {
			return 0, nil
		}
		return 0, fmt.Errorf("%w: no meta bucket: not a hookcheck receiver database", ErrDamaged)
	}
	raw := meta.Get(keySchema)
	v, err := strconv.Atoi(string(raw))
	if err != nil || v < 1 {
		return 0, fmt.Errorf("%w: schema version %q is not a version", ErrDamaged, raw)
	}
	return v, nil
}

// migrate brings tx's database from version from to SchemaVersion.
func migrate(tx *bolt.Tx, from int) error {
	for v := from; v < SchemaVersion; v++ {
		m, ok := migrations[v]
		if !ok {
			return fmt.Errorf("no migration from schema version %d", v)
		}
		if err := m(tx); err != nil {
			return fmt.Errorf("migrate schema %d to %d: %w", v, v+1, err)
		}
	}
	return tx.Bucket(bucketMeta).Put(keySchema, []byte(strconv.Itoa(SchemaVersion)))
}
