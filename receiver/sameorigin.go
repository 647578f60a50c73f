package receiver

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
)

// hostPolicy says which requests the control API and the inspector page
// take: those a browser cannot have been made to send on another site's
// behalf. Two attacks are shut out, even when no --control-token is set:
//
//   - Cross-site writes (CSRF): any page open in the user's browser may
//     POST text/plain to http://127.0.0.1:8088/_hookcheck/channels. The
//     browser marks such a request with the page's Origin, so a request
//     whose Origin is not the receiver's own is refused.
//   - DNS rebinding: a page on attacker.example whose name later resolves
//     to 127.0.0.1 can read the journal as "same origin". The browser still
//     sends Host: attacker.example, so a Host that is none of the
//     receiver's own names is refused.
//
// Scripts and programs send no Origin and the host they dialled, so they
// are not affected. Webhook calls (/hooks/) are never checked: real
// senders reach the receiver under public names, through tunnels.
type hostPolicy struct {
	names   map[string]bool // host names and IP literals accepted, lower case, no port
	anyIP   bool            // a listener is on a wildcard address: every IP literal is one of its own
	origins map[string]bool // Origins accepted beyond the request's own: the public URL's
}

// newHostPolicy accepts the loopback names, the hosts of the listen
// addresses, the public URL's host and the extra names of the generated
// certificate.
func newHostPolicy(listeners []string, publicURL string, tlsHosts []string) *hostPolicy {
	p := &hostPolicy{names: map[string]bool{"localhost": true}, origins: map[string]bool{}}
	for _, l := range listeners {
		h := hostname(l)
		if a, err := netip.ParseAddr(h); err == nil && a.IsUnspecified() {
			p.anyIP = true
			continue
		}
		p.names[h] = true
	}
	if u, err := url.Parse(publicURL); err == nil && u.Host != "" {
		p.names[hostname(u.Host)] = true
		p.origins[strings.ToLower(u.Scheme+"://"+u.Host)] = true
	}
	for _, h := range tlsHosts {
		p.names[hostname(h)] = true
	}
	return p
}

// hostname returns the host of a host[:port] in lower case, without
// brackets or a trailing dot.
func hostname(hostport string) string {
	h := hostport
	if host, _, err := net.SplitHostPort(hostport); err == nil {
		h = host
	}
	h = strings.TrimSuffix(strings.TrimPrefix(h, "["), "]")
	return strings.TrimSuffix(strings.ToLower(h), ".")
}

// hostOK reports whether host (a Host header) names this receiver.
func (p *hostPolicy) hostOK(host string) bool {
	if host == "" {
		return true // HTTP/1.0 without Host: not a browser
	}
	h := hostname(host)
	if p.names[h] {
		return true
	}
	a, err := netip.ParseAddr(h)
	if err != nil {
		return false // a name, and not one of ours
	}
	// An IP literal cannot be rebound: a browser that sends it believes
	// it talks to that address.
	return a.Unmap().IsLoopback() || p.anyIP || p.names[a.Unmap().String()]
}

// originOK reports whether origin (an Origin header; "" when absent) is
// the receiver's own for a request to host.
func (p *hostPolicy) originOK(origin, host string) bool {
	if origin == "" {
		return true // not sent by a browser on behalf of another site
	}
	o := strings.ToLower(origin)
	if p.origins[o] {
		return true
	}
	u, err := url.Parse(o)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return false // "null" (a sandboxed or file page), or no web origin
	}
	return u.Host == strings.ToLower(host)
}

// refuse returns why r must be refused, or "" when it may go on.
func (p *hostPolicy) refuse(r *http.Request) string {
	if !p.hostOK(r.Host) {
		return fmt.Sprintf("request refused: Host %q is not a name of this receiver; the control API and the inspector answer only "+
			"localhost, loopback addresses, the listen address, the --public-url host and --tls-host names (against DNS rebinding)", r.Host)
	}
	if origin := r.Header.Get("Origin"); !p.originOK(origin, r.Host) {
		return fmt.Sprintf("cross-site request refused: Origin %q is not this receiver's own; the control API takes browser requests "+
			"only from its own pages (scripts send no Origin and are not affected)", origin)
	}
	return ""
}
