package fault

import (
	"fmt"
	"math"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/hookcheck/hookcheck/receiver/api"
)

// DefaultSeed seeds the RNG of a rule that gives no seed, so runs are
// reproducible.
const DefaultSeed uint64 = 0x686f6f6b // "hook"

// Script is a compiled fault script. Its methods are safe for concurrent
// use; a nil *Script always answers 200 OK.
type Script struct {
	mu    sync.Mutex
	rules []rule
	lim   Limits
}

// rule is one compiled api.Rule plus its mutable state.
type rule struct {
	event       string
	matchHeader map[string]string
	nth         *nthRange
	left        int // uses left; -1 is forever
	hasProb     bool
	prob        float64
	rng         *rand.Rand

	status     int
	respHeader http.Header
	body       []byte
	bodyText   string      // body as a string
	reply      http.Header // respHeader plus Content-Length (replyHeader)
	delay      time.Duration
	jitter     time.Duration
	fault      Fault
}

// Compile validates rules and returns an executable script, the rules as
// they will run (durations clamped to Limits.MaxDelay) and one
// human-readable warning per clamp. Errors name the rule index. The caller's
// rules are not modified.
func Compile(rules []api.Rule, lim Limits) (*Script, []api.Rule, []string, error) {
	lim = lim.withDefaults()
	s := &Script{lim: lim, rules: make([]rule, 0, len(rules))}
	out := make([]api.Rule, 0, len(rules))
	var warnings []string
	for i, in := range rules {
		r := cloneRule(in)
		for _, w := range clamp(&r, lim) {
			warnings = append(warnings, fmt.Sprintf("rule %d: %s", i, w))
		}
		c, err := compileRule(r, lim)
		if err != nil {
			return nil, nil, nil, fmt.Errorf("rule %d: %w", i, err)
		}
		s.rules = append(s.rules, c)
		out = append(out, r)
	}
	return s, out, warnings, nil
}

// compileRule validates one rule whose durations are already clamped.
func compileRule(in api.Rule, lim Limits) (rule, error) {
	r := rule{left: -1, status: http.StatusOK, respHeader: http.Header{}}
	if m := in.Match; m != nil {
		r.event = m.Event
		r.matchHeader = m.Header
		if strings.TrimSpace(m.Nth) != "" {
			n, err := parseNth(m.Nth)
			if err != nil {
				return rule{}, err
			}
			r.nth = &n
		}
	}
	if in.Times != nil {
		if *in.Times < 0 {
			return rule{}, fmt.Errorf("times %d is negative; use 0 or more, or leave it out to answer every matching call", *in.Times)
		}
		r.left = *in.Times
	}
	if in.Probability != nil {
		p := *in.Probability
		if math.IsNaN(p) || p < 0 || p > 1 {
			return rule{}, fmt.Errorf("probability %v is outside 0..1; use for example 0.25 to answer one matching call in four", p)
		}
		r.hasProb, r.prob = true, p
	}
	seed := DefaultSeed
	if in.Seed != nil {
		seed = *in.Seed
	}
	r.rng = rand.New(rand.NewPCG(seed, seed))
	if err := compileRespond(&r, in.Respond); err != nil {
		return rule{}, err
	}
	r.fault = statusFault{}
	if in.Fault != nil {
		if in.Fault.Duration < 0 {
			return rule{}, fmt.Errorf("fault.duration %s is negative; use 0 or more, such as \"2s\"", in.Fault.Duration.D())
		}
		f, err := build(*in.Fault, lim)
		if err != nil {
			return rule{}, err
		}
		r.fault = f
	}
	r.reply = replyHeader(r.respHeader, r.status, len(r.body))
	return r, nil
}

// compileRespond validates the respond part of a rule into r.
func compileRespond(r *rule, in *api.Respond) error {
	if in == nil {
		return nil
	}
	if in.Status != 0 {
		if in.Status < 200 || in.Status > 599 {
			return fmt.Errorf("respond.status %d is not a final HTTP status; use 200..599, or leave it out for 200", in.Status)
		}
		r.status = in.Status
	}
	for k, v := range in.Headers {
		if !validHeaderName(k) {
			return fmt.Errorf("respond.headers name %q is not a valid HTTP header name; use letters, digits and dashes such as \"Retry-After\"", k)
		}
		if strings.ContainsAny(v, "\r\n") {
			return fmt.Errorf("respond.headers %q holds a line break; header values must be one line", k)
		}
		r.respHeader.Set(k, v)
	}
	r.body, r.bodyText = []byte(in.Body), in.Body
	if in.Delay < 0 {
		return fmt.Errorf("respond.delay %s is negative; use 0 or more, such as \"250ms\"", in.Delay.D())
	}
	if in.Jitter < 0 {
		return fmt.Errorf("respond.jitter %s is negative; use 0 or more, such as \"100ms\"", in.Jitter.D())
	}
	r.delay, r.jitter = in.Delay.D(), in.Jitter.D()
	return nil
}

// validHeaderName reports whether s is an RFC 9110 token.
func validHeaderName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		alnum := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
		if !alnum && !strings.ContainsRune("!#$%&'*+-.^_`|~", rune(c)) {
			return false
		}
	}
	return true
}

// Empty reports whether the script has no rules, so that every call gets
// the default 200 and a caller need not look up what rules would match on.
func (s *Script) Empty() bool { return s == nil || len(s.rules) == 0 }

// UsesLeft returns, per rule, how many more matching calls it answers: the
// rule's times less the calls it has answered, or nil for a rule without
// times (it answers forever). It is safe for concurrent use.
func (s *Script) UsesLeft() []*int {
	if s == nil {
		return []*int{}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]*int, len(s.rules))
	for i, r := range s.rules {
		if r.left >= 0 {
			n := r.left
			out[i] = &n
		}
	}
	return out
}

// SetUsesLeft restores each rule's uses left, as UsesLeft reported them
// (nil: answers forever), when a script is rebuilt from what was saved.
// A rule without times keeps answering forever whatever left says; left
// must have one entry per rule.
func (s *Script) SetUsesLeft(left []*int) error {
	if s == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(left) != len(s.rules) {
		return fmt.Errorf("uses left for %d rules, the script has %d", len(left), len(s.rules))
	}
	for i, n := range left {
		switch {
		case s.rules[i].left < 0:
		case n == nil || *n < 0:
			return fmt.Errorf("rule %d has times but no uses left saved", i)
		default:
			s.rules[i].left = min(*n, s.rules[i].left)
		}
	}
	return nil
}

// Decide picks the answer for a call: the first rule that matches and has
// uses left, or 200 OK. It consumes a use of the answering rule's times; a
// rule skipped by its probability draw keeps its uses. It is safe for
// concurrent use.
func (s *Script) Decide(c Call) Plan {
	if s == nil || len(s.rules) == 0 { // rules never change after Compile
		return defaultPlan()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range s.rules {
		r := &s.rules[i]
		if r.left == 0 || !r.matches(c) {
			continue
		}
		if r.hasProb && r.rng.Float64() >= r.prob {
			continue
		}
		if r.left > 0 {
			r.left--
		}
		return r.plan(i, s.lim)
	}
	return defaultPlan()
}

// matches reports whether every given part of the rule's match holds for c.
func (r *rule) matches(c Call) bool {
	if r.event != "" && !strings.EqualFold(r.event, c.Event) {
		return false
	}
	if r.nth != nil && !r.nth.contains(c.Nth) {
		return false
	}
	for name, want := range r.matchHeader {
		if !hasHeader(c.Header, name, want) {
			return false
		}
	}
	return true
}

// hasHeader reports whether h holds the value want under name, matching the
// name case-insensitively and the value exactly.
func hasHeader(h http.Header, name, want string) bool {
	for k, vs := range h {
		if strings.EqualFold(k, name) {
			for _, v := range vs {
				if v == want {
					return true
				}
			}
		}
	}
	return false
}

// plan makes the Plan of rule i for one call; the caller holds the script
// lock, which guards the rule's RNG.
func (r *rule) plan(i int, lim Limits) Plan {
	d := r.delay
	if r.jitter > 0 {
		d += time.Duration(r.rng.Int64N(int64(r.jitter)))
	}
	p := Plan{
		Rule:   i,
		Status: r.status,
		Header: r.respHeader,
		Body:   r.body,
		Delay:  min(d, lim.MaxDelay),
		Fault:  r.fault,

		reply:    r.reply,
		bodyText: r.bodyText,
	}
	if dr, ok := r.fault.(Drawer); ok {
		p.Data = dr.Draw(r.rng)
	}
	return p
}
