package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// probeSize is how much the write probe writes: enough to meet a file
// system that is full, small enough to cost nothing.
const probeSize = 64 << 10

// probeHook, when set (by tests), replaces the write probe: it stands in
// for a file system that refuses writes in a way the test cannot arrange
// (a read-only directory when tests run as root).
var probeHook func(dir string) error

// probeWrite proves dir takes a new file: it writes, syncs and removes
// probeSize bytes, so a read-only directory (or mount) or a full file
// system is found at start, before the database is opened.
func probeWrite(dir string) error {
	if probeHook != nil {
		return probeHook(dir)
	}
	f, err := os.CreateTemp(dir, ".hookcheck-probe-*")
	if err != nil {
		return err
	}
	name := f.Name()
	defer os.Remove(name)
	_, err = f.Write(make([]byte, probeSize))
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// checkDir makes sure dir is a directory the receiver can write, with at
// least minFree bytes free on its file system (0: no minimum). It creates
// a missing dir (and its parents).
func checkDir(dir string, minFree int64) error {
	if fi, err := os.Stat(dir); err == nil && !fi.IsDir() {
		return fmt.Errorf("data directory %s: is a file, not a directory", dir)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return classify(fmt.Sprintf("data directory %s", dir), err)
	}
	if err := probeWrite(dir); err != nil {
		return classify(fmt.Sprintf("data directory %s: a test write failed", dir), err)
	}
	if minFree > 0 {
		if free, ok := freeBytes(dir); ok && free < uint64(minFree) {
			return fmt.Errorf("data directory %s: %w: %d bytes free on its file system, the receiver wants at least %d (--data-min-free)", dir, ErrNoSpace, free, minFree)
		}
	}
	return nil
}

// classify wraps err with what and the matching Err* kind.
func classify(what string, err error) error {
	switch {
	case errors.Is(err, syscall.ENOSPC), errors.Is(err, syscall.EDQUOT):
		return fmt.Errorf("%s: %w: %w", what, ErrNoSpace, err)
	case errors.Is(err, syscall.EROFS), errors.Is(err, syscall.EACCES), errors.Is(err, syscall.EPERM), errors.Is(err, os.ErrPermission):
		return fmt.Errorf("%s: %w: %w", what, ErrNotWritable, err)
	}
	return fmt.Errorf("%s: %w", what, err)
}

// abs returns path made absolute when it can be, for messages.
func abs(path string) string {
	if p, err := filepath.Abs(path); err == nil {
		return p
	}
	return path
}
