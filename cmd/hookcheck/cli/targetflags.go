package cli

import (
	"errors"
	"flag"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/hookcheck/hookcheck/conformance/driver"
	"github.com/hookcheck/hookcheck/conformance/embedded"
	"github.com/hookcheck/hookcheck/conformance/framework"
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
	caDir, certFile, keyFile        string
	tlsHosts                        listFlag
	connectTimeout                  time.Duration
	profileFile                     string
	// env is the command's environment (the default CA directory).
	env         *env
	mutant      string
	listMutants bool
	profile     framework.Profile
}

// register defines the flags on fs, the profile flags last; e is the
// command's environment.
func (f *targetFlagSet) register(fs *flagSet, e *env) {
	f.env = e
	fs.StringVar(&f.target, "target", "", "base `URL` of the implementation under test, the part before /api/v1 (e.g. https://host/Cust12345); empty: the embedded reference")
	fs.StringVar(&f.soapURL, "soap-url", "", "the SOAP Webhook.svc `URL` (default {target}/Remote/Services88/Webhook.svc); \"off\" skips the SOAP specs")
	fs.StringVar(&f.auth, "auth", "", "`credentials`: basic:USER:PASS, bearer:TOKEN or soticket:TICKET (SOAP needs a ticket), or several comma-separated (every scheme the target accepts, each tried at preflight; the first is used for REST and Agents calls, the soticket: one for SOAP wherever it sits, the others by the auth-matrix specs); prefer HOOKCHECK_AUTH")
	fs.StringVar(&f.appToken, "app-token", "", "app `token` sent as SO-AppToken / SOAP ApplicationToken (Online); prefer HOOKCHECK_APP_TOKEN")
	fs.StringVar(&f.listen, "receiver-listen", "127.0.0.1:0", "HTTP `address` of the suite's receiver (webhook calls and its control API)")
	fs.StringVar(&f.tlsListen, "receiver-tls-listen", "127.0.0.1:0", "HTTPS `address` of the suite's receiver, or off")
	fs.StringVar(&f.smtpListen, "receiver-smtp-listen", "127.0.0.1:0", "SMTP `address` of the suite's e-mail sink, or off")
	fs.StringVar(&f.publicURL, "receiver-public-url", "", "base `URL` the target is told to call when it cannot reach --receiver-listen directly (a tunnel, a TLS front, another host)")
	fs.StringVar(&f.caDir, "receiver-ca-dir", "", "`directory` of the persistent CA (hookcheck ca init) that signs the receiver's HTTPS certificate; default "+caDirHelp+" when a CA is there, else a CA made for this run only (off forces that)")
	fs.StringVar(&f.certFile, "receiver-cert", "", "PEM certificate `file` for the receiver's HTTPS listener, one the target already trusts (with --receiver-key; instead of a CA)")
	fs.StringVar(&f.keyFile, "receiver-key", "", "PEM private key `file` of --receiver-cert")
	fs.Var(&f.tlsHosts, "receiver-tls-host", "extra `host` name or IP the receiver's generated certificate covers (repeatable; loopback and the --receiver-public-url host always are)")
	fs.DurationVar(&f.connectTimeout, "connect-timeout", framework.DefaultConnectTimeout, "how long the first call to the target may take (connect and answer) before the run gives up with exit 2; a line every few seconds says it is waiting")
	fs.DurationVar(&f.bodyTimeout, "receiver-body-timeout", receiver.DefaultBodyTimeout, "how long a webhook call's body may take to reach the suite's receiver once its headers are in (slower: 408, recorded as aborted)")
	fs.StringVar(&f.mutant, "mutant", "", "run the embedded reference with the seeded fault `NAME` (embedded target only; see --list-mutants)")
	fs.BoolVar(&f.listMutants, "list-mutants", false, "list the seeded faults of the embedded reference and exit")
	fs.StringVar(&f.profileFile, "profile", "", "YAML `file` of profile flag values (as hookcheck profile prints); a profile flag on the command line or a HOOKCHECK_* variable wins over it")
	f.profile = framework.DefaultProfile()
	f.profile.RegisterFlags(fs.FlagSet)
	fs.section("Connection flags (reaching the target, and the target reaching the suite's receiver)", connectionFlags...)
}

// connectionFlags are the flags that reach the target and let it reach
// the suite's receiver, in help order.
var connectionFlags = []string{"target", "soap-url", "auth", "app-token", "connect-timeout",
	"receiver-listen", "receiver-tls-listen", "receiver-smtp-listen", "receiver-public-url",
	"receiver-ca-dir", "receiver-cert", "receiver-key", "receiver-tls-host", "receiver-body-timeout",
	"mutant", "list-mutants"}

// profileSection adds the help section of the profile flags: --profile,
// then every profile flag by name.
func profileSection(fs *flagSet) {
	names := []string{"profile"}
	for n := range profileFlagNames() {
		names = append(names, n)
	}
	sort.Strings(names[1:])
	fs.section("Profile flags (how the target resolves the points docs/superoffice-webhooks.md §9 leaves open;\nthe defaults are NetServer's documented behaviour; hookcheck profile prints them as a --profile file)", names...)
}

// chosenTarget is what the target flags resolve to.
type chosenTarget struct {
	// Open is the target, the receiver and the profile to open.
	Open framework.OpenConfig
	// Options are the settings the report records beyond the profile.
	Options map[string]string
	// Embedded is true for the embedded reference.
	Embedded bool
}

// resolve turns the parsed flags into the target to open. Without
// --target it configures the embedded reference from the profile flags
// given, with timeScale as its time scale unless --time-scale was given.
func (f *targetFlagSet) resolve(fs *flag.FlagSet, timeScale float64) (chosenTarget, error) {
	if f.profileFile != "" {
		if err := applyProfileFile(fs, f.profileFile); err != nil {
			return chosenTarget{}, err
		}
	}
	given := map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { given[fl.Name] = true })
	if f.bodyTimeout <= 0 {
		return chosenTarget{}, fmt.Errorf("--receiver-body-timeout must be positive, got %s", f.bodyTimeout)
	}
	if f.connectTimeout <= 0 {
		return chosenTarget{}, fmt.Errorf("--connect-timeout must be positive, got %s", f.connectTimeout)
	}
	rc, err := f.receiverTLS(given)
	if err != nil {
		return chosenTarget{}, err
	}
	rc.Listen, rc.TLSListen, rc.SMTPListen = f.listen, f.tlsListen, f.smtpListen
	rc.PublicURL, rc.BodyTimeout = strings.TrimRight(f.publicURL, "/"), f.bodyTimeout
	out := chosenTarget{Open: framework.OpenConfig{Receiver: rc,
		Preflight: framework.PreflightOptions{ConnectTimeout: f.connectTimeout}}}
	profile := f.profile
	if f.target == "" {
		for _, name := range []string{"soap-url", "auth", "app-token"} {
			if given[name] {
				return out, fmt.Errorf("--%s needs --target (the embedded reference brings its own)", name)
			}
		}
		opts := embedded.Options{
			Online: profile.Online, CheckRevocation: profile.CheckRevocation, Mutant: f.mutant, TimeScale: timeScale,
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
	if given["receiver-smtp-listen"] && f.smtpListen != receiver.Off && !given["smtp-captured"] {
		// The operator gave the sink a fixed address so the target can
		// mail it: the e-mail specs run unless told otherwise.
		profile.SMTPCaptured = true
	}
	out.Open.Profile = profile
	out.Open.Target = framework.Target{BaseURL: strings.TrimRight(f.target, "/"), SOAPURL: f.soapURL, Auth: auth, Auths: auths, AppToken: f.appToken}
	out.Options = map[string]string{"target": out.Open.Target.BaseURL, "auth": auth.String()}
	return out, profile.Validate()
}

// receiverTLS is the HTTPS part of the receiver's configuration: a given
// certificate, the persistent CA, or a CA for this run only.
func (f *targetFlagSet) receiverTLS(given map[string]bool) (receiver.Config, error) {
	var rc receiver.Config
	if (f.certFile == "") != (f.keyFile == "") {
		return rc, errors.New("--receiver-cert and --receiver-key go together")
	}
	hosts := append([]string(nil), f.tlsHosts...)
	if f.publicURL != "" {
		u, err := url.Parse(f.publicURL)
		if err != nil || u.Hostname() == "" || (u.Scheme != "http" && u.Scheme != "https") {
			return rc, fmt.Errorf("--receiver-public-url %q: want an http or https base URL", f.publicURL)
		}
		hosts = append(hosts, u.Hostname())
	}
	rc.TLSHosts = hosts
	if f.certFile != "" {
		if given["receiver-ca-dir"] && f.caDir != receiver.Off {
			return rc, errors.New("--receiver-cert replaces the CA: drop --receiver-ca-dir")
		}
		rc.TLSCertFile, rc.TLSKeyFile = f.certFile, f.keyFile
		return rc, nil
	}
	dir, err := chooseCADir(f.env, f.caDir, given["receiver-ca-dir"])
	if err != nil {
		return rc, fmt.Errorf("--receiver-ca-dir %w", err)
	}
	rc.CADir = dir
	return rc, nil
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
