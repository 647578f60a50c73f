package api

// ReplayRequest is the body of POST
// /_hookcheck/channels/{id}/calls/{seq}/replay: where to send the call
// again.
type ReplayRequest struct {
	// URL is the http or https URL the call is sent to, as is (the
	// recorded path and query are not added).
	URL string `json:"url"`
	// Insecure skips the verification of an https URL's certificate.
	Insecure bool `json:"insecure,omitempty"`
}

// ReplayResult is the answer the replayed call got.
type ReplayResult struct {
	Seq uint64 `json:"seq"`
	URL string `json:"url"`
	// Status, Proto and Headers are the target's answer.
	Status  int                 `json:"status"`
	Proto   string              `json:"proto"`
	Headers map[string][]string `json:"headers"`
	// Body is the answer's body when it is valid UTF-8; otherwise
	// BodyBase64 holds it. Truncated reports a body cut off at the
	// receiver's bound.
	Body       string `json:"body"`
	BodyBase64 string `json:"bodyBase64,omitempty"`
	Truncated  bool   `json:"truncated"`
	// DurationMs is the time from sending to the end of the answer.
	DurationMs int64 `json:"durationMs"`
}
