package receiver

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hookcheck/hookcheck/receiver/api"
)

// Replay: POST /_hookcheck/channels/{id}/calls/{seq}/replay sends a
// recorded call again, from the receiver, to a URL the caller gives, and
// answers with what that URL answered. The inspector page uses it, since a
// browser may not send such a request to another origin itself. It is a
// control route like any other: the control token and the same-origin
// checks (hostPolicy) apply.

// Bounds of a replay.
const (
	// DefaultReplayTimeout bounds a replay from dialling to the end of the
	// answer.
	DefaultReplayTimeout = 10 * time.Second
	// maxReplayAnswer bounds the answer body a replay keeps; the rest is
	// not read.
	maxReplayAnswer = 1 << 20
)

// notReplayed are the headers a replay does not copy from the call: the
// transport sets them for the new connection and body, or they concern
// only the hop the call came over.
var notReplayed = map[string]bool{
	"Host": true, "Content-Length": true, "Transfer-Encoding": true, "Connection": true, "Keep-Alive": true,
	"Proxy-Connection": true, "Te": true, "Trailer": true, "Upgrade": true,
}

// handleReplay serves POST /_hookcheck/channels/{id}/calls/{seq}/replay.
func (rv *Receiver) handleReplay(w http.ResponseWriter, r *http.Request) {
	_, call := rv.lookupCall(w, r)
	if call == nil {
		return
	}
	var req api.ReplayRequest
	if status, err := decodeJSON(w, r, &req, false); err != nil {
		writeError(w, status, "replay: "+err.Error())
		return
	}
	target, err := replayTarget(req.URL)
	if err != nil {
		writeError(w, http.StatusBadRequest, "replay: "+err.Error())
		return
	}
	if call.Truncated {
		writeError(w, http.StatusConflict, fmt.Sprintf("replay: call %d's body was cut off at --max-body, so it cannot be sent again as it came", call.Seq))
		return
	}
	res, err := rv.replay(r.Context(), call, target, req.Insecure)
	if err != nil {
		status := http.StatusBadGateway
		if errors.Is(err, context.DeadlineExceeded) {
			status = http.StatusGatewayTimeout
		}
		writeError(w, status, "replay: "+err.Error())
		return
	}
	writeJSON(w, http.StatusOK, res)
}

// replayTarget checks that raw is an absolute http or https URL.
func replayTarget(raw string) (*url.URL, error) {
	if strings.TrimSpace(raw) == "" {
		return nil, errors.New(`give "url": the http or https URL to send the call to`)
	}
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return nil, fmt.Errorf("url %q: %w", raw, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("url %q: only http and https URLs are replayed to", raw)
	}
	if u.Host == "" {
		return nil, fmt.Errorf("url %q has no host", raw)
	}
	return u, nil
}

// replay sends call to target and reads the answer, within the replay
// timeout and body bound. It follows no redirect: a 3xx is the answer.
func (rv *Receiver) replay(ctx context.Context, call *api.Call, target *url.URL, insecure bool) (api.ReplayResult, error) {
	body, err := call.RawBody()
	if err != nil {
		return api.ReplayResult{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, rv.cfg.ReplayTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, call.Method, target.String(), bytes.NewReader(body))
	if err != nil {
		return api.ReplayResult{}, fmt.Errorf("build request: %w", err)
	}
	if len(body) == 0 {
		req.Body, req.ContentLength = http.NoBody, 0
	}
	req.Header = replayHeaders(call)
	transport := &http.Transport{
		Proxy:              nil, // straight to the URL given
		DisableCompression: true,
		DisableKeepAlives:  true,
		TLSClientConfig:    &tls.Config{InsecureSkipVerify: insecure}, // only when the request asks for it
	}
	defer transport.CloseIdleConnections()
	hc := &http.Client{
		Transport:     transport,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	start := time.Now()
	resp, err := hc.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return api.ReplayResult{}, fmt.Errorf("no answer from %s within %s: %w", target, rv.cfg.ReplayTimeout, context.DeadlineExceeded)
		}
		return api.ReplayResult{}, fmt.Errorf("send to %s: %w", target, err)
	}
	defer resp.Body.Close()
	got, err := io.ReadAll(io.LimitReader(resp.Body, maxReplayAnswer+1))
	if err != nil {
		if ctx.Err() != nil {
			return api.ReplayResult{}, fmt.Errorf("answer from %s not complete within %s: %w", target, rv.cfg.ReplayTimeout, context.DeadlineExceeded)
		}
		return api.ReplayResult{}, fmt.Errorf("read the answer from %s: %w", target, err)
	}
	res := api.ReplayResult{
		Seq: call.Seq, URL: target.String(), Status: resp.StatusCode, Proto: resp.Proto, Headers: resp.Header,
		DurationMs: time.Since(start).Milliseconds(),
	}
	if len(got) > maxReplayAnswer {
		got, res.Truncated = got[:maxReplayAnswer], true
	}
	if utf8.Valid(got) {
		res.Body = string(got)
	} else {
		res.BodyBase64 = base64.StdEncoding.EncodeToString(got)
	}
	return res, nil
}

// replayHeaders returns the call's headers to send again: as sent when
// the call has them (names keep their case; net/http writes them in its
// own order), else the canonical ones, without the hop's own headers.
// A call that had no User-Agent is sent without one, not with Go's.
func replayHeaders(call *api.Call) http.Header {
	h := http.Header{}
	if call.RawHeaders != nil {
		for _, f := range call.RawHeaders {
			if !notReplayed[http.CanonicalHeaderKey(f.Name)] {
				h[f.Name] = append(h[f.Name], f.Value)
			}
		}
	} else {
		for k, vs := range call.Headers {
			if !notReplayed[http.CanonicalHeaderKey(k)] {
				h[k] = append([]string(nil), vs...)
			}
		}
	}
	hasUA := false
	for k := range h {
		hasUA = hasUA || strings.EqualFold(k, "User-Agent")
	}
	if !hasUA {
		h["User-Agent"] = []string{""} // net/http then sends none
	}
	return h
}
