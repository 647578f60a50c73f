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

// ParseAuthList parses one or more credentials separated by commas, each
// as ParseAuth takes it ("basic:USER:PASS,bearer:TOKEN,soticket:TICKET"):
// every scheme the target accepts. A comma splits only where a scheme name
// and ':' follow it, so a password may contain commas.
func ParseAuthList(s string) ([]Auth, error) {
	var out []Auth
	for _, part := range splitAuthList(s) {
		a, err := ParseAuth(part)
		if err != nil {
			return nil, err
		}
		for _, seen := range out {
			if seen.Scheme == a.Scheme {
				return nil, fmt.Errorf("driver: auth: scheme %s given twice", a.Scheme)
			}
		}
		out = append(out, a)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("driver: auth: no credentials given")
	}
	return out, nil
}

// splitAuthList splits s at every comma that a scheme name and ':' follow.
func splitAuthList(s string) []string {
	var parts []string
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] != ',' {
			continue
		}
		rest := strings.ToLower(s[i+1:])
		for _, scheme := range []string{SchemeBasic, SchemeBearer, SchemeSoTicket} {
			if strings.HasPrefix(rest, scheme+":") {
				parts = append(parts, s[start:i])
				start = i + 1
				break
			}
		}
	}
	return append(parts, s[start:])
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
