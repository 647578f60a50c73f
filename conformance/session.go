package conformance

import (
	"context"
	"regexp"
	"strings"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/hookcheck/hookcheck/conformance/driver"
	"github.com/hookcheck/hookcheck/conformance/framework"
	"github.com/hookcheck/hookcheck/reports"
)

// session is what a run set up before its first spec: the receiver, the
// target and the Env the specs share.
type session struct {
	cat      reports.Catalogue
	expected reports.ExpectedFailures
	info     framework.ReceiverInfo
	target   framework.Target
	env      *framework.Env
	limiter  driver.Limiter
	// watch notices a target that stops answering during the run.
	watch   *targetWatch
	closers []func() error
}

// close stops the target and the receiver.
func (ss *session) close() {
	for i := len(ss.closers) - 1; i >= 0; i-- {
		_ = ss.closers[i]()
	}
}

// setUp validates cfg, starts the receiver and the target and runs the
// preflight.
func setUp(ctx context.Context, cfg RunConfig) (_ *session, err error) {
	if cfg.MaxRPS < 0 {
		return nil, framework.ConfigErrorf("--max-rps must not be negative, got %v", cfg.MaxRPS)
	}
	if cfg.LabelFilter != "" {
		if _, err := types.ParseLabelFilter(cfg.LabelFilter); err != nil {
			return nil, framework.ConfigErrorf("--label-filter %q: %s", cfg.LabelFilter, oneLine(err.Error()))
		}
	}
	ss := &session{watch: &targetWatch{}}
	if ss.cat, err = framework.Catalogue(); err != nil {
		return nil, err
	}
	if cfg.ExpectedFailures != "" {
		if ss.expected, err = reports.LoadExpectedFailures(cfg.ExpectedFailures); err != nil {
			return nil, &framework.ConfigError{Err: err}
		}
	}
	if cfg.MaxRPS > 0 {
		ss.limiter = driver.NewTokenBucket(cfg.MaxRPS)
	}
	env, closeEnv, err := framework.Open(ctx, framework.OpenConfig{Target: cfg.Target, StartTarget: cfg.StartTarget,
		Receiver: cfg.Receiver, Profile: cfg.Profile, Limiter: ss.limiter, Watch: ss.watch,
		Preflight: framework.PreflightOptions{ConnectTimeout: cfg.ConnectTimeout, Progress: cfg.Progress}})
	if err != nil {
		return nil, err
	}
	ss.closers = append(ss.closers, func() error { closeEnv(); return nil })
	ss.env, ss.target, ss.info = env, env.Target, env.Receiver
	ss.watch.attach(env)
	return ss, nil
}

// ansi matches terminal colour sequences.
var ansi = regexp.MustCompile(`\x1b\[[0-9;]*m`)

// oneLine flattens a multi-line, coloured message (Ginkgo's label-filter
// errors) into one plain line.
func oneLine(s string) string {
	var parts []string
	for _, l := range strings.Split(ansi.ReplaceAllString(s, ""), "\n") {
		l = strings.Join(strings.Fields(l), " ")
		if l == "" || strings.HasPrefix(l, "Learn more at") {
			continue
		}
		parts = append(parts, l)
	}
	return strings.Join(parts, " — ")
}
