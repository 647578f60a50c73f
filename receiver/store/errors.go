package store

import "errors"

// The kinds of error Open and Check report; each comes wrapped with the
// file or directory and the reason.
var (
	// ErrNewerSchema refuses a database written by a newer hookcheck.
	ErrNewerSchema = errors.New("written by a newer hookcheck (schema version too new)")
	// ErrDamaged refuses a database that cannot be read as one.
	ErrDamaged = errors.New("damaged")
	// ErrNotWritable refuses a data directory the receiver cannot write.
	ErrNotWritable = errors.New("not writable")
	// ErrNoSpace refuses a data directory whose file system is full.
	ErrNoSpace = errors.New("not enough free space")
	// ErrInUse refuses a database another receiver has open.
	ErrInUse = errors.New("in use by another process")
	// ErrMissing reports a data directory holding no database (Check).
	ErrMissing = errors.New("no receiver database")
)
