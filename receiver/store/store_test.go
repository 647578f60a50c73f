package store_test

import (
	"fmt"
	"os"
	"path/filepath"
	"syscall"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	bolt "go.etcd.io/bbolt"

	"github.com/hookcheck/hookcheck/receiver/api"
	"github.com/hookcheck/hookcheck/receiver/store"
)

var _ = Describe("Call rows", func() {
	It("round-trip every field, bytes as they were", func() {
		in := store.CallRow{Channel: "ch", Seq: 42, ReceivedAt: -5, BodySize: 1 << 40, BodyAt: 3, Signature: 2, Truncated: true, TLS: true, Response: []byte(`{"status":200}`), Packed: []byte("abc\xff\x00body")}
		out, err := store.DecodeCall(store.AppendCall(nil, &in))
		Expect(err).NotTo(HaveOccurred())
		Expect(out).To(Equal(in))
	})

	It("refuse a row that is cut short or of another format, never panicking", func() {
		row := store.AppendCall(nil, &store.CallRow{Channel: "ch", Seq: 1, BodyAt: 2, Packed: []byte("ab"), Response: []byte("{}")})
		for n := range len(row) - 2 {
			_, err := store.DecodeCall(row[:n])
			Expect(err).To(HaveOccurred(), "cut at %d", n)
		}
		bad := append([]byte{9}, row[1:]...)
		_, err := store.DecodeCall(bad)
		Expect(err).To(MatchError(ContainSubstring("unknown format")))
	})
})

var _ = Describe("Open", func() {
	var dir string
	BeforeEach(func() { dir = filepath.Join(GinkgoT().TempDir(), "data") })

	It("makes a new database at the current schema and reads back what was written", func() {
		s, err := store.Open(dir, store.Options{})
		Expect(err).NotTo(HaveOccurred())
		Expect(s.FoundSchema()).To(BeZero())
		Expect(s.Update(func(tx *store.Tx) error {
			row := store.AppendCall(nil, &store.CallRow{Channel: "a", Seq: 1, Packed: []byte("x")})
			if err := tx.PutCall(tx.NextID(), row); err != nil {
				return err
			}
			if err := tx.PutMail(&api.Mail{Seq: 3, Subject: "s"}); err != nil {
				return err
			}
			return tx.PutChannel(&store.ChannelRow{ID: "a", Next: 2, Script: []byte("[]")})
		})).To(Succeed())
		Expect(s.Close()).To(Succeed())

		s, err = store.Open(dir, store.Options{})
		Expect(err).NotTo(HaveOccurred())
		defer s.Close()
		Expect(s.FoundSchema()).To(Equal(store.SchemaVersion))
		chs, err := s.Channels()
		Expect(err).NotTo(HaveOccurred())
		Expect(chs).To(HaveLen(1))
		mails, err := s.Mails()
		Expect(err).NotTo(HaveOccurred())
		Expect(mails[0].Subject).To(Equal("s"))
		n := 0
		Expect(s.EachCall(func(id uint64, row *store.CallRow) error {
			n++
			Expect(id).To(Equal(uint64(1)))
			Expect(row.Packed).To(Equal([]byte("x")))
			return nil
		})).To(Succeed())
		Expect(n).To(Equal(1))
	})

	It("refuses a directory that takes no file (a read-only one), without touching the database", func() {
		s, err := store.Open(dir, store.Options{})
		Expect(err).NotTo(HaveOccurred())
		Expect(s.Close()).To(Succeed())
		db := filepath.Join(dir, store.FileName)
		before, err := os.ReadFile(db)
		Expect(err).NotTo(HaveOccurred())
		fi, _ := os.Stat(db)
		DeferCleanup(store.SetProbeHook(func(string) error {
			return &os.PathError{Op: "open", Path: dir, Err: syscall.EROFS}
		}))
		_, err = store.Open(dir, store.Options{})
		Expect(err).To(MatchError(store.ErrNotWritable))
		Expect(err.Error()).To(ContainSubstring(dir))
		after, _ := os.ReadFile(db)
		Expect(after).To(Equal(before))
		fi2, _ := os.Stat(db)
		Expect(fi2.ModTime()).To(Equal(fi.ModTime()))

		DeferCleanup(store.SetProbeHook(func(string) error { return fmt.Errorf("write: %w", syscall.ENOSPC) }))
		_, err = store.Open(dir, store.Options{})
		Expect(err).To(MatchError(store.ErrNoSpace))
	})

	It("refuses a newer schema and a database that is not the receiver's, writing nothing", func() {
		Expect(os.MkdirAll(dir, 0o700)).To(Succeed())
		db := filepath.Join(dir, store.FileName)
		b, err := bolt.Open(db, 0o600, nil)
		Expect(err).NotTo(HaveOccurred())
		Expect(b.Update(func(tx *bolt.Tx) error {
			_, err := tx.CreateBucket([]byte("something else"))
			return err
		})).To(Succeed())
		Expect(b.Close()).To(Succeed())
		before, _ := os.ReadFile(db)
		_, err = store.Open(dir, store.Options{})
		Expect(err).To(MatchError(store.ErrDamaged))
		Expect(err.Error()).To(ContainSubstring("not a hookcheck receiver database"))
		after, _ := os.ReadFile(db)
		Expect(after).To(Equal(before))

		Expect(os.Remove(db)).To(Succeed())
		s, err := store.Open(dir, store.Options{})
		Expect(err).NotTo(HaveOccurred())
		Expect(s.Close()).To(Succeed())
		b, err = bolt.Open(db, 0o600, nil)
		Expect(err).NotTo(HaveOccurred())
		Expect(b.Update(func(tx *bolt.Tx) error { return tx.Bucket([]byte("meta")).Put([]byte("schema"), []byte("2")) })).To(Succeed())
		Expect(b.Close()).To(Succeed())
		_, err = store.Open(dir, store.Options{})
		Expect(err).To(MatchError(store.ErrNewerSchema))
		Expect(err.Error()).To(ContainSubstring("schema version 2"))
		_, err = store.Check(dir)
		Expect(err).To(MatchError(store.ErrNewerSchema))
	})

	It("checks a database without writing to it", func() {
		_, err := store.Check(dir)
		Expect(err).To(MatchError(store.ErrMissing))
		s, err := store.Open(dir, store.Options{})
		Expect(err).NotTo(HaveOccurred())
		Expect(s.Update(func(tx *store.Tx) error {
			return tx.PutChannel(&store.ChannelRow{ID: "a", Secret: "x", Script: []byte(`[{"respond":{"status":500}}]`), Next: 1})
		})).To(Succeed())
		_, err = store.Check(dir)
		Expect(err).To(MatchError(store.ErrInUse), "a running receiver holds it")
		Expect(s.Close()).To(Succeed())
		rep, err := store.Check(dir)
		Expect(err).NotTo(HaveOccurred())
		Expect(rep.SchemaVersion).To(Equal(store.SchemaVersion))
		Expect(rep.Channels).To(Equal([]store.ChannelReport{{ID: "a", HasSecret: true, Rules: 1, Next: 1}}))
	})
})
