package framework

import (
	"context"
	"net/http"

	"github.com/hookcheck/hookcheck/conformance/driver"
)

// SOAPOff given as Target.SOAPURL turns the SOAP front end off: its specs
// are skipped with a reason.
const SOAPOff = "off"

// Target is the webhook service under test.
type Target struct {
	// BaseURL is the installation's base URL, the part before /api/v1.
	BaseURL string
	// SOAPURL is the Webhook.svc endpoint; "" means the Services88 path
	// under BaseURL, SOAPOff means the target has no SOAP front end.
	SOAPURL string
	// Auth is the credential every call carries.
	Auth driver.Auth
	// Auths are every credential the target accepts, one per scheme
	// (Auth among them); the security specs exercise each on every front
	// end. Empty means just Auth.
	Auths []driver.Auth
	// AppToken is sent as SO-AppToken / ApplicationToken (spec §8).
	AppToken string
	// Description names the target in reports ("embedded reference", a
	// URL).
	Description string
	// HTTPClient makes the API calls; nil means driver.NewHTTPClient. The
	// workers of a parallel run use their own default client.
	HTTPClient *http.Client `json:"-"`
}

// TargetStarter starts a target once the suite's receiver runs (so the
// target can trust its CA and mail its SMTP sink) and returns it with a
// function that stops it.
type TargetStarter func(ctx context.Context, rv ReceiverInfo) (Target, func() error, error)

// ReceiverInfo is what the suite knows about its receiver.
type ReceiverInfo struct {
	// URL and TLSURL are the receiver's HTTP and HTTPS base URLs as the
	// target sees them; SMTPAddr is its SMTP sink, CAPEM the CA of its
	// HTTPS certificate.
	URL, TLSURL, SMTPAddr string
	CAPEM                 []byte
	// CAFile is the path of the persistent CA's ca.pem that signed the
	// HTTPS certificate ("" for a CA made for this run only); CertFile is
	// the certificate file the receiver was given instead (--receiver-cert).
	CAFile, CertFile string
	// ControlURL is where the suite reaches the control API.
	ControlURL string
	// Local is true when the target reaches the receiver on its listen
	// addresses (no public URL), so the suite may point the target at
	// other endpoints it starts on the same host.
	Local bool
}

// driverConfig returns the driver configuration of style st for the
// target: SOAP carries the ticket (AuthFor).
func (t Target) driverConfig(st driver.Style, p Profile) driver.Config {
	soap := t.SOAPURL
	if soap == SOAPOff {
		soap = ""
	}
	return driver.Config{
		BaseURL:     t.BaseURL,
		SOAPURL:     soap,
		SOAPVersion: p.SOAPVersion,
		Auth:        t.AuthFor(st),
		AppToken:    t.AppToken,
		HTTPClient:  t.HTTPClient,
	}
}

// AuthFor returns the credential the calls of style st carry: for SOAP
// the first soticket: credential among Schemes, wherever it sits in
// --auth (SOAP documents Credentials/Ticket), else Auth; for REST and
// Agents, Auth.
func (t Target) AuthFor(st driver.Style) driver.Auth {
	if st == driver.SOAP {
		for _, a := range t.Schemes() {
			if a.Scheme == driver.SchemeSoTicket {
				return a
			}
		}
	}
	return t.Auth
}

// Schemes returns the credentials the target accepts: Auths, or Auth alone.
func (t Target) Schemes() []driver.Auth {
	if len(t.Auths) > 0 {
		return t.Auths
	}
	if t.Auth.Scheme == "" {
		return nil
	}
	return []driver.Auth{t.Auth}
}
