package specs

import (
	"net/http"
	"net/url"
	"strconv"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/conformance/driver"
	. "github.com/hookcheck/hookcheck/conformance/framework"
)

// Spec area "crud", deleting a webhook, and the 204 that REST and Agents
// answer to it (spec §2.2 R7).
var _ = Describe("crud", func() {
	if !Area() {
		return
	}
	ForStyles(driver.Styles, func(st driver.Style) {
		It("deletes a webhook", Clause("WH-CRUD-017", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			created := s.Create(s.Hook(s.Channel()))
			Expect(s.D.Delete(ctx, created.ID)).To(Succeed())
			expectGone(s, created.ID)
		})
	})

	// The 204 is a wire detail of REST and Agents, checked on the raw
	// answer; the drivers accept any success.
	for _, raw := range []struct {
		st   driver.Style
		text string
		call func(s *Scenario, id string) (*driver.Response, error)
	}{
		{driver.REST, "answers 204 to DELETE /api/v1/Webhook/{id}", func(s *Scenario, id string) (*driver.Response, error) {
			return RESTOf(s).Do(s.Ctx(), http.MethodDelete, "/api/v1/Webhook/"+id, nil, nil)
		}},
		{driver.Agents, "answers 204 to DeleteWebhook", func(s *Scenario, id string) (*driver.Response, error) {
			return AgentsOf(s).Do(s.Ctx(), http.MethodPost, "DeleteWebhook", url.Values{"WebhookId": {id}}, nil, nil)
		}},
	} {
		Context(string(raw.st), func() {
			It(raw.text, Clause("WH-CRUD-017", raw.st), func(ctx SpecContext) {
				s := Begin(ctx, raw.st)
				created := s.Create(s.Hook(s.Channel()))
				resp, err := raw.call(s, strconv.Itoa(int(created.ID)))
				Expect(err).NotTo(HaveOccurred())
				Expect(resp.Status).To(Equal(http.StatusNoContent), "%s: %s", raw.text, resp.Body)
				expectGone(s, created.ID)
			})
		})
	}
})

// expectGone fails the spec unless the webhook id can no longer be read
// or listed through the spec's driver.
func expectGone(s *Scenario, id int32) {
	GinkgoHelper()
	got, err := s.D.Get(s.Ctx(), id)
	Expect(Absent(got, err)).To(BeTrue(), "the deleted webhook %d can still be read", id)
	list, err := s.D.List(s.Ctx(), driver.Filter{})
	Expect(err).NotTo(HaveOccurred())
	Expect(IDs(list)).NotTo(ContainElement(id), "the deleted webhook %d is still listed", id)
}
