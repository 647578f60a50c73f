package receiver_test

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/receiver"
	"github.com/hookcheck/hookcheck/receiver/api"
	"github.com/hookcheck/hookcheck/receiver/client"
)

// hmacSHA256 is the raw MAC the spec (§4.6) prescribes, computed here
// without the receiver's code.
func hmacSHA256(secret string, body []byte) []byte {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return m.Sum(nil)
}

// externalSigner computes a signature with a tool outside Go; it returns
// the base64 signature or skips the spec when the tool is missing.
type externalSigner func(secret string, body []byte) string

// opensslSigner runs `openssl dgst -sha256 -hmac SECRET -binary | base64`.
func opensslSigner(secret string, body []byte) string {
	GinkgoHelper()
	for _, tool := range []string{"openssl", "base64", "sh"} {
		if _, err := exec.LookPath(tool); err != nil {
			Skip(fmt.Sprintf("%s is not installed on this machine: %v", tool, err))
		}
	}
	cmd := exec.Command("sh", "-c", `openssl dgst -sha256 -hmac "$HOOKCHECK_TEST_SECRET" -binary | base64`)
	cmd.Env = append(os.Environ(), "HOOKCHECK_TEST_SECRET="+secret)
	cmd.Stdin = bytes.NewReader(body)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	Expect(err).NotTo(HaveOccurred(), "openssl: %s", stderr.String())
	return strings.TrimSpace(string(out))
}

// pythonSigs caches python3's signatures by secret and body: starting the
// interpreter is slow, so one run signs every vector.
var pythonSigs map[[2]string]string

// pythonSigner computes the signature with python3's hmac, hashlib and
// base64 modules. The first call signs all of signatureVectors at once.
func pythonSigner(secret string, body []byte) string {
	GinkgoHelper()
	if _, err := exec.LookPath("python3"); err != nil {
		Skip(fmt.Sprintf("python3 is not installed on this machine: %v", err))
	}
	key := [2]string{secret, string(body)}
	if sig, ok := pythonSigs[key]; ok {
		return sig
	}
	// Each input line is "hex(secret) hex(body)"; each output line the
	// signature.
	const prog = `import base64, hashlib, hmac, sys
for line in sys.stdin:
    key, body = (bytes.fromhex(f) for f in line.split(" "))
    mac = hmac.new(key, body, hashlib.sha256).digest()
    print(base64.b64encode(mac).decode("ascii"))`
	inputs := append([][2]string{key}, func() (out [][2]string) {
		for _, v := range signatureVectors {
			out = append(out, [2]string{v.secret, string(v.body)})
		}
		return out
	}()...)
	var stdin bytes.Buffer
	for _, in := range inputs {
		fmt.Fprintf(&stdin, "%x %x\n", in[0], in[1])
	}
	cmd := exec.Command("python3", "-c", prog)
	cmd.Stdin = &stdin
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	Expect(err).NotTo(HaveOccurred(), "python3: %s", stderr.String())
	sigs := strings.Fields(string(out))
	Expect(sigs).To(HaveLen(len(inputs)), "python3 printed %q", out)
	if pythonSigs == nil {
		pythonSigs = map[[2]string]string{}
	}
	for i, in := range inputs {
		pythonSigs[in] = sigs[i]
	}
	return pythonSigs[key]
}

// signatureVectors are the secrets and bodies checked against the
// independent signers.
var signatureVectors = []struct {
	name, secret string
	body         []byte
}{
	{"an ASCII secret and a JSON body", "whsec-Tq9x", []byte(`{"EventId":"88f91933-edce-4c1a-8ded-ade8e2f72434","Event":"contact.changed","PrimaryKey":18}`)},
	{"a non-ASCII secret and body", "sécret-ключ-秘密-🔑", []byte(`{"WebhookName":"Ærlig Øl – 東京 ✓","Event":"contact.changed"}`)},
	{"a body with newlines, tabs and trailing spaces", "s", []byte("{\n\t\"Changes\": [\"name\"] ,  \r\n  \"PrimaryKey\": 7 }  \n")},
	{"a body that is not UTF-8", "k", []byte{0xff, 0x00, 0xfe, '{', 0x80, '}'}},
}

var _ = Describe("Signature verification (spec §4.6)", func() {
	const secret = "whsec-Tq9x"
	var (
		c  *client.Client
		ch api.Channel
		hc *http.Client
	)

	BeforeEach(func() {
		_, c = startReceiver(receiver.Config{})
		ch = newChannel(c, api.ChannelRequest{Secret: secret})
		hc = freshClient(callWait)
	})

	// verdict sends body with the given signature header (none when sig is
	// nil) and returns the receiver's recorded verdict.
	verdict := func(channel api.Channel, body []byte, header http.Header) string {
		GinkgoHelper()
		before := allCalls(c, channel.ID).Last
		Expect(post(hc, channel.URL, body, header)).To(Equal(http.StatusOK))
		return callNo(c, channel.ID, before+1).Signature
	}
	signed := func(sig string) http.Header { return hdr("X-SuperOffice-Signature", sig) }

	It("says valid for base64(HMAC-SHA256(secret, raw body)) and answers 200", func() {
		body := []byte(`{"EventId":"4b5ce038","Event":"test","PrimaryKey":0}`)
		sig := base64.StdEncoding.EncodeToString(hmacSHA256(secret, body))
		Expect(receiver.Sign(secret, body)).To(Equal(sig))
		Expect(verdict(ch, body, signed(sig))).To(Equal(api.SignatureValid))
	})

	It("finds the header whatever the case of its name", func() {
		body := []byte(`{"Event":"contact.changed"}`)
		sig := receiver.Sign(secret, body)
		Expect(verdict(ch, body, hdr("x-superoffice-signature", sig))).To(Equal(api.SignatureValid))
		Expect(verdict(ch, body, hdr("X-SUPEROFFICE-SIGNATURE", sig))).To(Equal(api.SignatureValid))
	})

	It("says invalid for a signature made with another secret", func() {
		body := []byte(`{"Event":"contact.changed"}`)
		Expect(verdict(ch, body, signed(receiver.Sign("other-secret", body)))).To(Equal(api.SignatureInvalid))
	})

	It("says invalid for a signature over another body", func() {
		Expect(verdict(ch, []byte(`{"PrimaryKey":2}`), signed(receiver.Sign(secret, []byte(`{"PrimaryKey":1}`))))).To(Equal(api.SignatureInvalid))
	})

	It("says missing when a channel with a secret gets no signature header", func() {
		Expect(verdict(ch, []byte(`{"Event":"test"}`), nil)).To(Equal(api.SignatureMissing))
	})

	It("says unchecked on a channel without a secret, even when a signature is sent", func() {
		open := newChannel(c, api.ChannelRequest{})
		body := []byte(`{"Event":"test"}`)
		Expect(verdict(open, body, signed(receiver.Sign(secret, body)))).To(Equal(api.SignatureUnchecked))
		Expect(verdict(open, body, nil)).To(Equal(api.SignatureUnchecked))
	})

	It("signs the body only: other headers do not change the verdict", func() {
		body := []byte(`{"Event":"sale.created"}`)
		h := signed(receiver.Sign(secret, body))
		h.Set("X-SuperOffice-Event", "sale.created")
		h.Set("X-Custom", "anything at all")
		Expect(verdict(ch, body, h)).To(Equal(api.SignatureValid))
	})

	It("hashes the raw bytes, so whitespace in the body matters", func() {
		compact := []byte(`{"Event":"contact.changed","PrimaryKey":18}`)
		pretty := []byte("{\n  \"Event\": \"contact.changed\",\n  \"PrimaryKey\": 18\n}")
		sig := receiver.Sign(secret, compact)
		Expect(verdict(ch, compact, signed(sig))).To(Equal(api.SignatureValid))
		Expect(verdict(ch, pretty, signed(sig))).To(Equal(api.SignatureInvalid))
		Expect(verdict(ch, append(append([]byte{}, compact...), '\n'), signed(sig))).To(Equal(api.SignatureInvalid))
		Expect(verdict(ch, append([]byte(" "), compact...), signed(sig))).To(Equal(api.SignatureInvalid))
	})

	It("verifies an empty body", func() {
		Expect(verdict(ch, []byte{}, signed(receiver.Sign(secret, nil)))).To(Equal(api.SignatureValid))
	})

	DescribeTable("says invalid for a header that is not standard base64 of 32 bytes",
		func(mangle func(mac []byte) string) {
			// A body whose signature holds '+' or '/', so that the URL-safe
			// alphabet really differs from the standard one.
			var body []byte
			for i := 0; ; i++ {
				body = fmt.Appendf(nil, `{"PrimaryKey":%d}`, i)
				if strings.ContainsAny(receiver.Sign(secret, body), "+/") {
					break
				}
			}
			Expect(verdict(ch, body, signed(mangle(hmacSHA256(secret, body))))).To(Equal(api.SignatureInvalid))
		},
		Entry("an empty value", func([]byte) string { return "" }),
		Entry("not base64 at all", func([]byte) string { return "not base64 at all!" }),
		Entry("hex instead of base64", func(mac []byte) string { return hex.EncodeToString(mac) }),
		Entry("the URL-safe alphabet", func(mac []byte) string { return base64.URLEncoding.EncodeToString(mac) }),
		Entry("no '=' padding", func(mac []byte) string { return base64.RawStdEncoding.EncodeToString(mac) }),
		Entry("16 bytes (too short)", func(mac []byte) string { return base64.StdEncoding.EncodeToString(mac[:16]) }),
		Entry("33 bytes (too long)", func(mac []byte) string { return base64.StdEncoding.EncodeToString(append(mac, 0)) }),
		Entry("a 'sha256=' prefix", func(mac []byte) string { return "sha256=" + base64.StdEncoding.EncodeToString(mac) }),
		Entry("the right MAC with one bit flipped", func(mac []byte) string {
			m := append([]byte{}, mac...)
			m[31] ^= 1
			return base64.StdEncoding.EncodeToString(m)
		}),
	)

	Describe("agreement with independent signers", func() {
		for _, signer := range []struct {
			name string
			sign externalSigner
		}{{"openssl", opensslSigner}, {"python3 hmac", pythonSigner}} {
			for _, v := range signatureVectors {
				It(fmt.Sprintf("says valid for a %s signature with %s", signer.name, v.name), func() {
					sig := signer.sign(v.secret, v.body)
					Expect(sig).To(Equal(receiver.Sign(v.secret, v.body)), "%s and receiver.Sign disagree", signer.name)
					Expect(sig).To(HaveLen(44))
					vch := newChannel(c, api.ChannelRequest{Secret: v.secret})
					Expect(verdict(vch, v.body, signed(sig))).To(Equal(api.SignatureValid))
				})
			}
		}
	})
})
