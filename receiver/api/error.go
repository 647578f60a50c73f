package api

// Error is the body of every control-API error response.
type Error struct {
	Message string `json:"error"`
	Status  int    `json:"status"`
}

// Error implements error.
func (e *Error) Error() string { return e.Message }

// Health is the answer of GET /_hookcheck/healthz.
type Health struct {
	OK       bool   `json:"ok"`
	Channels int    `json:"channels"`
	Calls    int    `json:"calls"`
	Evicted  uint64 `json:"evicted"`
	Mails    int    `json:"mails"`
	// Storage describes the data directory when the receiver keeps what
	// it records on disk (--data-dir); absent otherwise.
	Storage *Storage `json:"storage,omitempty"`
	// Warnings are sentences about trouble that does not stop the
	// receiver, such as writes to the data directory failing.
	Warnings []string `json:"warnings,omitempty"`
}

// Addresses is what a receiver writes to --addr-file once it listens.
type Addresses struct {
	HTTP  string `json:"http"`
	HTTPS string `json:"https,omitempty"`
	SMTP  string `json:"smtp,omitempty"`
}
