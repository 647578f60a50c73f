package framework

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"
	"sync"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/conformance/driver"
)

// HookNamePrefix starts the Name of every webhook the suite creates, so a
// leftover is recognisable on any target.
const HookNamePrefix = "hookcheck-"

// CleanupTimeout bounds the clean-up of one spec.
const CleanupTimeout = 30 * time.Second

// Scenario is the world of one spec: the driver of its API style, the
// receiver channels it created and the webhooks it registered. Begin
// registers a clean-up that runs however the spec ends (pass, fail, skip
// or interrupt): it attaches the evidence of a failure, deletes the
// spec's webhooks on the target and forgets its channels.
type Scenario struct {
	Env   *Env
	Style driver.Style
	// D is the driver of the spec's style; REST is the REST driver, used
	// for reads that are not the subject of the spec.
	D    driver.Driver
	REST driver.Driver
	// Entity is the scenario's own event entity: Event builds names from
	// it, so no other spec's hooks ever match its events.
	Entity string

	ctx    context.Context
	prefix string

	mu       sync.Mutex
	hookSeq  int
	owned    []int32
	channels []*Channel
	expected []string
}

// Begin starts the scenario of the running spec in the given API style,
// skipping the spec (with the reason) when the target lacks that style.
func Begin(ctx context.Context, style driver.Style) *Scenario {
	e := suiteEnv()
	d, reason := e.Driver(style)
	if d == nil {
		SkipBecause(reason)
	}
	rest, _ := e.Driver(driver.REST)
	token := RandomHex(5)
	if e.runCtx != nil {
		var cancel context.CancelFunc
		ctx, cancel = context.WithCancel(ctx)
		stop := context.AfterFunc(e.runCtx, cancel)
		DeferCleanup(func() { stop(); cancel() })
	}
	s := &Scenario{Env: e, Style: style, D: d, REST: rest, Entity: "hc" + token, ctx: ctx, prefix: HookNamePrefix + token}
	if s.REST == nil {
		s.REST = d
	}
	DeferCleanup(s.finish)
	return s
}

// Ctx returns the spec's context.
func (s *Scenario) Ctx() context.Context { return s.ctx }

// Profile returns the run's profile.
func (s *Scenario) Profile() Profile { return s.Env.Profile }

// Expecting records what the spec expects, in words, for the evidence of a
// failure; the clause title is used when nothing was recorded.
func (s *Scenario) Expecting(format string, args ...any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.expected = append(s.expected, fmt.Sprintf(format, args...))
}

// Event returns an event name of the scenario's own entity, for example
// "hc1a2b3c4d5.changed".
func (s *Scenario) Event(verb string) string { return s.Entity + "." + verb }

// Name returns a fresh webhook name starting with the scenario prefix.
func (s *Scenario) Name() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hookSeq++
	return fmt.Sprintf("%s-%d", s.prefix, s.hookSeq)
}

// Hook returns a webhook definition aimed at ch: a fresh Name, the
// scenario's "changed" event, ch's URL and secret, State Active and Type
// webhook; mods adjust it.
func (s *Scenario) Hook(ch *Channel, mods ...func(*driver.Webhook)) driver.Webhook {
	wh := driver.Webhook{
		Name:   s.Name(),
		Events: []string{s.Event("changed")},
		State:  driver.StateActive,
		Type:   "webhook",
	}
	if ch != nil {
		wh.TargetURL = ch.URL
		wh.Secret = ch.Secret
	}
	for _, m := range mods {
		m(&wh)
	}
	return wh
}

// Own records a webhook id for deletion when the spec ends.
func (s *Scenario) Own(id int32) {
	if id <= 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.owned = append(s.owned, id)
}

// TryCreate creates wh through d (the spec's driver when nil) and owns the
// result.
func (s *Scenario) TryCreate(d driver.Driver, wh driver.Webhook) (*driver.Webhook, error) {
	if d == nil {
		d = s.D
	}
	got, err := d.Create(s.ctx, wh)
	if got != nil {
		s.Own(got.ID)
	}
	return got, err
}

// Create creates wh through the spec's driver and fails the spec when the
// target refuses.
func (s *Scenario) Create(wh driver.Webhook) *driver.Webhook {
	return s.CreateVia(s.D, wh)
}

// CreateVia creates wh through d and fails the spec when the target
// refuses.
func (s *Scenario) CreateVia(d driver.Driver, wh driver.Webhook) *driver.Webhook {
	GinkgoHelper()
	got, err := s.TryCreate(d, wh)
	Expect(err).NotTo(HaveOccurred(), "create webhook %q through %s", wh.Name, d.Style())
	Expect(got).NotTo(BeNil(), "create webhook %q through %s answered no webhook", wh.Name, d.Style())
	Expect(got.ID).To(BeNumerically(">", 0), "create webhook %q through %s answered WebhookId %d", wh.Name, d.Style(), got.ID)
	return got
}

// Get reads webhook id through the spec's driver and fails the spec when
// that is not possible.
func (s *Scenario) Get(id int32) *driver.Webhook {
	GinkgoHelper()
	got, err := s.D.Get(s.ctx, id)
	Expect(err).NotTo(HaveOccurred(), "read webhook %d through %s", id, s.Style)
	Expect(got).NotTo(BeNil(), "read webhook %d through %s answered null", id, s.Style)
	return got
}

// Update saves wh through the spec's driver and fails the spec when the
// target refuses.
func (s *Scenario) Update(wh driver.Webhook) *driver.Webhook {
	GinkgoHelper()
	got, err := s.D.Update(s.ctx, wh)
	Expect(err).NotTo(HaveOccurred(), "update webhook %d through %s", wh.ID, s.Style)
	Expect(got).NotTo(BeNil())
	return got
}

// SetState reads webhook id, sets its State and saves it.
func (s *Scenario) SetState(id int32, state string) *driver.Webhook {
	GinkgoHelper()
	wh := s.Get(id)
	wh.State = state
	return s.Update(*wh)
}

// State returns the current State of webhook id.
func (s *Scenario) State(id int32) string {
	GinkgoHelper()
	return s.Get(id).State
}

// Signal signals an event through the spec's driver and fails the spec
// when the target refuses.
func (s *Scenario) Signal(event string, pk int32, data map[string]any) {
	GinkgoHelper()
	Expect(s.D.Signal(s.ctx, event, pk, data)).To(Succeed(), "signal %s/%d through %s", event, pk, s.Style)
}

// Stored reports whether a webhook named name is stored (through REST).
func (s *Scenario) Stored(name string) bool {
	GinkgoHelper()
	list, err := s.REST.List(s.ctx, driver.Filter{})
	Expect(err).NotTo(HaveOccurred(), "list webhooks")
	for _, wh := range list {
		if wh.Name == name {
			s.Own(wh.ID)
			return true
		}
	}
	return false
}

// Absent reports whether a Get answer says "no such webhook": an error or
// a null.
func Absent(wh *driver.Webhook, err error) bool {
	return err != nil || wh == nil
}

// finish is the scenario's clean-up.
func (s *Scenario) finish() {
	ctx, cancel := context.WithTimeout(context.Background(), CleanupTimeout)
	defer cancel()
	if CurrentSpecReport().Failed() {
		s.attachEvidence(ctx)
	}
	s.deleteHooks(ctx)
	s.mu.Lock()
	chans := append([]*Channel(nil), s.channels...)
	s.mu.Unlock()
	for _, ch := range chans {
		if err := s.Env.RV.DeleteChannel(ctx, ch.ID); err != nil {
			GinkgoWriter.Printf("clean-up: delete receiver channel %s: %v\n", ch.ID, err)
		}
	}
}

// deleteHooks deletes every webhook the scenario owns and every stored
// webhook whose name carries the scenario prefix (a save the target
// wrongly stored after refusing it, say).
func (s *Scenario) deleteHooks(ctx context.Context) {
	s.mu.Lock()
	ids := append([]int32(nil), s.owned...)
	s.mu.Unlock()
	if list, err := s.REST.List(ctx, driver.Filter{}); err == nil {
		for _, wh := range list {
			if strings.HasPrefix(wh.Name, s.prefix) {
				ids = append(ids, wh.ID)
			}
		}
	} else {
		GinkgoWriter.Printf("clean-up: list webhooks: %v\n", err)
	}
	done := map[int32]bool{}
	for _, id := range ids {
		if done[id] {
			continue
		}
		done[id] = true
		if err := s.REST.Delete(ctx, id); err != nil && !notFound(err) {
			GinkgoWriter.Printf("clean-up: delete webhook %d: %v\n", id, err)
		}
	}
}

// notFound reports whether err says the webhook does not exist.
func notFound(err error) bool {
	return driver.StatusOf(err) == 404
}

// RandomHex returns n random bytes in hex: the tokens that keep the names,
// events and secrets of one spec apart from every other.
func RandomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("conformance: random: %v", err))
	}
	return hex.EncodeToString(b)
}

// Sentinel creates an Active webhook subscribed to events on a channel of
// its own. Once the sentinel channel has a delivery of an event, the
// target has dispatched that event, so a spec can then watch another
// channel for a delivery that must not come.
func (s *Scenario) Sentinel(events ...string) *Channel {
	GinkgoHelper()
	ch := s.Channel()
	s.Create(s.Hook(ch, func(w *driver.Webhook) { w.Events = events }))
	return ch
}

// AwaitState waits up to within for webhook id to reach state, reading
// it through the REST driver, and fails the spec when it does not.
func (s *Scenario) AwaitState(id int32, state string, within time.Duration) {
	GinkgoHelper()
	Eventually(s.ctx, func() (string, error) {
		wh, err := s.REST.Get(s.ctx, id)
		if err != nil || wh == nil {
			return "", err
		}
		return wh.State, nil
	}).WithTimeout(within).WithPolling(20*time.Millisecond).Should(Equal(state), "webhook %d should become %s", id, state)
}
