package reproduce

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/tidwall/gjson"

	"github.com/hookcheck/hookcheck/conformance/driver"
	"github.com/hookcheck/hookcheck/conformance/framework"
	"github.com/hookcheck/hookcheck/receiver/api"
	"github.com/hookcheck/hookcheck/receiver/client"
)

// pollTick bounds one wait for the next call, so the hook's State, the
// watcher and the e-mail sink are read between calls too.
const pollTick = 25 * time.Millisecond

// Options configures Reproduce.
type Options struct {
	// Env is the opened target and receiver (framework.Open).
	Env *framework.Env
	// Style is the API style the script saves and signals through;
	// "" means REST.
	Style driver.Style
	// Keep leaves the hooks and channels in place.
	Keep bool
	// Observe, when set, gets every step as it happens.
	Observe func(Step)
	// Options are recorded in the Result.
	Options map[string]string
}

// Run is one reproduction in progress: what a scenario script drives. Its
// webhooks, channels, names and events are those of a framework.Sandbox,
// which also cleans up.
type Run struct {
	sb     *framework.Sandbox
	p      framework.Profile
	opts   Options
	t0     time.Time
	res    *Result
	diffs  []Difference
	follow *followed
}

// followed is what the poll loop watches: a hook, its channel, its
// watcher and its mailbox.
type followed struct {
	hook                 int32
	ch                   *framework.ChannelInfo
	event                string
	after                uint64
	state                string
	attempts             []Attempt
	watcher              *framework.ChannelInfo
	watcherAfter         uint64
	stateEvents          []api.Call
	mailTo               string
	mailAfter            uint64
	mails                []api.Mail
	stateAt              map[string]time.Time
	attemptsAtStateEntry map[string]int
}

// Reproduce runs scenario sc against the target of o.Env and returns what
// happened. An error means the reproduction could not start; a target
// that misbehaves (refuses a save, never calls) is a difference in the
// verdict instead.
func Reproduce(ctx context.Context, sc Scenario, o Options) (*Result, error) {
	if o.Env == nil {
		return nil, errors.New("reproduce: no environment")
	}
	p := o.Env.Profile
	if err := sc.Check(p); err != nil {
		return nil, err
	}
	style := o.Style
	if style == "" {
		style = driver.REST
	}
	sb, err := framework.NewSandbox(o.Env, style, "repro-")
	if err != nil {
		return nil, fmt.Errorf("reproduce: %w", err)
	}
	r := &Run{sb: sb, p: p, opts: o}
	r.res = &Result{
		Schema: Schema, Scenario: sc.Name, Description: sc.Summary, Target: o.Env.Target.Description,
		StartedAt: time.Now(), TimeScale: p.TimeScale, Profile: p.Options(), Options: o.Options,
		Hooks: []HookRef{}, Channels: []ChannelRef{}, Steps: []Step{},
	}
	summary, err := sc.script(ctx, r)
	if err != nil {
		r.differ(time.Now(), "the reproduction stopped: "+err.Error(), "the scenario to run to its end")
	}
	r.res.Duration = time.Since(r.res.StartedAt).Seconds()
	sortDifferences(r.diffs)
	r.res.Verdict = Verdict{AsExpected: len(r.diffs) == 0, Differences: r.diffs}
	if len(r.diffs) == 0 {
		r.res.Verdict.Summary = summary + ", " + r.documented()
	} else {
		r.res.Verdict.Summary = "difference " + r.diffs[0].String()
	}
	if o.Keep {
		r.res.Kept = true
	} else {
		r.cleanup()
	}
	return r.res, nil
}

// documented says what the verdict compares with: the documented
// schedule, or the profile given.
func (r *Run) documented() string {
	p, def := r.p, framework.DefaultProfile()
	same := p.AttemptsPerCycle == def.AttemptsPerCycle && p.Cycles == def.Cycles && p.ErrorThreshold == def.ErrorThreshold &&
		p.CycleGap == def.CycleGap && fmt.Sprint(p.RetryDelays) == fmt.Sprint(def.RetryDelays) && p.Success == def.Success &&
		p.Redirects == def.Redirects && p.QueueWhileInactive == def.QueueWhileInactive
	switch {
	case !same:
		return "as the profile says"
	case p.TimeScale != 1:
		return fmt.Sprintf("as documented (time scale %g)", p.TimeScale)
	}
	return "as documented"
}

// since is t as Step.Since: nil before the first attempt.
func (r *Run) since(t time.Time) *float64 {
	if r.t0.IsZero() {
		return nil
	}
	return seconds(t.Sub(r.t0))
}

// step records and shows a step.
func (r *Run) step(s Step) {
	if s.At.IsZero() {
		s.At = time.Now()
	}
	if s.Since == nil {
		s.Since = r.since(s.At)
	}
	if s.State == "" && r.follow != nil {
		s.State = r.follow.state
	}
	r.res.Steps = append(r.res.Steps, s)
	if r.opts.Observe != nil {
		r.opts.Observe(s)
	}
}

// action records something the script did.
func (r *Run) action(format string, args ...any) {
	r.step(Step{Kind: KindAction, Text: fmt.Sprintf(format, args...)})
}

// note records something the script read.
func (r *Run) note(format string, args ...any) {
	r.step(Step{Kind: KindNote, Text: fmt.Sprintf(format, args...)})
}

// differ records a difference at t (zero: not tied to a moment).
func (r *Run) differ(t time.Time, actual, expected string) {
	d := Difference{Actual: actual, Expected: expected}
	if !t.IsZero() {
		d.Since = r.since(t)
	}
	r.diffs = append(r.diffs, d)
}

// startClock makes t the origin of the timeline, once.
func (r *Run) startClock(t time.Time) {
	if r.t0.IsZero() {
		r.t0 = t
	}
}

// event returns an event name no other hook on the target subscribes to.
func (r *Run) event(verb string) string { return r.sb.Event(verb) }

// mailbox returns the ErrorsEmail of the scenario's hook when the
// target mails the receiver's sink, else "".
func (r *Run) mailbox() string {
	if r.sb.Env.Receiver.SMTPAddr == "" || !r.p.SMTPCaptured {
		return ""
	}
	return r.sb.Entity + "@hookcheck.example"
}

// channel opens a receiver channel with a secret and, optionally, a
// fault script from the start, and lists it in the result.
func (r *Run) channel(ctx context.Context, role string, rules ...api.Rule) (*framework.ChannelInfo, error) {
	ch, err := r.sb.OpenChannel(ctx, framework.WithScript(rules...))
	if err != nil {
		return nil, err
	}
	r.res.Channels = append(r.res.Channels, ChannelRef{ID: ch.ID, URL: ch.URL, Role: role,
		Inspector: r.sb.Env.Receiver.ControlURL + "/#/channels/" + ch.ID})
	return ch, nil
}

// script replaces a channel's fault script.
func (r *Run) script(ctx context.Context, ch *framework.ChannelInfo, what string, rules ...api.Rule) error {
	if _, err := r.sb.Env.RV.SetScript(ctx, ch.ID, rules); err != nil {
		return fmt.Errorf("script channel %s: %w", ch.ID, err)
	}
	r.action("receiver channel %s now %s", ch.ID, what)
	return nil
}

// define returns a webhook definition for ch subscribed to events.
func (r *Run) define(ch *framework.ChannelInfo, events ...string) driver.Webhook {
	return r.sb.Webhook(ch, events...)
}

// create saves wh and records it for the clean-up.
func (r *Run) create(ctx context.Context, role string, wh driver.Webhook) (*driver.Webhook, error) {
	got, err := r.sb.CreateHook(ctx, nil, wh)
	if got != nil && got.ID > 0 {
		r.res.Hooks = append(r.res.Hooks, HookRef{ID: got.ID, Name: got.Name, Role: role, TargetURL: wh.TargetURL})
	}
	if err != nil {
		return nil, fmt.Errorf("save the %s webhook %q: %w", role, wh.Name, err)
	}
	if got == nil || got.ID <= 0 {
		return nil, fmt.Errorf("save the %s webhook %q: the answer carried no WebhookId", role, wh.Name)
	}
	r.action("saved %s webhook %d %q → %s", role, got.ID, got.Name, wh.TargetURL)
	return got, nil
}

// hook creates the scenario's hook on a new channel, subscribed to event,
// with the scenario's mailbox as ErrorsEmail.
func (r *Run) hook(ctx context.Context, event string) (*framework.ChannelInfo, *driver.Webhook, error) {
	ch, err := r.channel(ctx, "hook")
	if err != nil {
		return nil, nil, err
	}
	wh := r.define(ch, event)
	wh.ErrorsEmail = r.mailbox()
	got, err := r.create(ctx, "hook", wh)
	return ch, got, err
}

// watch creates a watcher: a hook on a channel of its own subscribed to
// the state events webhook{id}.VERB of hook id.
func (r *Run) watch(ctx context.Context, id int32, verbs ...string) (*framework.ChannelInfo, error) {
	ch, err := r.channel(ctx, "watcher")
	if err != nil {
		return nil, err
	}
	var events []string
	for _, v := range verbs {
		events = append(events, stateEvent(id, v))
	}
	if _, err := r.create(ctx, "watcher", r.define(ch, events...)); err != nil {
		return nil, err
	}
	return ch, nil
}

// stateEvent is the subscribed name of a state event of hook id.
func stateEvent(id int32, verb string) string { return fmt.Sprintf("webhook%d.%s", id, verb) }

// signal signals event for primary key pk.
func (r *Run) signal(ctx context.Context, event string, pk int32) error {
	if err := r.sb.D.Signal(ctx, event, pk, nil); err != nil {
		return fmt.Errorf("signal %s/%d: %w", event, pk, err)
	}
	r.action("signalled %s for PrimaryKey %d", event, pk)
	return nil
}

// last returns the highest call seq of a channel.
func (r *Run) last(ctx context.Context, ch *framework.ChannelInfo) (uint64, error) {
	list, err := r.sb.Env.RV.Calls(ctx, ch.ID, client.CallQuery{Limit: 1})
	if err != nil {
		return 0, fmt.Errorf("read channel %s: %w", ch.ID, err)
	}
	return list.Last, nil
}

// followedHook is how every scenario starts: a hook on a new channel
// subscribed to event, a watcher of its state events webhook{id}.VERB when
// verbs are given, the channel scripted with rule (what says how, for the
// timeline), and the poll loop following the hook from now on, with the
// scenario's mailbox when mail is set. The channel and the mailbox are
// r.follow.ch and r.follow.mailTo.
func (r *Run) followedHook(ctx context.Context, event, what string, rule api.Rule, mail bool, verbs ...string) (*driver.Webhook, error) {
	ch, hook, err := r.hook(ctx, event)
	if err != nil {
		return nil, err
	}
	var watcher *framework.ChannelInfo
	if len(verbs) > 0 {
		if watcher, err = r.watch(ctx, hook.ID, verbs...); err != nil {
			return nil, err
		}
	}
	if err := r.script(ctx, ch, what, rule); err != nil {
		return nil, err
	}
	mailTo := ""
	if mail {
		mailTo = hook.ErrorsEmail
	}
	if err := r.startFollowing(ctx, hook, ch, event, watcher, mailTo); err != nil {
		return nil, err
	}
	return hook, nil
}

// startFollowing makes the poll loop watch hook on ch for event, with
// its watcher channel and mailbox ("" for none), from now on.
func (r *Run) startFollowing(ctx context.Context, hook *driver.Webhook, ch *framework.ChannelInfo, event string, watcher *framework.ChannelInfo, mailTo string) error {
	f := &followed{hook: hook.ID, ch: ch, event: event, watcher: watcher, mailTo: mailTo, state: hook.State,
		stateAt: map[string]time.Time{}, attemptsAtStateEntry: map[string]int{}}
	var err error
	if f.after, err = r.last(ctx, ch); err != nil {
		return err
	}
	if watcher != nil {
		if f.watcherAfter, err = r.last(ctx, watcher); err != nil {
			return err
		}
	}
	if mailTo != "" {
		list, err := r.sb.Env.RV.Mail(ctx, client.MailQuery{To: mailTo})
		if err != nil {
			return fmt.Errorf("read the e-mail sink: %w", err)
		}
		f.mailAfter = list.Last
	}
	r.follow = f
	return nil
}

// poll waits up to wait for the next calls of the followed hook, then
// reads its State, its watcher and its mailbox, recording a step for
// everything new.
func (r *Run) poll(ctx context.Context, wait time.Duration) error {
	f := r.follow
	list, err := r.sb.Env.RV.Calls(ctx, f.ch.ID, client.CallQuery{After: f.after, Event: f.event, Min: 1, Wait: wait})
	if err != nil {
		return fmt.Errorf("read the calls of channel %s: %w", f.ch.ID, err)
	}
	if list.Last > f.after {
		f.after = list.Last
	}
	state := f.state
	if wh, err := r.sb.REST.Get(ctx, f.hook); err == nil && wh != nil {
		state = wh.State
	} else if err != nil && ctx.Err() != nil {
		return ctx.Err()
	}
	for _, c := range list.Calls {
		a := attemptOf(c, r.p)
		a.N = len(f.attempts) + 1
		a.Cycle = 1
		if n := len(f.attempts); n > 0 {
			prev := f.attempts[n-1]
			a.Cycle = prev.Cycle
			if prev.EventID != a.EventID {
				a.Cycle++
			}
		}
		f.attempts = append(f.attempts, a)
		r.startClock(a.ReceivedAt)
		r.step(Step{Kind: KindAttempt, At: a.ReceivedAt, Text: a.Answer(), State: state, Attempt: &a})
	}
	if state != f.state {
		f.state = state
		now := time.Now()
		f.stateAt[state] = now
		f.attemptsAtStateEntry[state] = len(f.attempts)
		r.step(Step{Kind: KindState, At: now, Text: "State → " + state, State: state})
	}
	if f.watcher != nil {
		wl, err := r.sb.Env.RV.Calls(ctx, f.watcher.ID, client.CallQuery{After: f.watcherAfter})
		if err != nil {
			return fmt.Errorf("read the watcher channel %s: %w", f.watcher.ID, err)
		}
		for _, c := range wl.Calls {
			f.watcherAfter = max(f.watcherAfter, c.Seq)
			if c.Event == "test" {
				continue
			}
			f.stateEvents = append(f.stateEvents, c)
			r.step(Step{Kind: KindStateEvent, At: c.ReceivedAt,
				Text: fmt.Sprintf("%s reached the watcher (body Event %s)", c.Event, gjson.Get(c.Body, "Event").String())})
		}
	}
	if f.mailTo != "" {
		ml, err := r.sb.Env.RV.Mail(ctx, client.MailQuery{To: f.mailTo, After: f.mailAfter})
		if err != nil {
			return fmt.Errorf("read the e-mail sink: %w", err)
		}
		for _, m := range ml.Mails {
			f.mailAfter = max(f.mailAfter, m.Seq)
			f.mails = append(f.mails, m)
			r.step(Step{Kind: KindMail, At: m.ReceivedAt, Text: fmt.Sprintf("e-mail to %s: %q", f.mailTo, m.Subject)})
		}
	}
	return nil
}

// await polls until cond holds or within passes, and reports whether
// cond held.
func (r *Run) await(ctx context.Context, within time.Duration, cond func() bool) (bool, error) {
	deadline := time.Now().Add(within)
	for {
		if cond() {
			return true, nil
		}
		left := time.Until(deadline)
		if left <= 0 {
			return false, nil
		}
		if err := r.poll(ctx, min(left, pollTick)); err != nil {
			return false, err
		}
	}
}

// never is an await condition for watching a quiet period.
func never() bool { return false }

// attempts returns how many attempts the followed hook got.
func (r *Run) attempts() int { return len(r.follow.attempts) }

// is reports whether the followed hook's State is state.
func (r *Run) is(state string) func() bool {
	return func() bool { return r.follow.state == state }
}

// hasStateEvent reports whether the watcher got webhook{id}.verb.
func (r *Run) hasStateEvent(verb string) bool {
	want := stateEvent(r.follow.hook, verb)
	for _, c := range r.follow.stateEvents {
		if strings.EqualFold(c.Event, want) {
			return true
		}
	}
	return false
}

// usage reads the usage statistics of hook id and records them as a
// note; ok is false when the profile has none or they cannot be read.
func (r *Run) usage(ctx context.Context, id int32, when string) (framework.Usage, bool) {
	rest, isREST := r.sb.REST.(*driver.RESTDriver)
	if !isREST || r.p.UsageStats == "none" {
		return framework.Usage{}, false
	}
	u, err := framework.ReadUsage(ctx, rest, r.p, id)
	if err != nil {
		r.note("usage statistics %s: unreadable: %v", when, err)
		return u, false
	}
	r.note("usage statistics %s: total_calls %d, total_errors %d, consecutive_errors %d", when, u.TotalCalls, u.TotalErrors, u.ConsecutiveErrors)
	return u, true
}

// cleanup deletes the scenario's hooks (and any stored hook carrying its
// name prefix) and forgets its channels: the sandbox's Clean, whose
// failures become notes.
func (r *Run) cleanup() {
	ctx, cancel := context.WithTimeout(context.Background(), framework.CleanupTimeout)
	defer cancel()
	for _, err := range r.sb.Clean(ctx) {
		r.note("clean-up: %v", err)
	}
}
