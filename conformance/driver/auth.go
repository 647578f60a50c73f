package driver

import (
	"encoding/base64"
	"fmt"
	"strings"
)

// Auth schemes of the Authorization header (spec §2.1).
const (
	SchemeBasic    = "basic"
	SchemeBearer   = "bearer"
	SchemeSoTicket = "soticket"
)

// Auth is the credential the drivers send: `Authorization` for REST and
// Agents, and for SOAP the Credentials/Ticket header element (SoTicket) or
// the same Authorization header (Basic, Bearer). The zero Auth sends none.
type Auth struct {
	Scheme   string
	User     string
	Password string
	// Token is the Bearer access token or the SoTicket ticket.
	Token string
}

// ParseAuth parses "basic:USER:PASS", "bearer:TOKEN" or
// "soticket:TICKET" (the password and token may contain ':').
func ParseAuth(s string) (Auth, error) {
	scheme, rest, ok := strings.Cut(s, ":")
	if !ok {
		return Auth{}, fmt.Errorf("driver: auth %q: want basic:USER:PASS, bearer:TOKEN or soticket:TICKET", redact(s))
	}
	switch strings.ToLower(scheme) {
	case SchemeBasic:
		user, pass, ok := strings.Cut(rest, ":")
		if !ok || user == "" {
			return Auth{}, fmt.Errorf("driver: auth basic: want basic:USER:PASS")
		}
		return Auth{Scheme: SchemeBasic, User: user, Password: pass}, nil
	case SchemeBearer, SchemeSoTicket:
		if rest == "" {
			return Auth{}, fmt.Errorf("driver: auth %s: the token is empty", strings.ToLower(scheme))
		}
		return Auth{Scheme: strings.ToLower(scheme), Token: rest}, nil
	}
	return Auth{}, fmt.Errorf("driver: auth scheme %q: want basic, bearer or soticket", scheme)
}

// Header returns the Authorization header value, or "" for the zero Auth.
func (a Auth) Header() string {
	switch a.Scheme {
	case SchemeBasic:
		return "Basic " + base64.StdEncoding.EncodeToString([]byte(a.User+":"+a.Password))
	case SchemeBearer:
		return "Bearer " + a.Token
	case SchemeSoTicket:
		return "SoTicket " + a.Token
	}
	return ""
}

// Ticket returns the SoTicket ticket, or "" for other schemes.
func (a Auth) Ticket() string {
	if a.Scheme == SchemeSoTicket {
		return a.Token
	}
	return ""
}

// Wrong returns a credential of the same scheme that must not be
// accepted: the same user with another password, or another token.
func (a Auth) Wrong() Auth {
	w := a
	switch a.Scheme {
	case SchemeBasic:
		w.Password = a.Password + "-wrong"
	case SchemeBearer, SchemeSoTicket:
		w.Token = a.Token + "-wrong"
	default:
		w = Auth{Scheme: SchemeBasic, User: "hookcheck-nobody", Password: "wrong"}
	}
	return w
}

// String describes the credential without revealing secrets.
func (a Auth) String() string {
	switch a.Scheme {
	case SchemeBasic:
		return "basic:" + a.User + ":***"
	case "":
		return "none"
	}
	return a.Scheme + ":***"
}

// redact hides everything after the scheme.
func redact(s string) string {
	if scheme, _, ok := strings.Cut(s, ":"); ok {
		return scheme + ":***"
	}
	return "***"
}
