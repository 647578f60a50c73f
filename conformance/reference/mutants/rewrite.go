package mutants

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"path"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
)

// maxRewriteBody bounds the request and answer bodies the rewriting
// middlewares of this file read.
const maxRewriteBody = 1 << 20

// requestBody reads r's body (at most maxRewriteBody bytes) and puts an
// unread copy back, so the handler behind still sees it.
func requestBody(r *http.Request) []byte {
	if r.Body == nil {
		return nil
	}
	body, _ := io.ReadAll(io.LimitReader(r.Body, maxRewriteBody)) // a short read leaves the handler a short body, as a broken proxy would
	_ = r.Body.Close()
	setRequestBody(r, body)
	return body
}

// setRequestBody replaces r's body with body.
func setRequestBody(r *http.Request, body []byte) {
	r.Body = io.NopCloser(bytes.NewReader(body))
	r.ContentLength = int64(len(body))
	r.Header.Set("Content-Length", strconv.Itoa(len(body)))
}

// rewriteRequest returns a middleware that passes the body of every
// request for which match is true through change before the handler sees
// it.
func rewriteRequest(match func(r *http.Request, body []byte) bool, change func(body []byte) []byte) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if body := requestBody(r); match(r, body) {
				setRequestBody(r, change(body))
			}
			next.ServeHTTP(w, r)
		})
	}
}

// rewriteAnswer returns a middleware that buffers the answer to every
// request for which match is true and lets change replace its status and
// body (reqBody is the request body as the handler got it).
func rewriteAnswer(match func(r *http.Request, body []byte) bool, change func(reqBody []byte, status int, body []byte) (int, []byte)) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			reqBody := requestBody(r)
			if !match(r, reqBody) {
				next.ServeHTTP(w, r)
				return
			}
			rec := &bufferedResponse{header: http.Header{}, status: http.StatusOK}
			next.ServeHTTP(rec, r)
			status, body := change(reqBody, rec.status, rec.body.Bytes())
			for k, vs := range rec.header {
				w.Header()[k] = vs
			}
			w.Header().Set("Content-Length", strconv.Itoa(len(body)))
			w.WriteHeader(status)
			_, _ = w.Write(body) // a failed write means the client went away
		})
	}
}

// agentMethod returns the Agents method a request calls
// (/api/v1/Agents/Webhook/{Method}), or "".
func agentMethod(r *http.Request) string {
	dir, method := path.Split(r.URL.Path)
	if !strings.HasSuffix(strings.ToLower(dir), "/agents/webhook/") {
		return ""
	}
	return method
}

// agentIs returns a matcher of POSTs to the given Agents methods.
func agentIs(methods ...string) func(*http.Request, []byte) bool {
	return func(r *http.Request, _ []byte) bool {
		if r.Method != http.MethodPost {
			return false
		}
		m := agentMethod(r)
		for _, want := range methods {
			if strings.EqualFold(m, want) {
				return true
			}
		}
		return false
	}
}

// soapOp returns a matcher of SOAP requests whose Body calls one of ops.
func soapOp(ops ...string) func(*http.Request, []byte) bool {
	res := make([]*regexp.Regexp, len(ops))
	for i, op := range ops {
		res[i] = regexp.MustCompile(`<(?:[\w.-]+:)?` + regexp.QuoteMeta(op) + `[\s>/]`)
	}
	return func(_ *http.Request, body []byte) bool {
		for _, re := range res {
			if re.Match(body) {
				return true
			}
		}
		return false
	}
}

// dropJSONSecret removes the Secret member from a JSON webhook body, at
// the top level and inside a "Webhook" member; a body that is not a JSON
// object is left alone.
func dropJSONSecret(body []byte) []byte {
	var m map[string]any
	if json.Unmarshal(body, &m) != nil {
		return body
	}
	drop := func(obj map[string]any) {
		for k := range obj {
			if strings.EqualFold(k, "Secret") {
				delete(obj, k)
			}
		}
	}
	drop(m)
	for k, v := range m {
		if inner, ok := v.(map[string]any); ok && strings.EqualFold(k, "Webhook") {
			drop(inner)
		}
	}
	out, err := json.Marshal(m)
	if err != nil {
		return body
	}
	return out
}

// soapSecret matches a Secret element of a SOAP request, with its content.
var soapSecret = regexp.MustCompile(`(?s)<(?:[\w.-]+:)?Secret(?:\s[^>]*)?(?:/>|>.*?</(?:[\w.-]+:)?Secret>)`)

// dropSOAPSecret removes every Secret element from a SOAP request.
func dropSOAPSecret(body []byte) []byte { return soapSecret.ReplaceAll(body, nil) }

// jsonError is the §2.1 error body with the given ErrorType and message.
func jsonError(errType, message string) []byte {
	out, _ := json.Marshal(map[string]any{"Error": true, "ErrorType": errType, "ErrorMessage": message, "ErrorSource": "hookcheck mutant"})
	return out
}

// borrowIdentity returns a middleware that remembers the last credentials
// the handler accepted (the Authorization header, or the SOAP ticket as a
// SoTicket header) and hands them to every request without an
// Authorization header (and without a SOAP ticket) for which match is
// true: a front end that reuses a cached login for anonymous calls.
func borrowIdentity(match func(r *http.Request, body []byte) bool) func(http.Handler) http.Handler {
	var last atomic.Value // string
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			body := requestBody(r)
			own := strings.TrimSpace(r.Header.Get("Authorization"))
			if m := soapTicket.FindSubmatch(body); own == "" && m != nil {
				own = "SoTicket " + string(m[1])
			}
			if own == "" && match(r, body) {
				if cached, _ := last.Load().(string); cached != "" {
					r.Header.Set("Authorization", cached)
				}
				next.ServeHTTP(w, r)
				return
			}
			rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
			next.ServeHTTP(rec, r)
			if own != "" && rec.status != http.StatusUnauthorized && rec.status != http.StatusForbidden && !rec.fault {
				last.Store(own)
			}
		})
	}
}

// soapTicket matches a Credentials/Ticket element with content.
var soapTicket = regexp.MustCompile(`<(?:[\w.-]+:)?Ticket(?:\s[^>]*)?>([^<]+)<`)

// statusRecorder passes an answer through and notes its status, and
// whether a SOAP answer reported a failure.
type statusRecorder struct {
	http.ResponseWriter
	status int
	fault  bool
}

// WriteHeader implements http.ResponseWriter.
func (s *statusRecorder) WriteHeader(status int) {
	s.status = status
	s.ResponseWriter.WriteHeader(status)
}

// Write implements http.ResponseWriter.
func (s *statusRecorder) Write(p []byte) (int, error) {
	if bytes.Contains(p, []byte("Succeeded>false<")) || bytes.Contains(p, []byte(":Fault>")) {
		s.fault = true
	}
	return s.ResponseWriter.Write(p)
}
