package reference_test

import (
	"strings"
	"unicode/utf8"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/conformance/reference"
)

var _ = Describe("Quote", func() {
	It("quotes short input as %q does", func() {
		Expect(reference.Quote(`a "b"`)).To(Equal(`"a \"b\""`))
	})

	It("cuts long input on a rune boundary and says how long it was", func() {
		s := strings.Repeat("é", 1000) // 2 bytes a rune
		q := reference.Quote(s)
		Expect(q).To(HaveSuffix("… (2000 bytes)"))
		Expect(len(q)).To(BeNumerically("<", 120))
		Expect(utf8.ValidString(q)).To(BeTrue())
		Expect(q).NotTo(ContainSubstring(`\x`), "no rune is split")
	})
})
