package reference

// Authenticator checks the credentials of a call (spec §2.1) and returns
// the associate they stand for, or a KindUnauthorized *Error. Auth is the
// standard implementation; WithAuthenticator replaces it on one front end.
type Authenticator interface {
	// FromHeader checks an HTTP Authorization header value (REST, Agents,
	// and SOAP calls without a ticket header).
	FromHeader(authorization string) (*Associate, error)
	// FromTicket checks a SuperOffice ticket (the SOAP Credentials/Ticket
	// header).
	FromTicket(ticket string) (*Associate, error)
}

var _ Authenticator = Auth{}
