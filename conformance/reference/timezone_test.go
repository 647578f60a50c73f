package reference

import (
	"testing"
	"time"
)

// TestInZone checks the SO-TimeZone conversion: a known code gives the
// instant in that zone with its offset, the zero time stays as it is, and
// an empty or unknown code leaves the format alone.
func TestInZone(t *testing.T) {
	at := time.Date(2025, 5, 14, 10, 48, 7, 891203900, time.UTC)
	cases := []struct{ code, want string }{
		{"AU-QLD", "2025-05-14T20:48:07.8912039+10:00"},
		{"au-qld", "2025-05-14T20:48:07.8912039+10:00"},
		{"IN", "2025-05-14T16:18:07.8912039+05:30"},
		{"US-HI", "2025-05-14T00:48:07.8912039-10:00"},
		{"UTC", "2025-05-14T10:48:07.8912039Z"},
		{"", "2025-05-14T10:48:07.8912039"},
		{"Mars/Olympus", "2025-05-14T10:48:07.8912039"},
	}
	for _, c := range cases {
		f := InZone(StandardWireFormat{}, c.code)
		if got := f.Time(at); got != c.want {
			t.Errorf("InZone(%q).Time = %q, want %q", c.code, got, c.want)
		}
		if got := f.Time(time.Time{}); got != "0001-01-01T00:00:00" {
			t.Errorf("InZone(%q) of the zero time = %q", c.code, got)
		}
		if got := f.State(StateStopped); got != "Stopped" {
			t.Errorf("InZone(%q).State = %q", c.code, got)
		}
	}
}
