package driver

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Default SOAP settings (spec §2.5).
const (
	// Services88 is the target namespace of the Services88 Webhook.svc.
	Services88 = "http://www.superoffice.net/ws/crm/NetServer/Services88"
	// SOAP11 and SOAP12 are the SOAP versions a SOAP driver can speak.
	SOAP11 = "1.1"
	SOAP12 = "1.2"
	// soapPath is the SOAP endpoint under the base URL.
	soapPath = "/Remote/Services88/Webhook.svc"
)

// DefaultTimeout bounds one API call when Config.HTTPClient is nil.
const DefaultTimeout = 60 * time.Second

// Config says where a service is and how to call it.
type Config struct {
	// BaseURL is the installation's base URL, the part before /api/v1
	// (for example https://host/Cust12345).
	BaseURL string
	// SOAPURL is the Webhook.svc endpoint; "" means
	// BaseURL + /Remote/Services88/Webhook.svc.
	SOAPURL string
	// SOAPNamespace is the service namespace; "" means Services88.
	SOAPNamespace string
	// SOAPVersion is SOAP11 (default) or SOAP12 (spec §9 #20).
	SOAPVersion string
	// Auth is the credential sent with every call.
	Auth Auth
	// AppToken, when set, is sent as SO-AppToken (REST, Agents) or the SOAP
	// ApplicationToken header (spec §2.1, §8).
	AppToken string
	// HTTPClient makes the calls; nil means a client with DefaultTimeout
	// that does not follow redirects.
	HTTPClient *http.Client
}

// withDefaults validates cfg and fills the defaults in.
func (c Config) withDefaults() (Config, error) {
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	if c.BaseURL == "" {
		return c, fmt.Errorf("driver: no base URL")
	}
	u, err := url.Parse(c.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return c, fmt.Errorf("driver: base URL %q is not an absolute http(s) URL", c.BaseURL)
	}
	if c.SOAPURL == "" {
		c.SOAPURL = c.BaseURL + soapPath
	}
	if c.SOAPNamespace == "" {
		c.SOAPNamespace = Services88
	}
	switch c.SOAPVersion {
	case "":
		c.SOAPVersion = SOAP11
	case SOAP11, SOAP12:
	default:
		return c, fmt.Errorf("driver: SOAP version %q: want 1.1 or 1.2", c.SOAPVersion)
	}
	if c.HTTPClient == nil {
		c.HTTPClient = NewHTTPClient(nil)
	}
	return c, nil
}

// NewHTTPClient returns an HTTP client for API calls that does not follow
// redirects and gives up after DefaultTimeout; rt nil means a clone of
// http.DefaultTransport.
func NewHTTPClient(rt http.RoundTripper) *http.Client {
	if rt == nil {
		rt = http.DefaultTransport.(*http.Transport).Clone()
	}
	return &http.Client{
		Transport: rt,
		Timeout:   DefaultTimeout,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}
