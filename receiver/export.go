package receiver

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/hookcheck/hookcheck/receiver/api"
	"github.com/hookcheck/hookcheck/receiver/journal"
)

// handleExport writes a channel's journal as JSON Lines (one CALL per line)
// or as a HAR 1.2 log.
func (rv *Receiver) handleExport(w http.ResponseWriter, r *http.Request) {
	ch := rv.lookup(w, r)
	if ch == nil {
		return
	}
	calls := ch.find(r.Context(), journal.Query[storedCall]{})
	switch format := r.URL.Query().Get("format"); format {
	case "", "jsonl":
		w.Header().Set("Content-Type", "application/x-ndjson")
		w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", ch.id+".jsonl"))
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		for i := range calls {
			if err := enc.Encode(&calls[i]); err != nil {
				return
			}
		}
	case "har":
		w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", ch.id+".har"))
		writeJSON(w, http.StatusOK, HAR(calls))
	default:
		writeError(w, http.StatusBadRequest, fmt.Sprintf("export: format %q is unknown (use jsonl or har)", format))
	}
}

// harLog is the root of a HAR 1.2 document.
type harLog struct {
	Log struct {
		Version string     `json:"version"`
		Creator harCreator `json:"creator"`
		Entries []harEntry `json:"entries"`
	} `json:"log"`
}

type harCreator struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

type harNV struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

type harEntry struct {
	StartedDateTime string      `json:"startedDateTime"`
	Time            float64     `json:"time"`
	Request         harRequest  `json:"request"`
	Response        harResponse `json:"response"`
	Cache           struct{}    `json:"cache"`
	Timings         harTimings  `json:"timings"`
	ServerIPAddress string      `json:"serverIPAddress,omitempty"`
	Comment         string      `json:"comment,omitempty"`
	Seq             uint64      `json:"_seq"`
	Signature       string      `json:"_signature"`
	Fault           string      `json:"_fault,omitempty"`
	Truncated       bool        `json:"_truncated,omitempty"`
}

type harRequest struct {
	Method      string       `json:"method"`
	URL         string       `json:"url"`
	HTTPVersion string       `json:"httpVersion"`
	Cookies     []harNV      `json:"cookies"`
	Headers     []harNV      `json:"headers"`
	QueryString []harNV      `json:"queryString"`
	PostData    *harPostData `json:"postData,omitempty"`
	HeadersSize int          `json:"headersSize"`
	BodySize    int64        `json:"bodySize"`
}

type harPostData struct {
	MimeType string `json:"mimeType"`
	Text     string `json:"text"`
	Encoding string `json:"_encoding,omitempty"`
}

type harResponse struct {
	Status      int        `json:"status"`
	StatusText  string     `json:"statusText"`
	HTTPVersion string     `json:"httpVersion"`
	Cookies     []harNV    `json:"cookies"`
	Headers     []harNV    `json:"headers"`
	Content     harContent `json:"content"`
	RedirectURL string     `json:"redirectURL"`
	HeadersSize int        `json:"headersSize"`
	BodySize    int64      `json:"bodySize"`
}

type harContent struct {
	Size     int64  `json:"size"`
	MimeType string `json:"mimeType"`
	Text     string `json:"text,omitempty"`
}

type harTimings struct {
	Send    float64 `json:"send"`
	Wait    float64 `json:"wait"`
	Receive float64 `json:"receive"`
}

// HAR converts recorded calls to a HAR 1.2 document. Receiver-specific
// facts (seq, signature verdict, fault) travel in "_"-prefixed fields, as
// the format allows.
func HAR(calls []api.Call) any {
	var doc harLog
	doc.Log.Version = "1.2"
	doc.Log.Creator = harCreator{Name: "hookcheck receiver", Version: "1"}
	doc.Log.Entries = make([]harEntry, 0, len(calls))
	for i := range calls {
		c := &calls[i]
		scheme := "http"
		if c.TLS {
			scheme = "https"
		}
		host := c.Header("Host")
		u := url.URL{Scheme: scheme, Host: host, Path: c.Path, RawQuery: c.Query}
		e := harEntry{
			StartedDateTime: c.ReceivedAt.Format(time.RFC3339Nano),
			Time:            float64(c.Response.DelayMs),
			Seq:             c.Seq,
			Signature:       c.Signature,
			Fault:           c.Response.Fault,
			Truncated:       c.Truncated,
			Timings:         harTimings{Wait: float64(c.Response.DelayMs)},
			Request: harRequest{
				Method:      c.Method,
				URL:         u.String(),
				HTTPVersion: c.Proto,
				Cookies:     []harNV{},
				Headers:     harHeaders(c.Headers),
				QueryString: harQuery(c.Query),
				HeadersSize: -1,
				BodySize:    c.BodySize,
			},
			Response: harResponse{
				Status:      c.Response.Status,
				StatusText:  http.StatusText(c.Response.Status),
				HTTPVersion: c.Proto,
				Cookies:     []harNV{},
				Headers:     harHeaders(c.Response.Headers),
				Content:     harContent{Size: int64(len(c.Response.Body)), MimeType: firstOr(c.Response.Headers, "Content-Type", "text/plain"), Text: c.Response.Body},
				HeadersSize: -1,
				BodySize:    -1,
			},
		}
		if c.Response.Fault != "" {
			e.Comment = "answered by fault " + c.Response.Fault
		}
		if c.BodySize > 0 || c.Body != "" || c.BodyBase64 != "" {
			pd := &harPostData{MimeType: c.Header("Content-Type"), Text: c.Body}
			if c.BodyBase64 != "" {
				pd.Text, pd.Encoding = c.BodyBase64, "base64"
			}
			e.Request.PostData = pd
		}
		doc.Log.Entries = append(doc.Log.Entries, e)
	}
	return doc
}

func harHeaders(h map[string][]string) []harNV {
	out := []harNV{}
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		for _, v := range h[k] {
			out = append(out, harNV{Name: k, Value: v})
		}
	}
	return out
}

func harQuery(raw string) []harNV {
	out := []harNV{}
	for _, part := range strings.Split(raw, "&") {
		if part == "" {
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		if uk, err := url.QueryUnescape(k); err == nil {
			k = uk
		}
		if uv, err := url.QueryUnescape(v); err == nil {
			v = uv
		}
		out = append(out, harNV{Name: k, Value: v})
	}
	return out
}

func firstOr(h map[string][]string, name, def string) string {
	for k, v := range h {
		if strings.EqualFold(k, name) && len(v) > 0 {
			return v[0]
		}
	}
	return def
}
