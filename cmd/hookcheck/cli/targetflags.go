package cli

import (
	"errors"
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/hookcheck/hookcheck/conformance"
	"github.com/hookcheck/hookcheck/conformance/driver"
	"github.com/hookcheck/hookcheck/conformance/embedded"
	"github.com/hookcheck/hookcheck/receiver"
)

// targetFlagSet are the flags that choose and reach the implementation
// under test — target, credentials, the receiver's addresses and the
// embedded reference's mutant — shared by "hookcheck run" and "hookcheck
// reproduce", together with the profile flags.
type targetFlagSet struct {
	target, soapURL, auth, appToken string
	listen, tlsListen, smtpListen   string
	publicURL                       string
	bodyTimeout                     time.Duration
	mutant                          string
	listMutants                     bool
	profile                         conformance.Profile
}

// register defines the flags on fs, the profile flags last.
func (f *targetFlagSet) register(fs *flagSet) {
	fs.StringVar(&f.target, "target", "", "base `URL` of the implementation under test, the part before /api/v1 (e.g. https://host/Cust12345); empty: the embedded reference")
	fs.StringVar(&f.soapURL, "soap-url", "", "the SOAP Webhook.svc `URL` (default {target}/Remote/Services88/Webhook.svc); \"off\" skips the SOAP specs")
	fs.StringVar(&f.auth, "auth", "", "`credentials`: basic:USER:PASS, bearer:TOKEN or soticket:TICKET (SOAP needs a ticket), or several comma-separated (every scheme the target accepts; the first is used for every call, the others by the auth-matrix specs); prefer HOOKCHECK_AUTH")
	fs.StringVar(&f.appToken, "app-token", "", "app `token` sent as SO-AppToken / SOAP ApplicationToken (Online); prefer HOOKCHECK_APP_TOKEN")
	fs.StringVar(&f.listen, "receiver-listen", "127.0.0.1:0", "HTTP `address` of the suite's receiver (webhook calls and its control API)")
	fs.StringVar(&f.tlsListen, "receiver-tls-listen", "127.0.0.1:0", "HTTPS `address` of the suite's receiver, or off")
	fs.StringVar(&f.smtpListen, "receiver-smtp-listen", "127.0.0.1:0", "SMTP `address` of the suite's e-mail sink, or off")
	fs.StringVar(&f.publicURL, "receiver-public-url", "", "base `URL` the target is told to call when it cannot reach --receiver-listen directly (a tunnel, a TLS front, another host)")
	fs.DurationVar(&f.bodyTimeout, "receiver-body-timeout", receiver.DefaultBodyTimeout, "how long a webhook call's body may take to reach the suite's receiver once its headers are in (slower: 408, recorded as aborted)")
	fs.StringVar(&f.mutant, "mutant", "", "run the embedded reference with the seeded fault `NAME` (embedded target only; see --list-mutants)")
	fs.BoolVar(&f.listMutants, "list-mutants", false, "list the seeded faults of the embedded reference and exit")
	f.profile = conformance.DefaultProfile()
	f.profile.RegisterFlags(fs.FlagSet)
}

// chosenTarget is what the target flags resolve to.
type chosenTarget struct {
	// Open is the target, the receiver and the profile to open.
	Open conformance.OpenConfig
	// Options are the settings the report records beyond the profile.
	Options map[string]string
	// Embedded is true for the embedded reference.
	Embedded bool
}

// resolve turns the parsed flags into the target to open. Without
// --target it configures the embedded reference from the profile flags
// given, with timeScale as its time scale unless --time-scale was given.
func (f *targetFlagSet) resolve(fs *flag.FlagSet, timeScale float64) (chosenTarget, error) {
	given := map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { given[fl.Name] = true })
	if f.bodyTimeout <= 0 {
		return chosenTarget{}, fmt.Errorf("--receiver-body-timeout must be positive, got %s", f.bodyTimeout)
	}
	out := chosenTarget{Open: conformance.OpenConfig{Receiver: receiver.Config{
		Listen: f.listen, TLSListen: f.tlsListen, SMTPListen: f.smtpListen, PublicURL: strings.TrimRight(f.publicURL, "/"),
		BodyTimeout: f.bodyTimeout,
	}}}
	profile := f.profile
	if f.target == "" {
		for _, name := range []string{"soap-url", "auth", "app-token"} {
			if given[name] {
				return out, fmt.Errorf("--%s needs --target (the embedded reference brings its own)", name)
			}
		}
		opts := embedded.Options{
			Online: profile.Online, Mutant: f.mutant, TimeScale: timeScale,
			RetryDelays: profile.RetryDelays, AttemptsPerCycle: profile.AttemptsPerCycle, Cycles: profile.Cycles, ErrorThreshold: profile.ErrorThreshold,
			Success: profile.Success, Properties: profile.Properties, SignalValues: profile.SignalValues,
			V121Fields: profile.V121 || profile.UsageStats == "fields",
		}
		if given["time-scale"] {
			opts.TimeScale = profile.TimeScale
		}
		if given["target-timeout"] {
			opts.HTTPTimeout = profile.TargetTimeout
		}
		if given["context-identifier"] {
			opts.ContextIdentifier = profile.ContextIdentifier
		}
		if f.mutant != "" && !knownMutant(f.mutant) {
			ms := embedded.Mutants()
			if len(ms) == 0 {
				return out, fmt.Errorf("--mutant %q: the embedded reference offers no mutants yet", f.mutant)
			}
			return out, fmt.Errorf("--mutant %q: unknown; the embedded reference offers %s", f.mutant, strings.Join(ms, ", "))
		}
		p, err := overlay(embedded.Profile(opts), fs, given)
		if err != nil {
			return out, err
		}
		out.Open.Profile = p
		out.Open.StartTarget = embedded.Starter(opts)
		out.Options = map[string]string{"target": "embedded"}
		if f.mutant != "" {
			out.Options["mutant"] = f.mutant
		}
		out.Embedded = true
		return out, nil
	}
	if f.mutant != "" {
		return out, errors.New("--mutant works with the embedded reference only (drop --target)")
	}
	var auth driver.Auth
	var auths []driver.Auth
	if f.auth != "" {
		as, err := driver.ParseAuthList(f.auth)
		if err != nil {
			return out, fmt.Errorf("--auth: %w", err)
		}
		auth, auths = as[0], as
	}
	out.Open.Profile = profile
	out.Open.Target = conformance.Target{BaseURL: strings.TrimRight(f.target, "/"), SOAPURL: f.soapURL, Auth: auth, Auths: auths, AppToken: f.appToken}
	out.Options = map[string]string{"target": out.Open.Target.BaseURL, "auth": auth.String()}
	return out, profile.Validate()
}

// printMutantNames lists the embedded reference's seeded faults.
func printMutantNames(e *env) {
	ms := embedded.Mutants()
	if len(ms) == 0 {
		fmt.Fprintln(e.stdout, "the embedded reference offers no mutants yet")
	}
	for _, m := range ms {
		fmt.Fprintln(e.stdout, m)
	}
}
