package framework

import (
	. "github.com/onsi/ginkgo/v2"

	"github.com/hookcheck/hookcheck/conformance/driver"
)

// RPCStyles are the styles that call operations by name (Agents and
// SOAP), as opposed to REST's resources.
var RPCStyles = []driver.Style{driver.Agents, driver.SOAP}

// ForStyles registers specs once per style in styles, each inside a
// Context named after the style.
func ForStyles(styles []driver.Style, specs func(st driver.Style)) {
	for _, st := range styles {
		Context(string(st), func() { specs(st) })
	}
}
