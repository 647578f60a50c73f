package receiver

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/hookcheck/hookcheck/receiver/api"
)

// maxControlBody bounds control-API request bodies.
const maxControlBody = 1 << 20

// writeJSON writes v with the given status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

// writeError writes the control API's error shape.
func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, api.Error{Message: msg, Status: status})
}

// decodeJSON decodes a bounded request body into v, rejecting unknown
// fields, trailing data and oversized bodies with a message fit for a user.
// With optional, an empty body leaves v untouched. It returns the status
// code to answer with when it fails.
func decodeJSON(w http.ResponseWriter, r *http.Request, v any, optional bool) (int, error) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxControlBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return http.StatusRequestEntityTooLarge, fmt.Errorf("body larger than %d bytes", maxControlBody)
		}
		return http.StatusBadRequest, fmt.Errorf("read body: %w", err)
	}
	liftBodyLimit(w) // the body is in: nothing more to bound (see Receiver.limitBody)
	if len(bytes.TrimSpace(body)) == 0 {
		if optional {
			return 0, nil
		}
		return http.StatusBadRequest, errors.New("empty body: want a JSON document")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return http.StatusBadRequest, fmt.Errorf("malformed JSON: %s", strings.TrimPrefix(err.Error(), "json: "))
	}
	if dec.More() {
		return http.StatusBadRequest, errors.New("malformed JSON: trailing data after the document")
	}
	return 0, nil
}
