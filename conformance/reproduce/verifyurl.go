package reproduce

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/hookcheck/hookcheck/conformance/driver"
	"github.com/hookcheck/hookcheck/conformance/framework"
	"github.com/hookcheck/hookcheck/receiver/api"
	"github.com/hookcheck/hookcheck/receiver/client"
)

// verifyCase is one save of the verify-url scenario.
type verifyCase struct {
	// what says how the TargetUrl answers the test event.
	what  string
	rules func(p framework.Profile, elsewhere *framework.ChannelInfo) []api.Rule
	// stored is whether the save must store the hook; nil when the
	// profile leaves it open.
	stored func(p framework.Profile) *bool
}

// verifyURL is the scenario "verify-url" (spec §3, §9 #8, #9, #30): one
// save per way a TargetUrl can answer the save-time test event — 500, a
// connection reset, no answer before the target's timeout, a 302
// redirect, 200 — with the save's answer, the test event as the receiver
// saw it, and whether the hook was stored.
func verifyURL() Scenario {
	yes, no := true, false
	always := func(b *bool) func(framework.Profile) *bool { return func(framework.Profile) *bool { return b } }
	return Scenario{
		Name:    "verify-url",
		Summary: "save-time verification against a TargetUrl that answers 500, resets, times out, redirects, answers 200: each save's answer",
		script: func(ctx context.Context, r *Run) (string, error) {
			return runVerifyURL(ctx, r, []verifyCase{
				{what: "answers 500", rules: func(framework.Profile, *framework.ChannelInfo) []api.Rule {
					return []api.Rule{framework.Answer("", 500, 0)}
				}, stored: always(&no)},
				{what: "resets the connection", rules: func(framework.Profile, *framework.ChannelInfo) []api.Rule {
					return []api.Rule{framework.FaultRule("", "reset", 0)}
				}, stored: always(&no)},
				{what: "answers only after the target's timeout", rules: func(p framework.Profile, _ *framework.ChannelInfo) []api.Rule {
					return []api.Rule{framework.Delay("", p.TargetTimeout+max(2*time.Second, p.TargetTimeout/2), 0)}
				}, stored: always(&no)},
				{what: "redirects (302 Found to another channel)", rules: func(_ framework.Profile, elsewhere *framework.ChannelInfo) []api.Rule {
					return []api.Rule{framework.AnswerBody("", http.StatusFound, "", map[string]string{"Location": elsewhere.URL}, 0)}
				}, stored: func(p framework.Profile) *bool {
					if p.Redirects == "refuse" {
						return &no
					}
					return nil
				}},
				{what: "answers 200", rules: func(framework.Profile, *framework.ChannelInfo) []api.Rule { return nil }, stored: always(&yes)},
			})
		},
	}
}

// runVerifyURL saves one webhook per case and judges each answer.
func runVerifyURL(ctx context.Context, r *Run, cases []verifyCase) (string, error) {
	p := r.p
	elsewhere, err := r.channel(ctx, "redirect destination")
	if err != nil {
		return "", err
	}
	var outcomes []string
	n := 0
	for _, vc := range cases {
		ch, err := r.channel(ctx, "TargetUrl that "+vc.what, vc.rules(p, elsewhere)...)
		if err != nil {
			return "", err
		}
		wh := r.define(ch, r.event("changed"))
		r.startClock(time.Now())
		r.action("save a webhook whose TargetUrl %s", vc.what)
		start := time.Now()
		got, saveErr := r.sb.CreateHook(ctx, nil, wh)
		took := time.Since(start)
		if got != nil && got.ID > 0 {
			r.res.Hooks = append(r.res.Hooks, HookRef{ID: got.ID, Name: wh.Name, Role: "saved while the TargetUrl " + vc.what, TargetURL: wh.TargetURL})
		}
		list, err := r.sb.Env.RV.Calls(ctx, ch.ID, client.CallQuery{})
		if err != nil {
			return "", fmt.Errorf("read channel %s: %w", ch.ID, err)
		}
		for _, c := range list.Calls {
			n++
			a := attemptOf(c, p)
			a.N, a.Cycle = n, n
			r.step(Step{Kind: KindAttempt, At: c.ReceivedAt, Text: a.Answer(), Attempt: &a})
		}
		answer := "stored as webhook " + fmt.Sprint(idOf(got))
		if saveErr != nil {
			answer = "refused: " + firstLine(saveErr.Error())
		}
		r.step(Step{Kind: KindNote, Text: fmt.Sprintf("the save answered after %s: %s", human(took), answer)})
		stored := saveErr == nil && got != nil
		if !stored {
			if ok, err := r.storedByName(ctx, wh.Name); err != nil {
				return "", err
			} else if ok {
				r.differ(time.Now(), fmt.Sprintf("the save was refused while the TargetUrl %s, but the webhook was stored", vc.what), "nothing stored after a refused save")
			}
		}
		if want := vc.stored(p); want != nil && *want != stored {
			verb := map[bool]string{true: "stored the webhook", false: "refused the save"}
			r.differ(time.Now(), fmt.Sprintf("while the TargetUrl %s the target %s (%s)", vc.what, verb[stored], answer), verb[*want]+expectedWhy(vc, p))
		}
		if len(list.Calls) == 0 {
			r.differ(time.Now(), fmt.Sprintf("no test event reached the TargetUrl that %s", vc.what), "the save-time test event (spec §3)")
		}
		word := "refused"
		if stored {
			word = "stored"
		}
		outcomes = append(outcomes, fmt.Sprintf("%s: %s", shortCase(vc.what), word))
	}
	if calls, err := r.sb.Env.RV.Calls(ctx, elsewhere.ID, client.CallQuery{}); err != nil {
		return "", fmt.Errorf("read channel %s: %w", elsewhere.ID, err)
	} else if len(calls.Calls) > 0 && p.Redirects == "refuse" {
		r.differ(calls.Calls[0].ReceivedAt, "the target followed the 302 to its Location", "a redirect is not followed (--redirects refuse)")
	}
	return fmt.Sprintf("%d saves — %s", len(cases), strings.Join(outcomes, ", ")), nil
}

// storedByName reports whether a webhook named name is stored.
func (r *Run) storedByName(ctx context.Context, name string) (bool, error) {
	list, err := r.sb.REST.List(ctx, driver.Filter{})
	if err != nil {
		return false, fmt.Errorf("list webhooks: %w", err)
	}
	for _, wh := range list {
		if wh.Name == name {
			r.sb.Own(wh.ID)
			r.res.Hooks = append(r.res.Hooks, HookRef{ID: wh.ID, Name: wh.Name, Role: "stored despite a refusal", TargetURL: wh.TargetURL})
			return true, nil
		}
	}
	return false, nil
}

// expectedWhy names the profile setting behind a case's expectation.
func expectedWhy(vc verifyCase, p framework.Profile) string {
	switch {
	case strings.Contains(vc.what, "redirect"):
		return " (--redirects " + p.Redirects + ")"
	case strings.Contains(vc.what, "timeout"):
		return fmt.Sprintf(" (--target-timeout %s)", p.TargetTimeout)
	}
	return " (spec §3)"
}

// shortCase is a case's name in the verdict.
func shortCase(what string) string {
	switch {
	case strings.Contains(what, "500"):
		return "500"
	case strings.Contains(what, "reset"):
		return "reset"
	case strings.Contains(what, "timeout"):
		return "timeout"
	case strings.Contains(what, "redirect"):
		return "302"
	}
	return "200"
}

// idOf is a saved webhook's id, 0 for none.
func idOf(wh *driver.Webhook) int32 {
	if wh == nil {
		return 0
	}
	return wh.ID
}

// firstLine returns the first line of s.
func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
