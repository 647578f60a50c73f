package framework

import (
	"context"
	"fmt"
	"maps"
	"sync/atomic"

	. "github.com/onsi/ginkgo/v2"

	"github.com/hookcheck/hookcheck/conformance/driver"
	"github.com/hookcheck/hookcheck/receiver/client"
)

// Env is what the specs of one run share: the target and its drivers, the
// profile and the receiver.
type Env struct {
	Target   Target
	Profile  Profile
	Receiver ReceiverInfo
	// RV is the client of the receiver's control API.
	RV *client.Client

	// runCtx ends the specs' API calls when the run is cancelled.
	runCtx context.Context

	drivers map[driver.Style]driver.Driver
	// missing says why a style has no driver (for example "no SOAP URL").
	missing map[driver.Style]string
	// broken says, in one line, why the preflight found a front end
	// broken while another answered: that style's specs fail with it.
	broken map[driver.Style]string
}

// current is the Env of the running suite; the runner installs it.
var current atomic.Pointer[Env]

// NewEnv builds the Env of a run: one driver per API style the target
// offers.
func NewEnv(t Target, p Profile, rv ReceiverInfo, rc *client.Client) (*Env, error) {
	e := &Env{Target: t, Profile: p, Receiver: rv, RV: rc,
		drivers: map[driver.Style]driver.Driver{}, missing: map[driver.Style]string{}, broken: map[driver.Style]string{}}
	for _, st := range driver.Styles {
		if st == driver.SOAP && t.SOAPURL == SOAPOff {
			e.missing[st] = "the target has no SOAP front end (--soap-url off)"
			continue
		}
		d, err := driver.New(st, t.driverConfig(st, p))
		if err != nil {
			return nil, fmt.Errorf("conformance: %s driver: %w", st, err)
		}
		e.drivers[st] = d
	}
	return e, nil
}

// Driver returns the driver of a style, or nil and the reason it has
// none (a front end the target lacks, or one the preflight found broken).
func (e *Env) Driver(st driver.Style) (driver.Driver, string) {
	if r, ok := e.broken[st]; ok {
		return nil, r
	}
	if d, ok := e.drivers[st]; ok {
		return d, ""
	}
	if r, ok := e.missing[st]; ok {
		return nil, r
	}
	return nil, fmt.Sprintf("no %s driver", st)
}

// DriverWith returns a new driver of a style whose configuration mod
// changed (other credentials, another app token).
func (e *Env) DriverWith(st driver.Style, mod func(*driver.Config)) (driver.Driver, error) {
	cfg := e.Target.driverConfig(st, e.Profile)
	mod(&cfg)
	d, err := driver.New(st, cfg)
	if err != nil {
		return nil, fmt.Errorf("conformance: %s driver: %w", st, err)
	}
	return d, nil
}

// Styles returns the styles the target offers and the preflight did not
// find broken.
func (e *Env) Styles() []driver.Style {
	var out []driver.Style
	for _, st := range driver.Styles {
		if _, ok := e.drivers[st]; ok && e.broken[st] == "" {
			out = append(out, st)
		}
	}
	return out
}

// Broken returns why the preflight found the front end of style st
// broken, in one line, or "" when it answered (or the target lacks it).
func (e *Env) Broken(st driver.Style) string { return e.broken[st] }

// BrokenFrontEnds returns every broken front end with its reason (nil:
// none), for the workers of a parallel run.
func (e *Env) BrokenFrontEnds() map[driver.Style]string {
	if len(e.broken) == 0 {
		return nil
	}
	return maps.Clone(e.broken)
}

// MarkBroken records that the front end of style st is broken, for the
// reason given: its specs fail with it, the others run. A parallel run's
// workers get the preflight's findings this way.
func (e *Env) MarkBroken(st driver.Style, reason string) { e.broken[st] = reason }

// failIfBroken fails the running spec when the front end of style st is
// broken: the preflight's one-line reason is the spec's failure.
func (e *Env) failIfBroken(st driver.Style) {
	if r := e.broken[st]; r != "" {
		Fail(r, 1)
	}
}

// Install makes e the environment of the specs (the runner does this
// around its Ginkgo run; nil uninstalls it).
func Install(e *Env) { current.Store(e) }

// SetRunContext ties the specs' API calls to ctx: they end when it is
// cancelled (the runner passes the run's context).
func (e *Env) SetRunContext(ctx context.Context) { e.runCtx = ctx }

// suiteEnv returns the running suite's Env; a spec run outside Run fails.
func suiteEnv() *Env {
	e := current.Load()
	if e == nil {
		Fail("the conformance suite was not configured: run it through conformance.Run")
	}
	return e
}
