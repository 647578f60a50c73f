package reference_test

import (
	"encoding/base64"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/conformance/reference"
	"github.com/hookcheck/hookcheck/conformance/reference/internal/httpapi"
	"github.com/hookcheck/hookcheck/conformance/reference/internal/reftest"
)

var _ = Describe("Auth (auth.go)", func() {
	auth := reference.Auth{User: "tje0", Password: "Tje0", Ticket: "7T:dGlja2V0", Bearer: "7A:YWNjZXNz"}

	DescribeTable("accepts each enabled scheme, scheme names in any case",
		func(header string) {
			as, err := auth.FromHeader(header)
			Expect(err).NotTo(HaveOccurred())
			Expect(as).NotTo(BeNil())
			Expect(as.AssociateID).To(Equal(reference.DefaultAssociate.AssociateID))
			Expect(as.UserName).To(Equal("tje0"))
		},
		Entry("Basic", reftest.Basic("tje0", "Tje0")),
		Entry("basic lower case", "basic "+base64.StdEncoding.EncodeToString([]byte("tje0:Tje0"))),
		Entry("SoTicket", "SoTicket 7T:dGlja2V0"),
		Entry("SOTICKET", "SOTICKET   7T:dGlja2V0"),
		Entry("Bearer", "Bearer 7A:YWNjZXNz"),
		Entry("bearer", "bearer 7A:YWNjZXNz"),
	)

	DescribeTable("refuses missing or wrong credentials with KindUnauthorized",
		func(a reference.Auth, header string) {
			as, err := a.FromHeader(header)
			Expect(as).To(BeNil())
			Expect(reftest.Kind(err)).To(Equal(reference.KindUnauthorized))
			Expect(httpapi.ErrorStatus(err)).To(Equal(401))
		},
		Entry("no header", auth, ""),
		Entry("wrong password", auth, reftest.Basic("tje0", "wrong")),
		Entry("wrong user", auth, reftest.Basic("other", "Tje0")),
		Entry("password prefix", auth, reftest.Basic("tje0", "Tje")),
		Entry("not base64", auth, "Basic %%%"),
		Entry("no colon", auth, "Basic "+base64.StdEncoding.EncodeToString([]byte("tje0Tje0"))),
		Entry("wrong ticket", auth, "SoTicket 7T:other"),
		Entry("empty ticket", auth, "SoTicket "),
		Entry("wrong bearer", auth, "Bearer 7A:other"),
		Entry("empty bearer", auth, "Bearer"),
		Entry("unknown scheme", auth, "Digest abc"),
		Entry("Basic disabled", reference.Auth{Ticket: "t"}, reftest.Basic("", "")),
		Entry("SoTicket disabled", reference.Auth{User: "u"}, "SoTicket "),
		Entry("Bearer disabled", reference.Auth{User: "u"}, "Bearer "),
		Entry("zero Auth", reference.Auth{}, reftest.Basic("", "")),
	)

	It("splits Basic credentials at the first colon", func() {
		a := reference.Auth{User: "u", Password: "p:q"}
		_, err := a.FromHeader(reftest.Basic("u", "p:q"))
		Expect(err).NotTo(HaveOccurred())
		_, err = a.FromHeader(reftest.Basic("u", ":p:q"))
		Expect(reftest.Kind(err)).To(Equal(reference.KindUnauthorized))
	})

	It("checks SOAP tickets with FromTicket", func() {
		as, err := auth.FromTicket(" 7T:dGlja2V0 ")
		Expect(err).NotTo(HaveOccurred())
		Expect(as.AssociateID).To(Equal(int32(5)))
		_, err = auth.FromTicket("7T:nope")
		Expect(reftest.Kind(err)).To(Equal(reference.KindUnauthorized))
		_, err = auth.FromTicket("")
		Expect(reftest.Kind(err)).To(Equal(reference.KindUnauthorized))
		_, err = reference.Auth{}.FromTicket("")
		Expect(reftest.Kind(err)).To(Equal(reference.KindUnauthorized))
	})

	It("maps credentials to the configured associate and hands out copies", func() {
		a := reference.Auth{Ticket: "t", Associate: reference.Associate{AssociateID: 77, Name: "X"}}
		first, err := a.FromTicket("t")
		Expect(err).NotTo(HaveOccurred())
		Expect(*first).To(Equal(reference.Associate{AssociateID: 77, Name: "X"}))
		first.Name = "changed"
		second, err := a.FromTicket("t")
		Expect(err).NotTo(HaveOccurred())
		Expect(second.Name).To(Equal("X"))
	})
})
