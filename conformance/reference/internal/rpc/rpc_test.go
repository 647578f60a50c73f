package rpc_test

import (
	"context"
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/conformance/reference"
	"github.com/hookcheck/hookcheck/conformance/reference/internal/reftest"
	"github.com/hookcheck/hookcheck/conformance/reference/internal/rpc"
)

// TestRPC is the package's only Ginkgo entry point.
func TestRPC(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "reference/internal/rpc")
}

var _ = Describe("the RPC operation table (operations.go)", func() {
	var (
		svc    *reference.Service
		caller = reference.Caller{Associate: &reference.DefaultAssociate}
	)
	BeforeEach(func() {
		var err error
		svc, err = reference.New(reference.Options{AllowHTTP: true})
		Expect(err).NotTo(HaveOccurred())
		DeferCleanup(svc.Close)
	})
	call := func(ctx context.Context, name string, a rpc.Args) (rpc.Reply, error) {
		op := rpc.Lookup(name)
		Expect(op).NotTo(BeNil(), name)
		return op.Call(ctx, svc, caller, a)
	}

	It("lists the eight operations of the WSDL, in its order", func() {
		Expect(rpc.Names()).To(Equal("CreateDefaultWebhook, SaveWebhook, DeleteWebhook, GetWebhook, " +
			"GetAllWebhooks, TestWebhook, SignalEvent, GetLastError"))
	})

	It("finds operations by exact name, or case-insensitively with LookupFold", func() {
		Expect(rpc.Lookup("getwebhook")).To(BeNil())
		Expect(rpc.LookupFold("getwebhook")).To(BeIdenticalTo(rpc.Lookup("GetWebhook")))
		Expect(rpc.LookupFold("NoSuchMethod")).To(BeNil())
	})

	It("answers a missing webhook with a null reply of the operation's kind (spec §9 #18)", func(ctx SpecContext) {
		r, err := call(ctx, "GetWebhook", rpc.Args{WebhookID: 404})
		Expect(err).NotTo(HaveOccurred())
		Expect(r).To(Equal(rpc.Reply{Kind: rpc.OneWebhook, Null: true}))

		r, err = call(ctx, "GetLastError", rpc.Args{WebhookID: 404})
		Expect(err).NotTo(HaveOccurred())
		Expect(r).To(Equal(rpc.Reply{Kind: rpc.Text, Null: true}))
	})

	It("keeps KindNotFound an error where null is not the rule", func(ctx SpecContext) {
		_, err := call(ctx, "DeleteWebhook", rpc.Args{WebhookID: 404})
		Expect(reftest.Kind(err)).To(Equal(reference.KindNotFound))
	})

	It("refuses SaveWebhook and TestWebhook without their Webhook", func(ctx SpecContext) {
		for _, name := range []string{"SaveWebhook", "TestWebhook"} {
			_, err := call(ctx, name, rpc.Args{})
			Expect(reftest.Kind(err)).To(Equal(reference.KindInvalid), name)
		}
	})

	It("answers CreateDefaultWebhook with the defaults and GetAllWebhooks with a list", func(ctx SpecContext) {
		def, err := call(ctx, "CreateDefaultWebhook", rpc.Args{})
		Expect(err).NotTo(HaveOccurred())
		Expect(def.Kind).To(Equal(rpc.OneWebhook))
		Expect(def.Webhook.Events).To(Equal([]string{"contact.created", "contact.deleted"}))

		got, err := call(ctx, "GetAllWebhooks", rpc.Args{})
		Expect(err).NotTo(HaveOccurred())
		Expect(got.Kind).To(Equal(rpc.Webhooks))
		Expect(got.List).To(BeEmpty())
		Expect(got.Null).To(BeFalse())
	})
})
