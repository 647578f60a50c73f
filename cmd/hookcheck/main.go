// Command hookcheck tests SuperOffice-style webhook implementations: it runs
// a programmable mock webhook receiver, a reference webhook service, and a
// conformance suite. Run "hookcheck --help" for the commands.
package main

import (
	"os"

	"github.com/hookcheck/hookcheck/cmd/hookcheck/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Environ(), os.Stdout, os.Stderr))
}
