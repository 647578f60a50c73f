package reference

import (
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"
)

// MaxErrorText is the bound of last_error and of TestWebhook's Message, in
// characters (spec §1.7, §9 #30).
const MaxErrorText = 4000

// Response is what a Sender got back from a target.
type Response struct {
	Status     int    // 200
	StatusLine string // "HTTP/1.1 200 OK"
	Header     http.Header
	Body       []byte // at most the sender's body limit
}

// Text renders the response as NetServer reports it in last_error and in
// TestWebhook's Message: status line, headers (sorted by name), a blank line
// and the body, cut to MaxErrorText characters.
func (r *Response) Text() string {
	var b strings.Builder
	b.WriteString(r.StatusLine)
	b.WriteString("\r\n")
	names := make([]string, 0, len(r.Header))
	for k := range r.Header {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, k := range names {
		for _, v := range r.Header[k] {
			b.WriteString(k)
			b.WriteString(": ")
			b.WriteString(v)
			b.WriteString("\r\n")
		}
	}
	b.WriteString("\r\n")
	b.WriteString(strings.ToValidUTF8(string(r.Body), "\uFFFD"))
	return LimitText(b.String(), MaxErrorText)
}

// LimitText returns s cut to at most n characters (runes), as valid UTF-8.
func LimitText(s string, n int) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	i := 0
	for c := 0; c < n; c++ {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return s[:i]
}
