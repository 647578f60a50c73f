package reference_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/conformance/reference"
)

var _ = Describe("core: persistence with DataDir", func() {
	var (
		dir    string
		target *coreTarget
	)
	BeforeEach(func() {
		dir = GinkgoT().TempDir()
		target = newCoreTarget(false)
	})

	open := func(o reference.Options) *reference.Service {
		o.DataDir = dir
		o.AllowHTTP = true
		o.TimeScale = 0.01
		s, err := reference.New(o)
		Expect(err).NotTo(HaveOccurred())
		return s
	}

	It("keeps definitions, usage statistics and the id counter across a restart", func() {
		s := open(reference.Options{})
		a, err := s.Create(coreCtx, coreAdmin, reference.Webhook{
			Name: "kept", Events: []string{"a.b", "c.d"}, TargetURL: target.URL(), Secret: "k",
			Headers: map[string]string{"X-A": "1"}, Properties: map[string]any{"p": "v", "n": 2.5},
			ErrorsEmail: "ops@example.com",
		})
		Expect(err).NotTo(HaveOccurred())
		b := createCoreHook(s, "deleted", target.URL(), "a.b")
		Expect(s.Delete(coreCtx, coreAdmin, b.WebhookID)).To(Succeed())
		target.AnswerAll(coreAnswer{Status: 410, Body: "bye"})
		Expect(s.Signal(coreCtx, coreAdmin, "a.b", 1, nil)).To(Succeed())
		Eventually(coreState(s, a.WebhookID)).Should(Equal(reference.StateTooManyErrors))
		want, _ := s.Get(coreCtx, coreAdmin, a.WebhookID)
		wantUsage := coreUsage(s, a.WebhookID)()
		Expect(s.Close()).To(Succeed())

		s2 := open(reference.Options{})
		DeferCleanup(s2.Close)
		all, err := s2.List(coreCtx, coreAdmin, reference.Filter{})
		Expect(err).NotTo(HaveOccurred())
		Expect(all).To(Equal([]reference.Webhook{want}))
		Expect(coreUsage(s2, a.WebhookID)()).To(Equal(wantUsage))
		Expect(wantUsage.TotalCalls).To(Equal(int64(1)))
		c := createCoreHook(s2, "after restart", target.URL(), "a.b")
		Expect(c.WebhookID).To(Equal(int32(3)), "ids are never reused, deleted ones included")

		leftovers, _ := filepath.Glob(filepath.Join(dir, ".*tmp"))
		Expect(leftovers).To(BeEmpty())
		Expect(filepath.Join(dir, "webhooks.json")).To(BeARegularFile())
	})

	It("keeps the application token (Online isolation survives a restart)", func() {
		s := open(reference.Options{Online: true})
		appA := reference.Caller{AppToken: "app-a"}
		w, err := s.Create(coreCtx, appA, reference.Webhook{Events: []string{"a.b"}, TargetURL: target.URL()})
		Expect(err).NotTo(HaveOccurred())
		Expect(s.Close()).To(Succeed())

		s2 := open(reference.Options{Online: true})
		DeferCleanup(s2.Close)
		_, err = s2.Get(coreCtx, reference.Caller{AppToken: "app-b"}, w.WebhookID)
		Expect(coreKind(err)).To(Equal(reference.KindNotFound))
		_, err = s2.Get(coreCtx, appA, w.WebhookID)
		Expect(err).NotTo(HaveOccurred())
	})

	It("refuses a corrupt store instead of starting empty", func() {
		Expect(os.WriteFile(filepath.Join(dir, "webhooks.json"), []byte("{not json"), 0o644)).To(Succeed())
		_, err := reference.New(reference.Options{DataDir: dir})
		Expect(err).To(MatchError(ContainSubstring("webhooks.json")))
	})

	// storeWith writes a store whose records are the given JSON objects.
	storeWith := func(records ...string) {
		doc := `{"version":1,"nextId":50,"webhooks":[` + strings.Join(records, ",") + `]}`
		Expect(os.WriteFile(filepath.Join(dir, "webhooks.json"), []byte(doc), 0o644)).To(Succeed())
	}
	record := func(id int, state int, name, url string) string {
		return fmt.Sprintf(`{"webhook":{"id":%d,"name":%q,"events":["a.b"],"targetUrl":%q,"state":%d,"type":"webhook"},"usage":{}}`,
			id, name, url, state)
	}
	good := func(id int) string { return record(id, 1, "ok", "https://example.com/hook") }

	It("loads a store that passes its checks", func() {
		storeWith(good(1), good(2))
		s, err := reference.New(reference.Options{DataDir: dir})
		Expect(err).NotTo(HaveOccurred())
		DeferCleanup(s.Close)
		all, err := s.List(coreCtx, coreAdmin, reference.Filter{})
		Expect(err).NotTo(HaveOccurred())
		Expect(all).To(HaveLen(2))
	})

	DescribeTable("refuses a store holding state the service could not have written, naming the file, the record and the reason",
		func(wantReason string, records ...string) {
			storeWith(records...)
			_, err := reference.New(reference.Options{DataDir: dir})
			Expect(err).To(HaveOccurred())
			Expect(err.Error()).To(ContainSubstring(filepath.Join(dir, "webhooks.json")))
			Expect(err.Error()).To(ContainSubstring("webhook record 2"))
			Expect(err.Error()).To(ContainSubstring(wantReason))
		},
		Entry("two records with one id", "record 1 has the same id", good(7), good(7)),
		Entry("an unknown State", "State 99 is not a WebhookState", good(1), record(2, 99, "x", "https://example.com/h")),
		Entry("State Unknown", "State 0 is not a WebhookState", good(1), record(2, 0, "x", "https://example.com/h")),
		Entry("a name past the 400-character limit", "Name is 5000 characters long; the limit is 400",
			good(1), record(2, 1, strings.Repeat("n", 5000), "https://example.com/h")),
		Entry("an ftp TargetUrl", "is not an absolute https URL", good(1), record(2, 1, "x", "ftp://example.com/h")),
		Entry("a negative id", "the id must be positive", good(1), record(-3, 1, "x", "https://example.com/h")),
		Entry("negative usage counters", "usage counters may not be negative", good(1),
			`{"webhook":{"id":2,"events":["a.b"],"targetUrl":"https://example.com/h","state":1,"type":"webhook"},"usage":{"TotalCalls":-1}}`),
	)

	It("removes temporary files a crash left behind and keeps the last complete store", func() {
		s := open(reference.Options{})
		createCoreHook(s, "before crash", target.URL(), "a.b")
		Expect(s.Close()).To(Succeed())
		torn := filepath.Join(dir, ".webhooks.json.123.tmp")
		Expect(os.WriteFile(torn, []byte(`{"version":1,"nextId":9,"webh`), 0o644)).To(Succeed())

		s2 := open(reference.Options{})
		DeferCleanup(s2.Close)
		all, _ := s2.List(coreCtx, coreAdmin, reference.Filter{})
		Expect(all).To(HaveLen(1))
		Expect(torn).NotTo(BeAnExistingFile())
	})

	It("keeps working in memory without DataDir", func() {
		s := newCoreService(reference.Options{})
		createCoreHook(s, "mem", target.URL(), "a.b")
		entries, _ := os.ReadDir(dir)
		Expect(entries).To(BeEmpty())
	})
})
