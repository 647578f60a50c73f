package reference

import "time"

// Webhook is the webhook entity (spec §1.1) as the core sees it. Empty
// strings, nil slices and nil maps are the wire's null: front ends encode
// them as JSON null or SOAP xsi:nil.
type Webhook struct {
	WebhookID           int32
	Name                string
	Events              []string
	TargetURL           string
	Secret              string
	State               State
	Type                string
	Headers             map[string]string
	Properties          map[string]any
	Registered          time.Time
	RegisteredAssociate *Associate
	Updated             time.Time
	UpdatedAssociate    *Associate
	ErrorsEmail         string
	// V121 holds the v12.1 members (spec §1.8) when the service runs with
	// Options.V121Fields; nil otherwise.
	V121 *V121Fields
}

// Associate is the Associate sub-object (spec §1.5), reduced to the fields
// the service fills in; front ends emit the rest as defaults.
type Associate struct {
	AssociateID int32
	Name        string
	PersonID    int32
	FullName    string
	UserName    string
	Type        string // UserType name, e.g. "InternalAssociate"
}

// WebhookResult is the answer of TestWebhook (spec §1.6).
type WebhookResult struct {
	Success bool
	Message string
}

// Filter selects webhooks for GetAllWebhooks (spec §2.2 R2, §9 #16).
type Filter struct {
	Name  string // exact, case-insensitive; "" = any
	Event string // membership in Events, case-insensitive; "" = any
	State State  // StateUnknown = any
}

// Usage mirrors the webhook_usage row (spec §1.7).
type Usage struct {
	TotalCalls        int64
	TotalErrors       int64
	ConsecutiveErrors int64
	LastError         string
}

// Caller identifies who makes an API call: the authenticated associate and,
// for Online isolation (spec §8), the application token.
type Caller struct {
	Associate *Associate
	AppToken  string
}

// TimeFormat is the wire format of every date in every front end:
// UTC, 7 fraction digits when non-zero, no offset ("0001-01-01T00:00:00"
// for the zero time), matching the documented samples.
const TimeFormat = "2006-01-02T15:04:05.9999999"

// FormatTime renders t in TimeFormat, in UTC.
func FormatTime(t time.Time) string {
	if t.IsZero() {
		return "0001-01-01T00:00:00"
	}
	return t.UTC().Format(TimeFormat)
}
