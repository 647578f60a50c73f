package cli_test

import (
	"net/http"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/onsi/gomega/gbytes"

	"github.com/hookcheck/hookcheck/conformance/reference/mutants"
)

var _ = Describe("hookcheck target with seeded faults", func() {
	It("lists every mutant with its component and clauses", func() {
		r := run(nil, "target", "--list-mutants")
		Expect(r.code).To(Equal(0), r.stderr)
		lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
		Expect(lines).To(HaveLen(len(mutants.All()) + 1))
		Expect(lines[0]).To(MatchRegexp(`^NAME\s+COMPONENT\s+CLAUSES\s+DESCRIPTION$`))
		for i, m := range mutants.All() {
			Expect(strings.Fields(lines[i+1])[:3]).To(Equal([]string{m.Name, m.Component, strings.Join(m.Clauses, ",")}))
		}
	})

	It("refuses an unknown mutant with exit 2 and one line", func() {
		r := run(nil, "target", "--listen", "127.0.0.1:0", "--mutant", "no-such-fault")
		Expect(r.code).To(Equal(2))
		Expect(strings.Count(strings.TrimSpace(r.stderr), "\n")).To(BeZero(), r.stderr)
		Expect(r.stderr).To(ContainSubstring(`--mutant: unknown mutant "no-such-fault"`))
	})

	It("serves the reference with the fault installed", func() {
		path := addrFile()
		s := startServer(nil, "target", "--listen", "127.0.0.1:0", "--addr-file", path, "--mutant", "rest-missing-auth-accepted")
		addrs := s.waitTargetAddrs(path)
		Eventually(s.stdout, quickly).Should(gbytes.Say(`mutant   rest-missing-auth-accepted: .* \(violates WH-SEC-001\)`))
		status, body := apiCall(http.MethodGet, addrs.Base+"/api/v1/Webhook/default", "", "")
		Expect(status).To(Equal(http.StatusOK), "the REST front end lets anonymous calls in: %s", body)
		status, _ = apiCall(http.MethodPost, addrs.Base+"/api/v1/Agents/Webhook/CreateDefaultWebhook", "", "")
		Expect(status).To(Equal(http.StatusUnauthorized), "the Agents front end still checks credentials")
		Expect(s.stop()).To(Equal(0))
	})
})
