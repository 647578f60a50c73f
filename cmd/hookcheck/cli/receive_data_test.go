package cli_test

import (
	"bytes"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	bolt "go.etcd.io/bbolt"

	"github.com/hookcheck/hookcheck/cmd/hookcheck/cli"
	"github.com/hookcheck/hookcheck/receiver/api"
	"github.com/hookcheck/hookcheck/receiver/client"
	"github.com/hookcheck/hookcheck/receiver/store"
)

// fileState is a file's bytes and modification time, to show a refused
// data directory was left as it was.
type fileState struct {
	data  []byte
	mtime time.Time
}

func stateOf(path string) fileState {
	GinkgoHelper()
	fi, err := os.Stat(path)
	Expect(err).NotTo(HaveOccurred())
	data, err := os.ReadFile(path)
	Expect(err).NotTo(HaveOccurred())
	return fileState{data, fi.ModTime()}
}

// dirEntries lists the names in dir.
func dirEntries(dir string) []string {
	GinkgoHelper()
	es, err := os.ReadDir(dir)
	Expect(err).NotTo(HaveOccurred())
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

// filledDataDir runs a receiver on a new data directory, gives it a
// channel and three calls, stops it and returns the directory.
func filledDataDir() string {
	GinkgoHelper()
	dir := filepath.Join(GinkgoT().TempDir(), "data")
	path := addrFile()
	s := startServer(nil, append([]string{"receive", "--data-dir", dir, "--addr-file", path}, loopback...)...)
	addrs := s.waitAddrFile(path)
	c := client.New(addrs.HTTP)
	ch, err := c.CreateChannel(ctx(), api.ChannelRequest{ID: "kept", Secret: "s"})
	Expect(err).NotTo(HaveOccurred())
	for range 3 {
		Expect(postCall(ch.URL, []byte(`{"Event":"x"}`))).To(Equal(http.StatusOK))
	}
	Expect(s.stop()).To(Equal(cli.ExitOK))
	return dir
}

// refused runs receive on dir and checks it exits 2 naming the database
// and the reason, leaving the directory's files as they were.
func refused(dir string, reason string) {
	GinkgoHelper()
	db := filepath.Join(dir, store.FileName)
	before := stateOf(db)
	names := dirEntries(dir)
	res := run(nil, append([]string{"receive", "--data-dir", dir}, loopback...)...)
	Expect(res.code).To(Equal(cli.ExitUsage), "stdout: %s\nstderr: %s", res.stdout, res.stderr)
	Expect(res.stderr).To(ContainSubstring(db))
	Expect(res.stderr).To(ContainSubstring(reason))
	Expect(res.stdout).NotTo(ContainSubstring("ready"))
	after := stateOf(db)
	Expect(after.data).To(Equal(before.data), "the file is left byte for byte")
	Expect(after.mtime).To(Equal(before.mtime))
	Expect(dirEntries(dir)).To(Equal(names), "nothing added beside it")

	res = run(nil, "receive", "--data-dir", dir, "--check")
	Expect(res.code).To(Equal(cli.ExitUsage))
	Expect(res.stderr).To(ContainSubstring(reason))
	Expect(stateOf(db).data).To(Equal(before.data))
}

var _ = Describe("hookcheck receive --data-dir on a bad data directory", func() {
	It("reports a good one with --check: channels, calls, schema version, size; exit 0, nothing changed", func() {
		dir := filledDataDir()
		db := filepath.Join(dir, store.FileName)
		before := stateOf(db)
		res := run(nil, "receive", "--data-dir", dir, "--check")
		Expect(res.code).To(Equal(cli.ExitOK), res.stderr)
		Expect(res.stdout).To(ContainSubstring(db + ": readable"))
		Expect(res.stdout).To(MatchRegexp(`schema version\s+1`))
		Expect(res.stdout).To(MatchRegexp(`channels\s+1`))
		Expect(res.stdout).To(MatchRegexp(`calls\s+3`))
		Expect(res.stdout).To(ContainSubstring("channel kept"))
		Expect(res.stdout).To(ContainSubstring("calls 1..3"))
		Expect(stateOf(db)).To(Equal(before))

		res = run(nil, "receive", "--data-dir", filepath.Join(dir, "nothing-here"), "--check")
		Expect(res.code).To(Equal(cli.ExitUsage))
		Expect(res.stderr).To(ContainSubstring("no receiver database"))
	})

	It("refuses a damaged database with exit 2 and leaves it as it is", func() {
		dir := filledDataDir()
		db := filepath.Join(dir, store.FileName)
		b, err := os.ReadFile(db)
		Expect(err).NotTo(HaveOccurred())
		// Both meta pages (the first two 4 KiB pages) overwritten.
		copy(b, bytes.Repeat([]byte{0xA5}, 8192))
		Expect(os.WriteFile(db, b, 0o600)).To(Succeed())
		refused(dir, "damaged")
	})

	It("refuses a file that is not a receiver database at all", func() {
		dir := filepath.Join(GinkgoT().TempDir(), "data")
		Expect(os.MkdirAll(dir, 0o700)).To(Succeed())
		Expect(os.WriteFile(filepath.Join(dir, store.FileName), bytes.Repeat([]byte("not bbolt "), 2000), 0o600)).To(Succeed())
		refused(dir, "damaged")
	})

	It("refuses a database whose rows are damaged", func() {
		dir := filledDataDir()
		db := filepath.Join(dir, store.FileName)
		bdb, err := bolt.Open(db, 0o600, nil)
		Expect(err).NotTo(HaveOccurred())
		Expect(bdb.Update(func(tx *bolt.Tx) error {
			return tx.Bucket([]byte("channels")).Put([]byte("kept"), []byte("{not json"))
		})).To(Succeed())
		Expect(bdb.Close()).To(Succeed())
		refused(dir, "damaged")
	})

	It("refuses a database written by a newer schema with exit 2 and leaves it as it is", func() {
		dir := filledDataDir()
		db := filepath.Join(dir, store.FileName)
		bdb, err := bolt.Open(db, 0o600, nil)
		Expect(err).NotTo(HaveOccurred())
		Expect(bdb.Update(func(tx *bolt.Tx) error {
			return tx.Bucket([]byte("meta")).Put([]byte("schema"), []byte("99"))
		})).To(Succeed())
		Expect(bdb.Close()).To(Succeed())
		refused(dir, "newer")
		res := run(nil, "receive", "--data-dir", dir, "--check")
		Expect(res.stderr).To(ContainSubstring("schema version 99"))
	})

	It("refuses a read-only data directory with exit 2 and leaves it as it is", func() {
		dir := filledDataDir()
		db := filepath.Join(dir, store.FileName)
		makeReadOnly(dir)
		before := stateOf(db)
		res := run(nil, append([]string{"receive", "--data-dir", dir}, loopback...)...)
		Expect(res.code).To(Equal(cli.ExitUsage), "stdout: %s\nstderr: %s", res.stdout, res.stderr)
		Expect(res.stderr).To(ContainSubstring(dir))
		Expect(res.stderr).To(ContainSubstring("not writable"))
		Expect(stateOf(db)).To(Equal(before))
		Expect(dirEntries(dir)).To(ConsistOf(store.FileName))
	})

	It("refuses a data directory that is a file, and a full one, with exit 2", func() {
		path := filepath.Join(GinkgoT().TempDir(), "file")
		Expect(os.WriteFile(path, []byte("x"), 0o600)).To(Succeed())
		res := run(nil, append([]string{"receive", "--data-dir", path}, loopback...)...)
		Expect(res.code).To(Equal(cli.ExitUsage))
		Expect(res.stderr).To(ContainSubstring("is a file, not a directory"))

		// A file system with less free space than --data-min-free asks
		// for is what a full disk looks like at start.
		dir := GinkgoT().TempDir()
		var st syscall.Statfs_t
		Expect(syscall.Statfs(dir, &st)).To(Succeed())
		free := uint64(st.Bavail) * uint64(st.Bsize)
		if free > 1<<40-1<<30 {
			Skip("this file system has more free space than --data-min-free can ask for (1 TiB)")
		}
		res = run(nil, append([]string{"receive", "--data-dir", dir, "--data-min-free", strconv.FormatUint(free+1<<30, 10)}, loopback...)...)
		Expect(res.code).To(Equal(cli.ExitUsage))
		Expect(res.stderr).To(ContainSubstring("not enough free space"))
		Expect(dirEntries(dir)).To(BeEmpty(), "nothing written")
	})

	It("wants --data-dir for --sync and --check", func() {
		Expect(run(nil, "receive", "--sync").stderr).To(ContainSubstring("--sync needs --data-dir"))
		Expect(run(nil, "receive", "--check").code).To(Equal(cli.ExitUsage))
	})
})

// makeReadOnly makes dir refuse new files until the spec ends. Permission
// bits do not stop root, so as root the directory is made immutable
// (chattr +i); where that is not possible the spec is skipped (the store
// package's tests cover the refusal through an injected write error).
func makeReadOnly(dir string) {
	GinkgoHelper()
	if os.Geteuid() != 0 {
		Expect(os.Chmod(dir, 0o500)).To(Succeed())
		DeferCleanup(os.Chmod, dir, os.FileMode(0o700))
		return
	}
	if out, err := exec.Command("chattr", "+i", dir).CombinedOutput(); err != nil {
		Skip("running as root, where a read-only directory is still writable, and chattr +i is not available here: " + string(out) + err.Error())
	}
	DeferCleanup(func() { _ = exec.Command("chattr", "-i", dir).Run() })
	probe := filepath.Join(dir, "probe")
	if err := os.WriteFile(probe, nil, 0o600); err == nil {
		_ = os.Remove(probe)
		Skip("running as root, and chattr +i did not make the directory refuse files on this file system")
	}
}

var _ = Describe("hookcheck receive --data-dir when the disk refuses writes at run time", func() {
	It("keeps answering and recording, warns on healthz and the channel list, and writes everything once it can", func() {
		if os.Geteuid() != 0 {
			Skip("needs root to make the open database refuse writes (chattr +i); the receiver package tests the same path through an injected commit error")
		}
		dir := filepath.Join(GinkgoT().TempDir(), "data")
		path := addrFile()
		s := startServer(nil, append([]string{"receive", "--data-dir", dir, "--addr-file", path}, loopback...)...)
		addrs := s.waitAddrFile(path)
		c := client.New(addrs.HTTP)
		ch, err := c.CreateChannel(ctx(), api.ChannelRequest{ID: "refused"})
		Expect(err).NotTo(HaveOccurred())
		db := filepath.Join(dir, store.FileName)
		if out, err := exec.Command("chattr", "+i", db).CombinedOutput(); err != nil {
			Skip("chattr +i is not available here: " + string(out) + err.Error())
		}
		DeferCleanup(func() { _ = exec.Command("chattr", "-i", db).Run() })

		for range 10 {
			Expect(postCall(ch.URL, []byte(`{"Event":"while.refused"}`))).To(Equal(http.StatusOK))
		}
		Eventually(func(g Gomega) {
			h, err := c.Health(ctx())
			g.Expect(err).NotTo(HaveOccurred())
			g.Expect(h.Storage.Failing).To(BeTrue())
			g.Expect(h.Warnings).To(ContainElement(ContainSubstring("in memory only")))
			list, err := c.Channels(ctx())
			g.Expect(err).NotTo(HaveOccurred())
			g.Expect(list.Warnings).NotTo(BeEmpty())
		}, quickly, 10*time.Millisecond).Should(Succeed())
		calls, err := c.Calls(ctx(), ch.ID, client.CallQuery{})
		Expect(err).NotTo(HaveOccurred())
		Expect(calls.Calls).To(HaveLen(10))

		Expect(exec.Command("chattr", "-i", db).Run()).To(Succeed())
		Eventually(func(g Gomega) {
			h, err := c.Health(ctx())
			g.Expect(err).NotTo(HaveOccurred())
			g.Expect(h.Storage.Failing).To(BeFalse())
			g.Expect(h.Storage.Calls).To(Equal(10))
			g.Expect(h.Warnings).To(BeEmpty())
		}, quickly, 10*time.Millisecond).Should(Succeed())
		Expect(s.stop()).To(Equal(cli.ExitOK))
		rep, err := store.Check(dir)
		Expect(err).NotTo(HaveOccurred())
		Expect(rep.Calls).To(Equal(10))
	})
})
