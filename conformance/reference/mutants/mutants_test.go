package mutants_test

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/conformance/reference"
	"github.com/hookcheck/hookcheck/conformance/reference/mutants"
	"github.com/hookcheck/hookcheck/conformance/reference/server"
	"github.com/hookcheck/hookcheck/reports"
)

// catalogueFile is the clause catalogue mutants cite.
const catalogueFile = "../../../fixtures/clauses.yaml"

// componentFields are the Options fields a mutant may replace.
var componentFields = []string{
	"Clock", "Signer", "RetryPolicy", "SuccessPolicy", "PayloadBuilder", "HeaderBuilder",
	"StateEvents", "Matcher", "Verifier", "Mailer", "CertVerifier", "Sender", "ScriptRunner", "EventIDs",
	"Accounting", "Gate", "Access", "Validator", "Defaults",
}

// changedFields returns the names of the fields of o that are not zero.
func changedFields(o reference.Options) []string {
	var out []string
	v := reflect.ValueOf(o)
	for i := range v.NumField() {
		if !v.Field(i).IsZero() {
			out = append(out, v.Type().Field(i).Name)
		}
	}
	return out
}

var _ = Describe("the mutant catalogue", func() {
	all := mutants.All()

	It("holds at least 30 mutants", func() {
		Expect(len(all)).To(BeNumerically(">=", 30))
	})

	It("registers every mutant once, under a unique kebab-case name", func() {
		seen := map[string]bool{}
		kebab := regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
		for _, m := range all {
			Expect(m.Name).To(MatchRegexp(kebab.String()), "mutant name %q", m.Name)
			Expect(seen).NotTo(HaveKey(m.Name), "mutant %s is registered twice", m.Name)
			seen[m.Name] = true
		}
		Expect(mutants.Names()).To(HaveLen(len(all)))
	})

	It("describes every mutant in one line and names its component", func() {
		for _, m := range all {
			Expect(m.Description).NotTo(BeEmpty(), m.Name)
			Expect(m.Description).NotTo(ContainSubstring("\n"), m.Name)
			Expect(m.Component).NotTo(BeEmpty(), m.Name)
			Expect(m.Apply).NotTo(BeNil(), m.Name)
		}
	})

	It("cites only clauses of the catalogue, at least one each", func() {
		cat, err := reports.LoadCatalogue(catalogueFile)
		Expect(err).NotTo(HaveOccurred())
		for _, m := range all {
			Expect(m.Clauses).NotTo(BeEmpty(), m.Name)
			for _, id := range m.Clauses {
				_, ok := cat.Lookup(id)
				Expect(ok).To(BeTrue(), "mutant %s cites clause %s, which %s lacks", m.Name, id, catalogueFile)
			}
		}
	})

	It("looks mutants up by name and reports unknown names", func() {
		m, ok := mutants.Lookup("signature-hex")
		Expect(ok).To(BeTrue())
		Expect(m.Component).To(Equal("Signer"))
		_, ok = mutants.Lookup("no-such-mutant")
		Expect(ok).To(BeFalse())
		_, err := mutants.Find("no-such-mutant")
		var unknown *mutants.UnknownError
		Expect(errors.As(err, &unknown)).To(BeTrue())
		Expect(err.Error()).To(ContainSubstring("signature-hex"), "the error lists the known names")
	})

	It("replaces exactly one component, the one it names", func() {
		for _, m := range all {
			var h []server.HandlerOption
			var o reference.Options
			Expect(m.Apply(&o, &h)).To(Succeed(), m.Name)
			changed := changedFields(o)
			Expect(len(changed)+len(h)).To(Equal(1), "mutant %s changes the Options fields %v and adds %d HandlerOptions; a mutant replaces exactly one component", m.Name, changed, len(h))
			if len(changed) == 1 {
				Expect(componentFields).To(ContainElement(changed[0]), "mutant %s sets %s, which is not a component", m.Name, changed[0])
				Expect(m.Component).To(Equal(changed[0]), "mutant %s names its component", m.Name)
			} else {
				Expect(m.Component).To(HavePrefix("With"), "mutant %s names the HandlerOption it adds", m.Name)
			}
		}
	})

	It("keeps the plain fields and the schedule the caller set", func() {
		for _, m := range all {
			sched := reference.DefaultSchedule()
			sched.Delays = []time.Duration{7 * time.Millisecond, 9 * time.Millisecond}
			o := reference.Options{AllowHTTP: true, RetryPolicy: sched, SMTPAddr: "127.0.0.1:2525", TimeScale: 0.5}
			built, _, err := m.Build(o)
			Expect(err).NotTo(HaveOccurred(), m.Name)
			Expect(built.AllowHTTP).To(BeTrue(), m.Name)
			Expect(built.RetryPolicy.Delay(2)).To(Equal(7*time.Millisecond), m.Name)
			Expect(built.SMTPAddr).To(Equal("127.0.0.1:2525"), m.Name)
			Expect(built.TimeScale).To(Equal(0.5), m.Name)
		}
	})

	It("builds a working service with every mutant", func() {
		for _, m := range all {
			o, h, err := m.Build(reference.Options{})
			Expect(err).NotTo(HaveOccurred(), m.Name)
			svc, err := reference.New(o)
			Expect(err).NotTo(HaveOccurred(), m.Name)
			Expect(server.NewHandler(svc, reference.Auth{Ticket: "7T:x"}, h...)).NotTo(BeNil(), m.Name)
			Expect(svc.Close()).To(Succeed(), m.Name)
		}
	})

	It("leaves the reference core and its front ends free of mutants", func() {
		var files []string
		for _, pattern := range []string{"../*.go", "../internal/*/*.go", "../server/*.go"} {
			matched, err := filepath.Glob(pattern)
			Expect(err).NotTo(HaveOccurred())
			Expect(matched).NotTo(BeEmpty(), pattern)
			files = append(files, matched...)
		}
		for _, f := range files {
			data, err := os.ReadFile(f)
			Expect(err).NotTo(HaveOccurred())
			Expect(strings.ToLower(string(data))).NotTo(ContainSubstring("mutant"), "%s mentions mutants: faults are installed through the options only", f)
		}
	})
})
