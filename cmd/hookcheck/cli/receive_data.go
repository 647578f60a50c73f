package cli

import (
	"errors"
	"fmt"
	"runtime"

	"github.com/hookcheck/hookcheck/receiver"
	"github.com/hookcheck/hookcheck/receiver/store"
)

// dataFlags are receive's flags for keeping what it records on disk.
type dataFlags struct {
	check   bool
	minFree sizeFlag
}

// addDataFlags defines --data-dir, --sync, --data-min-free and --check on
// fs, writing into cfg.
func addDataFlags(fs *flagSet, cfg *receiver.Config) *dataFlags {
	d := &dataFlags{minFree: receiver.DefaultDataMinFree}
	fs.StringVar(&cfg.DataDir, "data-dir", "", "`directory` where channels, calls and captured e-mails are kept (an embedded database, receiver.db) and loaded from on start; without it everything is in memory only")
	fs.BoolVar(&cfg.Sync, "sync", false, "with --data-dir: put every call on disk before answering it (slower); without it calls are written in group commits just after")
	fs.Var(&d.minFree, "data-min-free", "with --data-dir: refuse to start when the directory's file system has less free `size` than this")
	fs.BoolVar(&d.check, "check", false, "with --data-dir: report what the directory holds (channels, calls, mails, schema version, size) without changing it, and exit: 0 readable, 2 not")
	return d
}

// apply checks the flags' combination and puts them into cfg.
func (d *dataFlags) apply(e *env, cfg *receiver.Config) error {
	if cfg.DataDir == "" && cfg.Sync {
		return errors.New("--sync needs --data-dir")
	}
	if d.minFree <= 0 {
		cfg.DataMinFree = -1
	} else {
		cfg.DataMinFree = int64(d.minFree)
	}
	if _, set := e.vars["GOMAXPROCS"]; cfg.DataDir != "" && !set && runtime.GOMAXPROCS(0) < 2 {
		// The writer spends its commits in fdatasync, holding its thread
		// and, with one P (a container or taskset of one CPU), every
		// goroutine until the runtime hands the P on (up to 10 ms): a
		// second P lets calls be answered meanwhile (measured pinned to
		// one core: --sync 2.3k -> 7.6k calls/s on a busy machine, about
		// 20k on a quiet one). An explicit GOMAXPROCS is left alone.
		runtime.GOMAXPROCS(2)
	}
	return nil
}

// checkDataDir is receive --check: it prints what the data directory
// holds and returns 0, or prints why it cannot be loaded and returns 2.
func checkDataDir(e *env, dir string) int {
	if dir == "" {
		return usageError(e, "receive", errors.New("--check needs --data-dir"))
	}
	rep, err := store.Check(dir)
	if err != nil {
		fmt.Fprintf(e.stderr, "hookcheck receive --check: %v\n", err)
		return ExitUsage
	}
	fmt.Fprintf(e.stdout, "%s: readable\n", rep.File)
	fmt.Fprintf(e.stdout, "  schema version  %d (this hookcheck writes %d)\n", rep.SchemaVersion, store.SchemaVersion)
	fmt.Fprintf(e.stdout, "  size            %s\n", formatSize(rep.Bytes))
	fmt.Fprintf(e.stdout, "  channels        %d\n", len(rep.Channels))
	fmt.Fprintf(e.stdout, "  calls           %d (%d evicted by --max-calls over its life)\n", rep.Calls, rep.Evicted)
	fmt.Fprintf(e.stdout, "  mails           %d\n", rep.Mails)
	for _, c := range rep.Channels {
		secret := ""
		if c.HasSecret {
			secret = ", secret"
		}
		seqs := "no calls"
		if c.Calls > 0 {
			seqs = fmt.Sprintf("calls %d..%d", c.FirstSeq, c.LastSeq)
		}
		fmt.Fprintf(e.stdout, "  channel %-20s %d calls (%s), %d rules%s, next seq %d\n", c.ID, c.Calls, seqs, c.Rules, secret, c.Next)
	}
	return ExitOK
}

// printDataDir adds the data directory to the ready banner.
func printDataDir(e *env, rv *receiver.Receiver) {
	s := rv.Storage()
	if s == nil {
		return
	}
	mode := "group commits (a call answered more than " + receiver.DurabilityWindow.String() + " before a crash is on disk)"
	if s.Sync {
		mode = "--sync (every call on disk before its answer)"
	}
	fmt.Fprintf(e.stdout, "  data     %s   %d calls loaded; %s\n", s.File, s.Loaded, mode)
}
