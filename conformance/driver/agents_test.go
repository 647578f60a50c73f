package driver_test

import (
	"context"
	"errors"
	"net/http"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/conformance/driver"
)

var _ = Describe("Agents driver", func() {
	var (
		f   *fake
		d   *driver.AgentsDriver
		ctx = context.Background()
	)
	BeforeEach(func() {
		f = newFake()
		var err error
		d, err = driver.NewAgents(driver.Config{BaseURL: f.srv.URL, Auth: driver.Auth{Scheme: "basic", User: "u", Password: "p"}})
		Expect(err).NotTo(HaveOccurred())
	})

	It("POSTs every call to its agent method", func() {
		f.answer(200, sampleJSON)
		_, err := d.Default(ctx)
		Expect(err).NotTo(HaveOccurred())
		Expect(f.last().Method).To(Equal(http.MethodPost))
		Expect(f.last().Path).To(Equal("/api/v1/Agents/Webhook/CreateDefaultWebhook"))
		Expect(f.last().Header.Get("Authorization")).To(HavePrefix("Basic "))
		Expect(f.last().Header.Get("SO-AppToken")).To(BeEmpty())
	})

	It("saves with WebhookId 0 to create and the id to update", func() {
		f.answer(200, sampleJSON)
		_, err := d.Create(ctx, driver.Webhook{ID: 44, Name: "n"})
		Expect(err).NotTo(HaveOccurred())
		Expect(f.last().Path).To(Equal("/api/v1/Agents/Webhook/SaveWebhook"))
		Expect(f.last().Body).To(ContainSubstring(`"WebhookId":0`))
		_, err = d.Update(ctx, driver.Webhook{ID: 44, Name: "n"})
		Expect(err).NotTo(HaveOccurred())
		Expect(f.last().Body).To(ContainSubstring(`"WebhookId":44`))
	})

	It("passes ids in the query and answers nil for null", func() {
		f.answer(200, `null`)
		wh, err := d.Get(ctx, 7, driver.Select("Name"))
		Expect(err).NotTo(HaveOccurred())
		Expect(wh).To(BeNil())
		Expect(f.last().Path).To(Equal("/api/v1/Agents/Webhook/GetWebhook"))
		Expect(f.last().RawQuery).To(Equal("%24select=Name&webhookId=7"))
		f.answer(204, "")
		Expect(d.Delete(ctx, 7)).To(Succeed())
		Expect(f.last().RawQuery).To(Equal("WebhookId=7"))
	})

	It("sends the documented bodies", func() {
		f.answer(200, `[]`)
		_, err := d.List(ctx, driver.Filter{Name: "n", Status: "Active"})
		Expect(err).NotTo(HaveOccurred())
		Expect(f.last().Body).To(MatchJSON(`{"NameFilter":"n","StatusFilter":"Active"}`))
		f.answer(200, `{"Success":true,"Message":""}`)
		res, err := d.Test(ctx, driver.Webhook{Name: "t"})
		Expect(err).NotTo(HaveOccurred())
		Expect(res.Success).To(BeTrue())
		Expect(f.last().Body).To(ContainSubstring(`{"Webhook":{`))
		f.answer(204, "")
		Expect(d.Signal(ctx, "a.b", 3, map[string]any{"x": 1})).To(Succeed())
		Expect(f.last().Body).To(MatchJSON(`{"EventName":"a.b","PrimaryKey":3,"Data":{"x":1}}`))
		f.answer(200, `"oops"`)
		Expect(d.LastError(ctx, 3)).To(Equal("oops"))
		Expect(f.last().Body).To(MatchJSON(`{"WebhookId":3}`))
	})

	It("has no PATCH", func() {
		_, err := d.Patch(ctx, 1, driver.Patch{})
		Expect(errors.Is(err, driver.ErrUnsupported)).To(BeTrue())
	})

	It("turns an error answer into an *Error", func() {
		f.answer(401, `{"Error":true,"ErrorType":"UnauthorizedAccessException","ErrorMessage":"no"}`)
		_, err := d.Default(ctx)
		de, ok := driver.AsError(err)
		Expect(ok).To(BeTrue())
		Expect(de.Style).To(Equal(driver.Agents))
		Expect(de.Status).To(Equal(401))
		Expect(de.ErrorType).To(Equal("UnauthorizedAccessException"))
	})
})
