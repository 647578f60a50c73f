package receiver

import (
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/http"
	"strconv"

	"github.com/gorilla/mux"

	"github.com/hookcheck/hookcheck/receiver/api"
)

// SignatureCheck explains a call's signature verdict; it is the answer of
// GET /_hookcheck/channels/{id}/calls/{seq}/signature. Expected is computed
// only when this route is asked, from the channel's secret and the call's
// raw body; the secret itself is never sent.
type SignatureCheck struct {
	Seq uint64 `json:"seq"`
	// Verdict is the recorded verdict: valid, invalid, missing or unchecked.
	Verdict string `json:"verdict"`
	// Header is the name of the signature header.
	Header string `json:"header"`
	// Present reports whether the call carried the header; Received is its
	// value.
	Present  bool   `json:"present"`
	Received string `json:"received"`
	// Expected is base64(HMAC-SHA256(secret, raw body)), empty when the
	// channel has no secret or the body was cut off at --max-body.
	Expected string `json:"expected,omitempty"`
	// Reason explains the verdict in a sentence.
	Reason string `json:"reason"`
}

// handleCall serves GET /_hookcheck/channels/{id}/calls/{seq}: one CALL.
func (rv *Receiver) handleCall(w http.ResponseWriter, r *http.Request) {
	_, call := rv.lookupCall(w, r)
	if call == nil {
		return
	}
	writeJSON(w, http.StatusOK, call)
}

// handleSignatureCheck serves GET
// /_hookcheck/channels/{id}/calls/{seq}/signature: the verdict of one call
// explained, with the signature the receiver expected.
func (rv *Receiver) handleSignatureCheck(w http.ResponseWriter, r *http.Request) {
	ch, call := rv.lookupCall(w, r)
	if call == nil {
		return
	}
	writeJSON(w, http.StatusOK, explainSignature(ch.secret, call))
}

// lookupCall finds the {id} channel and its call numbered {seq}, or answers
// 404 and returns a nil call.
func (rv *Receiver) lookupCall(w http.ResponseWriter, r *http.Request) (*channel, *api.Call) {
	ch := rv.lookup(w, r)
	if ch == nil {
		return nil, nil
	}
	s := mux.Vars(r)["seq"]
	seq, err := strconv.ParseUint(s, 10, 64)
	if err != nil || seq == 0 {
		writeError(w, http.StatusNotFound, fmt.Sprintf("call %q: want a seq of 1 or more", s))
		return nil, nil
	}
	call, ok := ch.callAt(r.Context(), seq)
	if !ok {
		writeError(w, http.StatusNotFound, fmt.Sprintf("channel %q holds no call %d (not received yet, or evicted)", ch.id, seq))
		return nil, nil
	}
	return ch, &call
}

// explainSignature builds the SignatureCheck of call on a channel with the
// given secret.
func explainSignature(secret string, call *api.Call) SignatureCheck {
	sc := SignatureCheck{Seq: call.Seq, Verdict: call.Signature, Header: "X-SuperOffice-Signature"}
	for k, v := range call.Headers {
		if http.CanonicalHeaderKey(k) == SignatureHeader && len(v) > 0 {
			sc.Present, sc.Received = true, v[0]
			break
		}
	}
	body, err := call.RawBody()
	switch {
	case secret == "":
		sc.Reason = "The channel has no secret, so the signature is not checked; create the channel with a secret to check it."
		return sc
	case call.Truncated:
		sc.Reason = "The body was cut off at --max-body, so there is no whole body to hash."
		return sc
	case err != nil:
		sc.Reason = "The recorded body cannot be decoded: " + err.Error()
		return sc
	}
	sc.Expected = Sign(secret, body)
	switch call.Signature {
	case api.SignatureValid:
		sc.Reason = "The header equals base64(HMAC-SHA256(secret, raw body))."
	case api.SignatureMissing:
		sc.Reason = "The channel has a secret but the call carried no X-SuperOffice-Signature header."
	case api.SignatureInvalid:
		sc.Reason = invalidReason(sc.Received)
	default:
		sc.Reason = "The verdict is " + call.Signature + "."
	}
	return sc
}

// invalidReason says why a present signature was judged invalid.
func invalidReason(received string) string {
	if received == "" {
		return "The X-SuperOffice-Signature header is empty."
	}
	got, err := base64.StdEncoding.DecodeString(received)
	if err != nil {
		return "The header is not standard base64 (RFC 4648 with padding), so it cannot be an HMAC-SHA256."
	}
	if len(got) != sha256.Size {
		return fmt.Sprintf("The header decodes to %d bytes; an HMAC-SHA256 has %d.", len(got), sha256.Size)
	}
	return "The header is a well-formed HMAC-SHA256 but not of these bytes with this secret: the sender signed other bytes (a re-serialised body?) or used another secret."
}
