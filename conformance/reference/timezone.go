package reference

import (
	"strings"
	"time"
)

// The request headers that choose how dates are answered (spec §2.1: "SO-TimeZone
// ... localise[s] dates"; §2.5: the SOAP TimeZone header). NetServer names a
// zone by its TZLocationCode ("UTC", "AU-QLD", ...), not an IANA name or an ISO
// country code.

// timeZones are the TZLocationCodes the reference knows, each with a fixed
// offset: zones without daylight saving time, so the conversion needs no
// time-zone database and a spec can predict it.
var timeZones = map[string]*time.Location{
	"UTC":    time.UTC,
	"GMT":    time.UTC,
	"IS":     time.FixedZone("IS", 0),
	"AU-QLD": time.FixedZone("AU-QLD", 10*3600),
	"JP":     time.FixedZone("JP", 9*3600),
	"KR":     time.FixedZone("KR", 9*3600),
	"CN":     time.FixedZone("CN", 8*3600),
	"SG":     time.FixedZone("SG", 8*3600),
	"IN":     time.FixedZone("IN", 5*3600+1800),
	"NP":     time.FixedZone("NP", 5*3600+2700),
	"AE":     time.FixedZone("AE", 4*3600),
	"AR-BA":  time.FixedZone("AR-BA", -3*3600),
	"CO":     time.FixedZone("CO", -5*3600),
	"US-AZ":  time.FixedZone("US-AZ", -7*3600),
	"US-HI":  time.FixedZone("US-HI", -10*3600),
}

// LookupTimeZone returns the zone of a TZLocationCode (case-insensitive);
// ok is false for a code the reference does not know.
func LookupTimeZone(code string) (loc *time.Location, ok bool) {
	loc, ok = timeZones[strings.ToUpper(strings.TrimSpace(code))]
	return loc, ok
}

// ZonedFormat is the WireFormat of an answer to a request that named a time
// zone: State as Base spells it, dates converted to Zone with its offset
// ("2025-05-14T12:48:07.8912039+02:00"). The zero time stays
// "0001-01-01T00:00:00".
type ZonedFormat struct {
	Base WireFormat
	Zone *time.Location
}

// State implements WireFormat.
func (z ZonedFormat) State(s State) string { return z.Base.State(s) }

// Time implements WireFormat.
func (z ZonedFormat) Time(t time.Time) string {
	if t.IsZero() {
		return FormatTime(t)
	}
	return t.In(z.Zone).Format(TimeFormat + "Z07:00")
}

// InZone returns format converted to the zone of code, or format itself when
// code is empty or unknown (an unknown zone is not an error: the answer
// stays in UTC, as without the header).
func InZone(format WireFormat, code string) WireFormat {
	if format == nil {
		format = StandardWireFormat{}
	}
	loc, ok := LookupTimeZone(code)
	if code == "" || !ok {
		return format
	}
	return ZonedFormat{Base: format, Zone: loc}
}
