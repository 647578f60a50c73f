package cli

import (
	"fmt"
	"strings"
	"time"
)

// durationsFlag is a comma-separated list of durations, e.g. "1s,4s".
type durationsFlag []time.Duration

func (d *durationsFlag) String() string {
	parts := make([]string, len(*d))
	for i, v := range *d {
		parts[i] = v.String()
	}
	return strings.Join(parts, ",")
}

// Set replaces the list with the parsed values.
func (d *durationsFlag) Set(v string) error {
	var out []time.Duration
	for _, p := range strings.Split(v, ",") {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		x, err := time.ParseDuration(p)
		if err != nil || x < 0 {
			return fmt.Errorf("%q is not a non-negative duration such as 1s or 250ms", p)
		}
		out = append(out, x)
	}
	if len(out) == 0 {
		return fmt.Errorf("want at least one duration, e.g. 1s,4s")
	}
	*d = out
	return nil
}
