package api

import (
	"encoding/json"
	"fmt"
	"math"
	"time"
)

// Duration is a time.Duration that encodes as a Go duration string ("1.5s")
// and decodes from either such a string or a JSON number of milliseconds.
type Duration time.Duration

// D returns d as a time.Duration.
func (d Duration) D() time.Duration { return time.Duration(d) }

// MarshalJSON encodes d as a duration string.
func (d Duration) MarshalJSON() ([]byte, error) {
	return json.Marshal(time.Duration(d).String())
}

// UnmarshalJSON accepts "250ms"-style strings and numbers of milliseconds.
func (d *Duration) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return fmt.Errorf("duration: %w", err)
		}
		v, err := time.ParseDuration(s)
		if err != nil {
			return fmt.Errorf("duration %q: want a Go duration such as \"250ms\" or \"1.5s\"", s)
		}
		*d = Duration(v)
		return nil
	}
	var ms float64
	if err := json.Unmarshal(b, &ms); err != nil {
		return fmt.Errorf("duration %s: want a string such as \"250ms\" or a number of milliseconds", b)
	}
	ns := ms * float64(time.Millisecond)
	if math.IsNaN(ns) || ns > math.MaxInt64 || ns < math.MinInt64 {
		return fmt.Errorf("duration %s ms is out of range: at most %d ms (about 292 years)", b, int64(math.MaxInt64/int64(time.Millisecond)))
	}
	*d = Duration(ns)
	return nil
}
