package mailsink

import (
	"bytes"
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"net/textproto"
	"strings"
)

// maxMultipartDepth bounds how deeply nested multipart entities are searched
// for a text/plain part.
const maxMultipartDepth = 8

// parseMessage returns the decoded subject and body text of the RFC 5322
// message raw. The body is the text/plain content decoded from its
// Content-Transfer-Encoding, or, for a multipart message, the first
// text/plain part that is not an attachment; otherwise it is the raw body.
// When raw cannot be parsed as a message, the subject is empty and the body
// is raw itself.
func parseMessage(raw []byte) (subject, body string) {
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return "", string(raw)
	}
	content, err := io.ReadAll(msg.Body)
	if err != nil { // reading from memory does not fail; keep the data anyway
		return "", string(raw)
	}
	subject = decodeHeader(msg.Header.Get("Subject"))
	if text, ok := plainText(textproto.MIMEHeader(msg.Header), content, 0); ok {
		return subject, text
	}
	return subject, string(content)
}

// decodeHeader decodes the MIME encoded-words (RFC 2047) in v; when a word
// cannot be decoded, for example because of an unknown charset, it returns
// v unchanged.
func decodeHeader(v string) string {
	var d mime.WordDecoder
	decoded, err := d.DecodeHeader(v)
	if err != nil {
		return v
	}
	return decoded
}

// plainText returns the text of the entity with header h and body content
// when it is text/plain, or of its first text/plain part when it is
// multipart. It reports false when there is no such text.
func plainText(h textproto.MIMEHeader, content []byte, depth int) (string, bool) {
	mediaType, params := "text/plain", map[string]string{}
	if ct := h.Get("Content-Type"); ct != "" {
		// A bad parameter still yields the media type (with an error), so
		// only a missing media type makes the entity unusable.
		mediaType, params, _ = mime.ParseMediaType(ct)
		if mediaType == "" {
			return "", false
		}
	}
	switch {
	case mediaType == "text/plain":
		return toUTF8(params["charset"], decodeTransfer(h.Get("Content-Transfer-Encoding"), content)), true
	case strings.HasPrefix(mediaType, "multipart/") && depth < maxMultipartDepth:
		return firstPlainPart(content, params["boundary"], depth)
	}
	return "", false
}

// firstPlainPart searches the multipart body content for its first
// text/plain part that is not an attachment, depth first.
func firstPlainPart(content []byte, boundary string, depth int) (string, bool) {
	if boundary == "" {
		return "", false
	}
	mr := multipart.NewReader(bytes.NewReader(content), boundary)
	for {
		// NextRawPart leaves the transfer encoding to decodeTransfer, the
		// same as for a single-part message.
		p, err := mr.NextRawPart()
		if err != nil {
			return "", false
		}
		partContent, err := io.ReadAll(p)
		if err != nil {
			return "", false
		}
		if isAttachment(p.Header) {
			continue
		}
		if text, ok := plainText(p.Header, partContent, depth+1); ok {
			return text, true
		}
	}
}

// isAttachment reports whether h declares its entity an attachment.
func isAttachment(h textproto.MIMEHeader) bool {
	disposition, _, err := mime.ParseMediaType(h.Get("Content-Disposition"))
	return err == nil && disposition == "attachment"
}

// decodeTransfer decodes content per the Content-Transfer-Encoding cte. It
// returns content unchanged for an identity or unknown encoding, or when
// the content does not decode.
func decodeTransfer(cte string, content []byte) []byte {
	var r io.Reader
	switch strings.ToLower(strings.TrimSpace(cte)) {
	case "quoted-printable":
		r = quotedprintable.NewReader(bytes.NewReader(content))
	case "base64":
		r = base64.NewDecoder(base64.StdEncoding, bytes.NewReader(bytes.TrimSpace(content)))
	default:
		return content
	}
	decoded, err := io.ReadAll(r)
	if err != nil {
		return content
	}
	return decoded
}

// toUTF8 converts text from charset to UTF-8 when the charset is
// ISO-8859-1; text in any other charset is returned as is.
func toUTF8(charset string, text []byte) string {
	switch strings.ToLower(strings.TrimSpace(charset)) {
	case "iso-8859-1", "iso_8859-1", "latin1", "l1":
		var b strings.Builder
		b.Grow(len(text))
		for _, c := range text {
			b.WriteRune(rune(c))
		}
		return b.String()
	}
	return string(text)
}
