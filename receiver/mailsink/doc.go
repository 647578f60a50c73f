// Package mailsink is the receiver's SMTP sink. Webhook services send an
// error e-mail when they disable a webhook (state TooManyErrors); the sink
// accepts every such message on a local SMTP port, with no authentication
// and no TLS, and keeps it in a bounded journal so that tests can list the
// captured mails and wait for new ones.
//
// The SMTP protocol is handled by github.com/emersion/go-smtp. Every message
// is captured as received: when it cannot be parsed as an RFC 5322 message
// it is still stored, with its raw text as the body.
package mailsink
