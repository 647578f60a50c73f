package reference

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"strings"
)

// ErrTypeUnauthorized is the ErrorType of a refused login, on every front
// end.
const ErrTypeUnauthorized = "UnauthorizedAccessException"

// Auth holds the credentials the reference service accepts (spec §2.1) and
// the associate they stand for. Each scheme is enabled by a non-empty
// value: User (with Password, which may be empty) for `Basic`, Ticket for
// `SoTicket` (and the SOAP Credentials/Ticket header), Bearer for `Bearer`.
// The zero Auth accepts nobody.
type Auth struct {
	User     string
	Password string
	Ticket   string
	Bearer   string
	// Associate is the associate every accepted credential maps to. A zero
	// AssociateID means DefaultAssociate.
	Associate Associate
}

// DefaultAssociate is the associate credentials map to when Auth.Associate
// is not set: id 5, the id the documentation samples use for the
// logged-in user.
var DefaultAssociate = Associate{
	AssociateID: 5,
	Name:        "HOOKCHECK",
	PersonID:    5,
	FullName:    "hookcheck reference user",
	UserName:    "hookcheck",
	Type:        "InternalAssociate",
}

// associate returns a fresh copy of the associate the credentials map to.
func (a Auth) associate() *Associate {
	as := a.Associate
	if as.AssociateID == 0 {
		as = DefaultAssociate
		if a.User != "" {
			as.UserName = a.User
		}
	}
	return &as
}

// unauthorized builds the KindUnauthorized error for the given reason.
func unauthorized(reason string) *Error {
	return Errorf(KindUnauthorized, ErrTypeUnauthorized, "%s", reason)
}

// FromHeader checks an Authorization header value (`Basic
// base64(user:password)`, `SoTicket 7T:...` or `Bearer 7A:...`; scheme
// names are case-insensitive) and returns the associate it maps to, or a
// KindUnauthorized *Error when it is missing, malformed, uses a disabled
// scheme or does not match. Comparisons take constant time.
func (a Auth) FromHeader(authorization string) (*Associate, error) {
	authorization = strings.TrimSpace(authorization)
	if authorization == "" {
		return nil, unauthorized("authorization required: send an Authorization header (Basic, SoTicket or Bearer)")
	}
	scheme, cred, _ := strings.Cut(authorization, " ")
	cred = strings.TrimSpace(cred)
	switch strings.ToLower(scheme) {
	case "basic":
		if a.User == "" {
			return nil, unauthorized("the Basic scheme is not enabled")
		}
		raw, err := base64.StdEncoding.DecodeString(cred)
		if err != nil {
			return nil, unauthorized("malformed Basic credentials: not base64")
		}
		user, pass, ok := strings.Cut(string(raw), ":")
		if !ok {
			return nil, unauthorized("malformed Basic credentials: no ':' between user and password")
		}
		// Evaluate both comparisons so timing does not tell which one failed.
		userOK := secretEqual(user, a.User)
		passOK := secretEqual(pass, a.Password)
		if userOK&passOK != 1 {
			return nil, unauthorized("wrong user name or password")
		}
		return a.associate(), nil
	case "soticket":
		return a.FromTicket(cred)
	case "bearer":
		if a.Bearer == "" {
			return nil, unauthorized("the Bearer scheme is not enabled")
		}
		if cred == "" || secretEqual(cred, a.Bearer) != 1 {
			return nil, unauthorized("invalid access token")
		}
		return a.associate(), nil
	}
	return nil, unauthorized("unsupported authorization scheme; use Basic, SoTicket or Bearer")
}

// FromTicket checks a SuperOffice ticket (`7T:...`), as sent in the
// `SoTicket` scheme or the SOAP Credentials/Ticket header, and returns the
// associate it maps to or a KindUnauthorized *Error.
func (a Auth) FromTicket(ticket string) (*Associate, error) {
	ticket = strings.TrimSpace(ticket)
	if a.Ticket == "" {
		return nil, unauthorized("the SoTicket scheme is not enabled")
	}
	if ticket == "" {
		return nil, unauthorized("ticket required")
	}
	if secretEqual(ticket, a.Ticket) != 1 {
		return nil, unauthorized("invalid ticket")
	}
	return a.associate(), nil
}

// secretEqual compares two secrets in time that depends on neither their
// contents nor their lengths (both are hashed first); it returns 1 when
// they are equal.
func secretEqual(got, want string) int {
	g := sha256.Sum256([]byte(got))
	w := sha256.Sum256([]byte(want))
	return subtle.ConstantTimeCompare(g[:], w[:])
}
