package framework

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/hookcheck/hookcheck/conformance/driver"
	"github.com/hookcheck/hookcheck/receiver/api"
)

// HookNamePrefix starts the Name of every webhook the suite creates, so a
// leftover is recognisable on any target.
const HookNamePrefix = "hookcheck-"

// CleanupTimeout bounds the clean-up of one spec or one reproduction.
const CleanupTimeout = 30 * time.Second

// Sandbox is what one user of the target — a spec, a reproduction — owns
// there and on the receiver: the drivers of its API style, a random token
// that keeps its webhook names and event names apart from everyone
// else's, the webhooks it created and the receiver channels it opened.
// Its methods return errors and never stop a spec: Scenario is the Ginkgo
// layer of a spec on top of it, and `hookcheck reproduce` drives one
// directly. Clean deletes what it owns.
type Sandbox struct {
	Env   *Env
	Style driver.Style
	// D is the driver of the style; REST is the REST driver (D when the
	// target has none), used for reads that are not the subject of the
	// work and for the clean-up.
	D    driver.Driver
	REST driver.Driver
	// Entity is the sandbox's own event entity: Event builds names from
	// it, so no other user's hooks ever match its events.
	Entity string

	// prefix starts the Name of every webhook of the sandbox.
	prefix string

	mu       sync.Mutex
	hookSeq  int
	owned    []int32
	channels []*ChannelInfo
}

// NewSandbox opens a sandbox on e in the given API style. kind tells the
// names of its webhooks from other users' ("" gives a spec's
// "hookcheck-<token>-1", "repro-" a reproduction's
// "hookcheck-repro-<token>-1"). When the target lacks the style the error
// is the reason, as Env.Driver gives it.
func NewSandbox(e *Env, style driver.Style, kind string) (*Sandbox, error) {
	d, reason := e.Driver(style)
	if d == nil {
		return nil, errors.New(reason)
	}
	rest, _ := e.Driver(driver.REST)
	if rest == nil {
		rest = d
	}
	token := RandomHex(5)
	return &Sandbox{Env: e, Style: style, D: d, REST: rest, Entity: "hc" + token, prefix: HookNamePrefix + kind + token}, nil
}

// Event returns an event name of the sandbox's own entity, for example
// "hc1a2b3c4d5.changed".
func (b *Sandbox) Event(verb string) string { return b.Entity + "." + verb }

// Name returns a fresh webhook name starting with the sandbox's prefix.
func (b *Sandbox) Name() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.hookSeq++
	return fmt.Sprintf("%s-%d", b.prefix, b.hookSeq)
}

// Webhook returns a webhook definition aimed at ch (nil: no target): a
// fresh Name, the given events, ch's URL and secret, State Active and
// Type webhook.
func (b *Sandbox) Webhook(ch *ChannelInfo, events ...string) driver.Webhook {
	wh := driver.Webhook{
		Name:   b.Name(),
		Events: events,
		State:  driver.StateActive,
		Type:   "webhook",
	}
	if ch != nil {
		wh.TargetURL = ch.URL
		wh.Secret = ch.Secret
	}
	return wh
}

// Own records a webhook id for deletion by Clean.
func (b *Sandbox) Own(id int32) {
	if id <= 0 {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.owned = append(b.owned, id)
}

// CreateHook creates wh through d (D when nil) and owns the result, also
// when the target answers an error beside it.
func (b *Sandbox) CreateHook(ctx context.Context, d driver.Driver, wh driver.Webhook) (*driver.Webhook, error) {
	if d == nil {
		d = b.D
	}
	got, err := d.Create(ctx, wh)
	if got != nil {
		b.Own(got.ID)
	}
	return got, err
}

// ChannelInfo is a receiver channel a sandbox opened: a webhook target
// with its own secret, fault script and call journal.
type ChannelInfo struct {
	ID     string
	Secret string
	// URL is what webhooks point at: the HTTPS address when the profile
	// requires HTTPS, else the HTTP one.
	URL string
	// HTTPURL and TLSURL are the channel's plain and TLS addresses.
	HTTPURL, TLSURL string
}

// ChannelOption configures a new channel.
type ChannelOption func(*api.ChannelRequest)

// NoSecret creates the channel (and the hooks aimed at it) without a
// secret.
func NoSecret() ChannelOption { return func(r *api.ChannelRequest) { r.Secret = "" } }

// WithScript gives the channel a fault script from the start.
func WithScript(rules ...api.Rule) ChannelOption {
	return func(r *api.ChannelRequest) { r.Script = rules }
}

// OpenChannel creates a receiver channel with a random secret, which
// Clean forgets.
func (b *Sandbox) OpenChannel(ctx context.Context, opts ...ChannelOption) (*ChannelInfo, error) {
	req := api.ChannelRequest{Secret: "hc-secret-" + RandomHex(12)}
	for _, o := range opts {
		o(&req)
	}
	got, err := b.Env.RV.CreateChannel(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("create a receiver channel: %w", err)
	}
	ch := &ChannelInfo{ID: got.ID, Secret: req.Secret, URL: got.URL, HTTPURL: got.URL, TLSURL: got.TLSURL}
	if req.TLS != "" { // a TLS kind is only reached on its tlsUrl (WithTLS)
		if got.TLSURL == "" {
			return nil, fmt.Errorf("the receiver gave channel %s (tls %s) no TLS address", got.ID, req.TLS)
		}
		ch.URL = got.TLSURL
	} else if b.Env.Profile.RequireHTTPS && !strings.HasPrefix(got.URL, "https://") {
		if got.TLSURL == "" {
			return nil, errors.New("the profile requires HTTPS but the receiver has no HTTPS listener")
		}
		ch.URL = got.TLSURL
	}
	b.mu.Lock()
	b.channels = append(b.channels, ch)
	b.mu.Unlock()
	return ch, nil
}

// Channels returns the channels the sandbox opened, in order.
func (b *Sandbox) Channels() []*ChannelInfo {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]*ChannelInfo(nil), b.channels...)
}

// Clean deletes, through REST, every webhook the sandbox owns and every
// stored webhook whose name carries its prefix (a save the target wrongly
// stored after refusing it, say), then forgets its channels. It goes on
// past a failure and returns every failure, in order.
func (b *Sandbox) Clean(ctx context.Context) []error {
	var errs []error
	b.mu.Lock()
	ids := append([]int32(nil), b.owned...)
	b.mu.Unlock()
	if list, err := b.REST.List(ctx, driver.Filter{}); err == nil {
		for _, wh := range list {
			if strings.HasPrefix(wh.Name, b.prefix) {
				ids = append(ids, wh.ID)
			}
		}
	} else {
		errs = append(errs, fmt.Errorf("list webhooks: %w", err))
	}
	done := map[int32]bool{}
	for _, id := range ids {
		if done[id] {
			continue
		}
		done[id] = true
		if err := b.REST.Delete(ctx, id); err != nil && driver.StatusOf(err) != 404 {
			errs = append(errs, fmt.Errorf("delete webhook %d: %w", id, err))
		}
	}
	for _, ch := range b.Channels() {
		if err := b.Env.RV.DeleteChannel(ctx, ch.ID); err != nil {
			errs = append(errs, fmt.Errorf("delete receiver channel %s: %w", ch.ID, err))
		}
	}
	return errs
}

// RandomHex returns n random bytes in hex: the tokens that keep the names,
// events and secrets of one spec apart from every other.
func RandomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("framework: random: %v", err))
	}
	return hex.EncodeToString(b)
}
