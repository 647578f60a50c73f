package framework

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/conformance/driver"
	"github.com/hookcheck/hookcheck/reports"
)

// Scenario is the world of one spec: a Sandbox (the drivers of its API
// style, the receiver channels it opened and the webhooks it registered)
// with a Ginkgo layer on top, whose methods fail the spec where the
// sandbox's return an error. Begin registers a clean-up that runs however
// the spec ends (pass, fail, skip or interrupt): it attaches the evidence
// of a failure, deletes the spec's webhooks on the target and forgets its
// channels.
type Scenario struct {
	*Sandbox

	ctx context.Context

	mu       sync.Mutex
	expected []string
}

// Begin starts the scenario of the running spec in the given API style,
// skipping the spec (with the reason) when the target lacks that style.
func Begin(ctx context.Context, style driver.Style) *Scenario {
	e := suiteEnv()
	e.failIfBroken(style)
	sb, err := NewSandbox(e, style, "")
	if err != nil {
		SkipBecause(err.Error())
	}
	if e.runCtx != nil {
		var cancel context.CancelFunc
		ctx, cancel = context.WithCancel(ctx)
		stop := context.AfterFunc(e.runCtx, cancel)
		DeferCleanup(func() { stop(); cancel() })
	}
	s := &Scenario{Sandbox: sb, ctx: ctx}
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

// Channel opens a receiver channel with a random secret and fails the
// spec when that is not possible.
func (s *Scenario) Channel(opts ...ChannelOption) *Channel {
	GinkgoHelper()
	info, err := s.OpenChannel(s.ctx, opts...)
	Expect(err).NotTo(HaveOccurred(), "create a receiver channel")
	return &Channel{ChannelInfo: *info, env: s.Env, ctx: s.ctx}
}

// Hook returns a webhook definition aimed at ch (nil: no target): a fresh
// Name, the scenario's "changed" event, ch's URL and secret, State Active
// and Type webhook; mods adjust it.
func (s *Scenario) Hook(ch *Channel, mods ...func(*driver.Webhook)) driver.Webhook {
	var info *ChannelInfo
	if ch != nil {
		info = &ch.ChannelInfo
	}
	wh := s.Webhook(info, s.Event("changed"))
	for _, m := range mods {
		m(&wh)
	}
	return wh
}

// TryCreate creates wh through d (the spec's driver when nil) and owns the
// result.
func (s *Scenario) TryCreate(d driver.Driver, wh driver.Webhook) (*driver.Webhook, error) {
	return s.CreateHook(s.ctx, d, wh)
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

// finish is the scenario's clean-up: the evidence of a failure, then the
// sandbox's Clean, whose failures go to the spec's output.
func (s *Scenario) finish() {
	ctx, cancel := context.WithTimeout(context.Background(), CleanupTimeout)
	defer cancel()
	if CurrentSpecReport().Failed() {
		s.attachEvidence(ctx)
	}
	for _, err := range s.Clean(ctx) {
		GinkgoWriter.Printf("clean-up: %v\n", err)
	}
}

// attachEvidence adds the evidence of the failed spec to its report: what
// it expected (Expecting, else the clause title), what happened (the
// failure message) and every call the scenario's channels recorded.
func (s *Scenario) attachEvidence(ctx context.Context) {
	rep := CurrentSpecReport()
	s.mu.Lock()
	expected := strings.Join(s.expected, "; ")
	s.mu.Unlock()
	if expected == "" {
		if cat, err := Catalogue(); err == nil {
			if c, ok := cat.Lookup(ClauseOf(rep.Labels())); ok {
				expected = c.Title
			}
		}
	}
	ev, errs := s.Evidence(ctx, expected, rep.Failure.Message)
	for _, err := range errs {
		GinkgoWriter.Printf("evidence: %v\n", err)
	}
	AddReportEntry(reports.EvidenceEntry, ev)
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
