package driver

import "fmt"

// Style is an API style of the webhook service (spec §2): the label a spec
// carries and the front end a Driver talks to.
type Style string

// The three API styles.
const (
	REST   Style = "rest"
	Agents Style = "agents"
	SOAP   Style = "soap"
)

// Styles lists every style, in report-column order.
var Styles = []Style{REST, Agents, SOAP}

// ParseStyle returns the Style named s.
func ParseStyle(s string) (Style, error) {
	for _, st := range Styles {
		if string(st) == s {
			return st, nil
		}
	}
	return "", fmt.Errorf("driver: unknown API style %q (want rest, agents or soap)", s)
}

// New returns the driver of the given style for cfg.
func New(style Style, cfg Config) (Driver, error) {
	switch style {
	case REST:
		return NewREST(cfg)
	case Agents:
		return NewAgents(cfg)
	case SOAP:
		return NewSOAP(cfg)
	}
	return nil, fmt.Errorf("driver: unknown API style %q", style)
}

// String returns the style's name.
func (s Style) String() string { return string(s) }
