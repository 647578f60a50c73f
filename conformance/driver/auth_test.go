package driver_test

import (
	"encoding/base64"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/conformance/driver"
)

var _ = Describe("Auth", func() {
	DescribeTable("ParseAuth accepts the three schemes",
		func(in string, want driver.Auth, header string) {
			got, err := driver.ParseAuth(in)
			Expect(err).NotTo(HaveOccurred())
			Expect(got).To(Equal(want))
			Expect(got.Header()).To(Equal(header))
		},
		Entry("basic with a colon in the password", "basic:ann:pa:ss", driver.Auth{Scheme: "basic", User: "ann", Password: "pa:ss"},
			"Basic "+base64.StdEncoding.EncodeToString([]byte("ann:pa:ss"))),
		Entry("bearer", "Bearer:7A:tok", driver.Auth{Scheme: "bearer", Token: "7A:tok"}, "Bearer 7A:tok"),
		Entry("soticket", "soticket:7T:abc", driver.Auth{Scheme: "soticket", Token: "7T:abc"}, "SoTicket 7T:abc"),
	)

	It("ParseAuthList splits several schemes, keeping commas inside a password", func() {
		got, err := driver.ParseAuthList("basic:ann:pa,ss,soticket:7T:abc,Bearer:7A:tok")
		Expect(err).NotTo(HaveOccurred())
		Expect(got).To(Equal([]driver.Auth{
			{Scheme: "basic", User: "ann", Password: "pa,ss"},
			{Scheme: "soticket", Token: "7T:abc"},
			{Scheme: "bearer", Token: "7A:tok"},
		}))
		_, err = driver.ParseAuthList("soticket:7T:a,soticket:7T:b")
		Expect(err).To(MatchError(ContainSubstring("given twice")))
		_, err = driver.ParseAuthList("basic:ann:s3cret,bearer:")
		Expect(err).To(HaveOccurred())
		Expect(err.Error()).NotTo(ContainSubstring("s3cret"))
	})

	DescribeTable("ParseAuth refuses malformed credentials without echoing them",
		func(in string) {
			_, err := driver.ParseAuth(in)
			Expect(err).To(HaveOccurred())
			Expect(err.Error()).NotTo(ContainSubstring("s3cret"))
		},
		Entry("no scheme", "s3cret"),
		Entry("unknown scheme", "digest:s3cret"),
		Entry("basic without password separator", "basic:s3cret"),
		Entry("empty token", "bearer:"),
	)

	It("gives a SOAP ticket only for SoTicket", func() {
		Expect(driver.Auth{Scheme: "soticket", Token: "7T:x"}.Ticket()).To(Equal("7T:x"))
		Expect(driver.Auth{Scheme: "bearer", Token: "7A:x"}.Ticket()).To(BeEmpty())
	})

	It("builds a wrong credential of the same scheme", func() {
		a := driver.Auth{Scheme: "basic", User: "ann", Password: "pw"}
		Expect(a.Wrong().Scheme).To(Equal("basic"))
		Expect(a.Wrong().User).To(Equal("ann"))
		Expect(a.Wrong().Password).NotTo(Equal("pw"))
		t := driver.Auth{Scheme: "soticket", Token: "7T:x"}
		Expect(t.Wrong().Ticket()).NotTo(Equal("7T:x"))
		Expect(driver.Auth{}.Wrong().Header()).NotTo(BeEmpty())
	})

	It("never prints a secret", func() {
		Expect(driver.Auth{Scheme: "basic", User: "ann", Password: "s3cret"}.String()).To(Equal("basic:ann:***"))
		Expect(driver.Auth{Scheme: "bearer", Token: "s3cret"}.String()).NotTo(ContainSubstring("s3cret"))
		Expect(driver.Auth{}.String()).To(Equal("none"))
	})
})
