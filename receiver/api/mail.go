package api

import "time"

// Mail is one message captured by the receiver's SMTP sink.
type Mail struct {
	Seq        uint64    `json:"seq"`
	ReceivedAt time.Time `json:"receivedAt"`
	RemoteAddr string    `json:"remoteAddr"`
	// From and To are the SMTP envelope addresses (MAIL FROM, RCPT TO).
	From    string   `json:"from"`
	To      []string `json:"to"`
	Subject string   `json:"subject"`
	// Body is the decoded text of the message (the text/plain part when it
	// is multipart). Raw is the whole message as received when it is valid
	// UTF-8; otherwise RawBase64 holds its exact bytes.
	Body      string `json:"body"`
	Raw       string `json:"raw"`
	RawBase64 string `json:"rawBase64,omitempty"`
}

// MailList is the answer of GET /_hookcheck/mail.
type MailList struct {
	Mails []Mail `json:"mails"`
	Last  uint64 `json:"last"`
	// Evicted counts mails dropped by the sink's bound.
	Evicted uint64 `json:"evicted"`
}
