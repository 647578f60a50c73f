package framework

import (
	"errors"
	"flag"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/hookcheck/hookcheck/reports"
)

// Profile says how the target resolves the points the spec leaves open
// (every "Cfg: yes" row of spec §9, plus §8 Online) and how patient the
// suite is. DefaultProfile is NetServer's documented behaviour; each field
// names its §9 row and the hookcheck run flag that sets it.
type Profile struct {
	// TimeScale multiplies every expected delay of the retry schedule
	// (--time-scale). 1 for a real NetServer.
	TimeScale float64
	// RetryDelays are the waits before attempts 2, 3, ... of a cycle,
	// unscaled; the last repeats (--retry-delays, §5, §9 #3).
	RetryDelays []time.Duration
	// AttemptsPerCycle is the attempts one cycle gets (--attempts-per-cycle,
	// §9 #3).
	AttemptsPerCycle int
	// Cycles is how many cycles a failing payload gets before it is
	// discarded (--cycles, §9 #3).
	Cycles int
	// CycleGap is the unscaled wait before a requeued payload's next cycle
	// (--cycle-gap, §9 #3).
	CycleGap time.Duration
	// ErrorThreshold is the consecutive failed attempts that make a hook
	// TooManyErrors (--error-threshold, §9 #4).
	ErrorThreshold int
	// Success is "200" (only 200 OK succeeds) or "2xx" (--success, §9 #2).
	Success string
	// RequireHTTPS is true when the target refuses plain-http and untrusted
	// TargetUrls (--require-https, §9 #10); hooks then point at the
	// receiver's HTTPS address.
	RequireHTTPS bool
	// CheckRevocation is true when the target refuses a TargetUrl whose
	// certificate the CRL it names lists as revoked (--check-revocation,
	// §3). Off by default: the docs list revoked certificates among the
	// refused ones but not how revocation is checked, and the check needs
	// the receiver's CRL within the target's reach.
	CheckRevocation bool
	// Online turns on the app-isolation specs (--online, §8).
	Online bool
	// Properties is "top" or "nested" (--properties, §9 #14).
	Properties string
	// StateNumbering is "enum" (0 Unknown, 1 Active, 2 Stopped,
	// 3 TooManyErrors) or "ste" (0 Active, 1 Stopped, 2 TooManyErrors), the
	// numbering of FieldValues.state (--state-numbering, §9 #1, #12).
	StateNumbering string
	// StateEventEvents is what FieldValues.events holds: "total-calls",
	// "event-count" (the number of subscribed names) or "any"
	// (--state-event-events, §9 #12).
	StateEventEvents string
	// RetryHeader is "count" (absent on attempt 1, then 1, 2, ...),
	// "zero-based" (0 on attempt 1, then 1, 2, ...) or "any"
	// (--retry-header, §9 #5).
	RetryHeader string
	// SignalValues is true when SignalEvent data values reach HTTP bodies
	// as FieldValues (--signal-values, §9 #15).
	SignalValues bool
	// EventMatch is "exact-ci" (exact, case-insensitive) or "exact"
	// (--event-match, §9 #16).
	EventMatch string
	// IDPolicy is "path" (POST ignores a body id, PUT/PATCH use the path
	// id) or "any" (not asserted) (--id-policy, §9 #17).
	IDPolicy string
	// MissingID is "null" (REST 404; Agents and SOAP answer null),
	// "error" (every style refuses) or "any" (--missing-id, §9 #18).
	MissingID string
	// VerifyOnUpdate is true when every save, not only a create, runs the
	// URL check (--verify-on-update, §9 #8).
	VerifyOnUpdate bool
	// SaveErrorStatus is the HTTP status of a refused save; 0 accepts any
	// non-2xx status (--save-error-status, §9 #9).
	SaveErrorStatus int
	// StartedOnCreate is true when creating an Active hook fires
	// webhook{id}.started (--started-on-create, §9 #13).
	StartedOnCreate bool
	// QueueWhileInactive is true when events signalled while a hook is not
	// Active are kept and pending retries survive stop and delete
	// (--queue-while-inactive, §9 #7).
	QueueWhileInactive bool
	// ContextIdentifier is the expected body ContextIdentifier; "" accepts
	// any non-empty value (--context-identifier, §9 #23).
	ContextIdentifier string
	// RequiredFields is true when saves with empty Events or TargetUrl are
	// refused (--required-fields, §9 #25).
	RequiredFields bool
	// TargetTimeout is how long the target waits for a webhook target
	// before it counts a failure (--target-timeout, §9 #30).
	TargetTimeout time.Duration
	// Redirects is "refuse" (a 3xx answer is a failure, not followed) or
	// "any" (--redirects, §9 #30).
	Redirects string
	// SOAPVersion is "1.1" or "1.2" (--soap-version, §9 #20).
	SOAPVersion string
	// UsageStats says where usage statistics can be read: "archive"
	// (GET /api/v1/Archive/dynamic, §5), "fields" (the v12.1 TotalCalls,
	// TotalErrors, ConsecutiveErrors fields, §1.8) or "none"
	// (--usage-stats).
	UsageStats string
	// V121 is true when the target has the v12.1 members of the entity
	// (--v121, §1.8): ErrorEmails, Description, NotifyVia, NotifyWhen and
	// the read-only usage mirrors; the v12.1 specs skip otherwise.
	V121 bool
	// SMTPCaptured is true when the target sends its error e-mails to the
	// suite's SMTP sink (--smtp-captured; hookcheck run turns it on when
	// the run's own sink is in use); the e-mail specs skip otherwise.
	SMTPCaptured bool

	// TimingTolerance is the absolute slack allowed on every measured
	// delay, on top of TimingRelative × the delay (--timing-tolerance).
	TimingTolerance time.Duration
	// TimingRelative is the relative slack on measured delays
	// (--timing-relative).
	TimingRelative float64
	// QuietPeriod is how long the suite watches for a delivery that must
	// not come (--quiet-period).
	QuietPeriod time.Duration
	// DeliveryWait bounds the wait for a delivery that must come, beyond
	// the retry schedule (--delivery-wait).
	DeliveryWait time.Duration
}

// DefaultProfile returns NetServer's documented behaviour with the spec's
// recommendations for the undocumented points.
func DefaultProfile() Profile {
	return Profile{
		TimeScale:         1,
		RetryDelays:       []time.Duration{time.Second, 4 * time.Second},
		AttemptsPerCycle:  3,
		Cycles:            3,
		ErrorThreshold:    9,
		Success:           "200",
		RequireHTTPS:      true,
		Properties:        "top",
		StateNumbering:    "enum",
		StateEventEvents:  "any",
		RetryHeader:       "count",
		EventMatch:        "exact-ci",
		IDPolicy:          "path",
		MissingID:         "null",
		VerifyOnUpdate:    true,
		StartedOnCreate:   false,
		ContextIdentifier: "Default",
		RequiredFields:    true,
		TargetTimeout:     30 * time.Second,
		Redirects:         "refuse",
		SOAPVersion:       "1.1",
		UsageStats:        "archive",
		TimingTolerance:   250 * time.Millisecond,
		TimingRelative:    0.25,
		QuietPeriod:       2 * time.Second,
		DeliveryWait:      20 * time.Second,
	}
}

// Validate reports the first inconsistent setting.
func (p Profile) Validate() error {
	oneOf := func(flagName, v string, allowed ...string) error {
		for _, a := range allowed {
			if v == a {
				return nil
			}
		}
		return fmt.Errorf("--%s %q: want %s", flagName, v, strings.Join(allowed, ", "))
	}
	var errs []error
	if p.TimeScale <= 0 || math.IsInf(p.TimeScale, 0) || math.IsNaN(p.TimeScale) {
		errs = append(errs, fmt.Errorf("--time-scale %v: want a positive number", p.TimeScale))
	}
	if len(p.RetryDelays) == 0 {
		errs = append(errs, errors.New("--retry-delays: want at least one delay"))
	}
	for _, d := range p.RetryDelays {
		if d < 0 {
			errs = append(errs, fmt.Errorf("--retry-delays: %v is negative", d))
		}
	}
	if p.AttemptsPerCycle < 1 {
		errs = append(errs, fmt.Errorf("--attempts-per-cycle %d: want at least 1", p.AttemptsPerCycle))
	}
	if p.Cycles < 1 {
		errs = append(errs, fmt.Errorf("--cycles %d: want at least 1", p.Cycles))
	}
	if p.ErrorThreshold < 1 {
		errs = append(errs, fmt.Errorf("--error-threshold %d: want at least 1", p.ErrorThreshold))
	}
	if p.CycleGap < 0 || p.TargetTimeout <= 0 || p.QuietPeriod <= 0 || p.DeliveryWait <= 0 || p.TimingTolerance < 0 {
		errs = append(errs, errors.New("--cycle-gap, --target-timeout, --quiet-period, --delivery-wait and --timing-tolerance must not be negative (and the last four not zero, but --timing-tolerance may be)"))
	}
	if p.TimingRelative < 0 {
		errs = append(errs, fmt.Errorf("--timing-relative %v is negative", p.TimingRelative))
	}
	if p.SaveErrorStatus != 0 && (p.SaveErrorStatus < 300 || p.SaveErrorStatus > 599) {
		errs = append(errs, fmt.Errorf("--save-error-status %d: want 0 or a status 300–599", p.SaveErrorStatus))
	}
	errs = append(errs,
		oneOf("success", p.Success, "200", "2xx"),
		oneOf("properties", p.Properties, "top", "nested"),
		oneOf("state-numbering", p.StateNumbering, "enum", "ste"),
		oneOf("state-event-events", p.StateEventEvents, "total-calls", "event-count", "any"),
		oneOf("retry-header", p.RetryHeader, "count", "zero-based", "any"),
		oneOf("event-match", p.EventMatch, "exact-ci", "exact"),
		oneOf("id-policy", p.IDPolicy, "path", "any"),
		oneOf("missing-id", p.MissingID, "null", "error", "any"),
		oneOf("redirects", p.Redirects, "refuse", "any"),
		oneOf("soap-version", p.SOAPVersion, "1.1", "1.2"),
		oneOf("usage-stats", p.UsageStats, "archive", "fields", "none"),
	)
	return errors.Join(errs...)
}

// Scaled multiplies a delay of the target's schedule by TimeScale.
func (p Profile) Scaled(d time.Duration) time.Duration {
	return time.Duration(float64(d) * p.TimeScale)
}

// RetryDelay returns the scaled wait before attempt n (2-based) of a
// cycle.
func (p Profile) RetryDelay(attempt int) time.Duration {
	return p.Scaled(p.SpecRetryDelay(attempt))
}

// SpecRetryDelay returns the wait before attempt n (2-based) of a cycle
// as the spec and the profile give it, unscaled.
func (p Profile) SpecRetryDelay(attempt int) time.Duration {
	i := attempt - 2
	if i >= len(p.RetryDelays) {
		i = len(p.RetryDelays) - 1
	}
	if i < 0 {
		return 0
	}
	return p.RetryDelays[i]
}

// ScaledText prints a delay of the target's schedule as the run waits it,
// with the spec's value and the scale when they differ: "400ms (spec 4s ×
// time-scale 0.1)"; "4s" at time-scale 1.
func (p Profile) ScaledText(spec time.Duration) string {
	scaled := reports.ReadableDuration(p.Scaled(spec))
	if p.TimeScale == 1 {
		return scaled
	}
	return fmt.Sprintf("%s (spec %s × time-scale %s)", scaled, reports.ReadableDuration(spec), strconv.FormatFloat(p.TimeScale, 'g', -1, 64))
}

// CycleSpan is the scaled time one full failing cycle takes, from its
// first attempt to its last, plus the gap to the next cycle.
func (p Profile) CycleSpan() time.Duration {
	var d time.Duration
	for a := 2; a <= p.AttemptsPerCycle; a++ {
		d += p.RetryDelay(a)
	}
	return d + p.Scaled(p.CycleGap)
}

// Tolerance is the slack allowed on a measured delay d.
func (p Profile) Tolerance(d time.Duration) time.Duration {
	return time.Duration(float64(d)*p.TimingRelative) + p.TimingTolerance
}

// DelayBounds are the shortest and the longest measured delay that match
// a scheduled delay want: a little early (5 % and 5 ms, for timer and
// clock granularity) up to want plus its Tolerance.
func (p Profile) DelayBounds(want time.Duration) (low, high time.Duration) {
	return want - want/20 - 5*time.Millisecond, want + p.Tolerance(want)
}

// Within bounds a wait for something the schedule says takes d: d plus
// its tolerance plus DeliveryWait.
func (p Profile) Within(d time.Duration) time.Duration {
	return d + p.Tolerance(d) + p.DeliveryWait
}

// FailuresWait bounds the wait for n consecutive failed attempts of one
// payload under the retry schedule (every attempt answered at once).
func (p Profile) FailuresWait(n int) time.Duration {
	cycles := (n + p.AttemptsPerCycle - 1) / p.AttemptsPerCycle
	return p.Within(time.Duration(cycles) * p.CycleSpan())
}

// SuccessStatus reports whether the profile counts status as a success.
func (p Profile) SuccessStatus(status int) bool {
	if p.Success == "2xx" {
		return status >= 200 && status <= 299
	}
	return status == 200
}

// StateNumber is the number FieldValues.state should hold for a state
// name under the profile's numbering.
func (p Profile) StateNumber(state string) int {
	names := []string{"Unknown", "Active", "Stopped", "TooManyErrors"}
	if p.StateNumbering == "ste" {
		names = []string{"Active", "Stopped", "TooManyErrors"}
	}
	for i, n := range names {
		if strings.EqualFold(n, state) {
			return i
		}
	}
	return -1
}

// Options returns the profile as flag name → value, for the report.
func (p Profile) Options() map[string]string {
	fs := flag.NewFlagSet("profile", flag.ContinueOnError)
	q := p
	q.RegisterFlags(fs)
	out := map[string]string{}
	fs.VisitAll(func(f *flag.Flag) { out[f.Name] = f.Value.String() })
	return out
}

// RegisterFlags binds every profile field to a flag of fs, with p's
// current values as defaults.
func (p *Profile) RegisterFlags(fs *flag.FlagSet) {
	fs.Float64Var(&p.TimeScale, "time-scale", p.TimeScale, "multiplies every delay of the target's retry schedule (the embedded reference runs time-compressed)")
	fs.Var((*DurationList)(&p.RetryDelays), "retry-delays", "comma-separated waits before attempts 2, 3, ... of a cycle, unscaled; the last repeats (spec §5, §9 #3)")
	fs.IntVar(&p.AttemptsPerCycle, "attempts-per-cycle", p.AttemptsPerCycle, "attempts of one delivery cycle (§9 #3)")
	fs.IntVar(&p.Cycles, "cycles", p.Cycles, "cycles a failing payload gets before it is discarded (§9 #3)")
	fs.DurationVar(&p.CycleGap, "cycle-gap", p.CycleGap, "unscaled wait before a requeued payload's next cycle (§9 #3)")
	fs.IntVar(&p.ErrorThreshold, "error-threshold", p.ErrorThreshold, "consecutive failed attempts that make a hook TooManyErrors (§5, §9 #4)")
	fs.StringVar(&p.Success, "success", p.Success, "which answers count as delivered: 200 (exactly 200 OK) or 2xx (§9 #2)")
	fs.BoolVar(&p.RequireHTTPS, "require-https", p.RequireHTTPS, "the target refuses plain-http and untrusted TargetUrls; hooks point at the receiver's HTTPS address (§3, §9 #10)")
	fs.BoolVar(&p.CheckRevocation, "check-revocation", p.CheckRevocation, "the target checks revocation: it refuses a TargetUrl whose certificate is on the CRL the certificate names (the receiver's CA serves one); enables the revoked-certificate spec (§3)")
	fs.BoolVar(&p.Online, "online", p.Online, "the target isolates webhooks by app token (Online, §8); enables the isolation specs")
	fs.StringVar(&p.Properties, "properties", p.Properties, "where Properties go in the body: top (merged as top-level members) or nested (under \"Properties\") (§9 #14)")
	fs.StringVar(&p.StateNumbering, "state-numbering", p.StateNumbering, "numbering of FieldValues.state in state events: enum (1 = Active) or ste (0 = Active) (§9 #1, #12)")
	fs.StringVar(&p.StateEventEvents, "state-event-events", p.StateEventEvents, "what FieldValues.events holds: total-calls, event-count or any (§9 #12)")
	fs.StringVar(&p.RetryHeader, "retry-header", p.RetryHeader, "X-SuperOffice-Retry: count (absent on attempt 1, then 1, 2), zero-based (0, 1, 2) or any (§9 #5)")
	fs.BoolVar(&p.SignalValues, "signal-values", p.SignalValues, "SignalEvent data values reach HTTP bodies as FieldValues (§9 #15)")
	fs.StringVar(&p.EventMatch, "event-match", p.EventMatch, "event-name and name-filter matching: exact-ci (case-insensitive) or exact (§9 #16)")
	fs.StringVar(&p.IDPolicy, "id-policy", p.IDPolicy, "path (POST ignores a body WebhookId; PUT/PATCH use the path id) or any (§9 #17)")
	fs.StringVar(&p.MissingID, "missing-id", p.MissingID, "unknown ids: null (REST 404, Agents/SOAP null), error (every style refuses) or any (§9 #18)")
	fs.BoolVar(&p.VerifyOnUpdate, "verify-on-update", p.VerifyOnUpdate, "every save runs the URL check, not only creates (§9 #8)")
	fs.IntVar(&p.SaveErrorStatus, "save-error-status", p.SaveErrorStatus, "HTTP status of a save refused by the URL check; 0 accepts any non-2xx (§9 #9)")
	fs.BoolVar(&p.StartedOnCreate, "started-on-create", p.StartedOnCreate, "creating an Active hook fires webhook{id}.started (§9 #13)")
	fs.BoolVar(&p.QueueWhileInactive, "queue-while-inactive", p.QueueWhileInactive, "events signalled while a hook is not Active are kept, and pending retries survive stop and delete (§9 #7)")
	fs.StringVar(&p.ContextIdentifier, "context-identifier", p.ContextIdentifier, "expected body ContextIdentifier (the tenant id Online); empty accepts any non-empty value (§9 #23)")
	fs.BoolVar(&p.RequiredFields, "required-fields", p.RequiredFields, "saves with empty Events or TargetUrl are refused (§9 #25)")
	fs.DurationVar(&p.TargetTimeout, "target-timeout", p.TargetTimeout, "how long the target waits for a webhook target before counting a failure (§9 #30); the timeout specs wait this long")
	fs.StringVar(&p.Redirects, "redirects", p.Redirects, "redirect answers: refuse (not followed, a failure) or any (§9 #30)")
	fs.StringVar(&p.SOAPVersion, "soap-version", p.SOAPVersion, "SOAP version the SOAP driver speaks: 1.1 or 1.2 (§9 #20)")
	fs.StringVar(&p.UsageStats, "usage-stats", p.UsageStats, "where usage statistics are read: archive (/api/v1/Archive/dynamic), fields (v12.1 TotalCalls...) or none (§5, §1.8)")
	fs.BoolVar(&p.V121, "v121", p.V121, "the target has the v12.1 entity members (ErrorEmails, Description, NotifyVia, NotifyWhen, TotalCalls, TotalErrors, ConsecutiveErrors, LastError; §1.8); enables their specs (the embedded reference turns them on with this flag or --usage-stats fields)")
	fs.BoolVar(&p.SMTPCaptured, "smtp-captured", p.SMTPCaptured, "the target sends its error e-mails to the suite's SMTP sink (configure it with a fixed --receiver-smtp-listen address); on by default with the embedded target and when --receiver-smtp-listen is given; when off the e-mail specs are skipped and listed as not checked")
	fs.DurationVar(&p.TimingTolerance, "timing-tolerance", p.TimingTolerance, "absolute slack on every measured delay")
	fs.Float64Var(&p.TimingRelative, "timing-relative", p.TimingRelative, "relative slack on every measured delay (0.25 = +25%)")
	fs.DurationVar(&p.QuietPeriod, "quiet-period", p.QuietPeriod, "how long the suite watches for a delivery that must not come")
	fs.DurationVar(&p.DeliveryWait, "delivery-wait", p.DeliveryWait, "longest wait for a delivery that must come, beyond the retry schedule")
}

// DurationList is a comma-separated list of durations ("1s,4s"; a bare
// number means seconds) as a flag.Value. The CLI uses it too.
type DurationList []time.Duration

// String implements flag.Value.
func (l *DurationList) String() string {
	parts := make([]string, len(*l))
	for i, d := range *l {
		parts[i] = d.String()
	}
	return strings.Join(parts, ",")
}

// Set implements flag.Value.
func (l *DurationList) Set(s string) error {
	var out []time.Duration
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		d, err := time.ParseDuration(part)
		if err != nil {
			if n, nerr := strconv.ParseFloat(part, 64); nerr == nil {
				d = time.Duration(n * float64(time.Second))
			} else {
				return fmt.Errorf("%q is not a duration (such as 1s or 500ms)", part)
			}
		}
		out = append(out, d)
	}
	if len(out) == 0 {
		return errors.New("no delays given")
	}
	*l = out
	return nil
}

// PayloadAttempts is the most attempts one payload gets: attempts per
// cycle times cycles.
func (p Profile) PayloadAttempts() int { return p.AttemptsPerCycle * p.Cycles }

// NeedFailures skips the running spec unless one payload can fail n times
// and still get another attempt, and the threshold lies beyond n.
func (p Profile) NeedFailures(n int) {
	switch {
	case n >= p.PayloadAttempts():
		SkipBecause(fmt.Sprintf("the spec needs one payload to fail %d times and be retried, but it gets only %d attempts (--attempts-per-cycle × --cycles)", n, p.PayloadAttempts()))
	case n >= p.ErrorThreshold:
		SkipBecause(fmt.Sprintf("the spec needs %d failed attempts below the error threshold %d", n, p.ErrorThreshold))
	}
}
