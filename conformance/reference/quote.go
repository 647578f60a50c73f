package reference

import (
	"fmt"
	"strconv"
	"unicode/utf8"
)

// maxQuoted bounds how many bytes of a caller's input an error message
// repeats.
const maxQuoted = 80

// Quote returns s quoted as %q does, cut after its first maxQuoted bytes
// (on a rune boundary) with the full length said, so that an error about a
// 100 KB id or URL does not send the input back whole.
func Quote(s string) string {
	if len(s) <= maxQuoted {
		return strconv.Quote(s)
	}
	cut := maxQuoted
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return fmt.Sprintf("%s… (%d bytes)", strconv.Quote(s[:cut]), len(s))
}
