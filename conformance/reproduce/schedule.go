package reproduce

import (
	"fmt"
	"strconv"
	"time"
)

// cycles splits the attempts of one payload into its cycles: runs of one
// EventId.
func cycles(attempts []Attempt) [][]Attempt {
	var out [][]Attempt
	for i, a := range attempts {
		if i == 0 || a.EventID != attempts[i-1].EventID {
			out = append(out, nil)
		}
		out[len(out)-1] = append(out[len(out)-1], a)
	}
	return out
}

// byPayload groups attempts by PrimaryKey, in order of first appearance.
func byPayload(attempts []Attempt) [][]Attempt {
	idx := map[int64]int{}
	var out [][]Attempt
	for _, a := range attempts {
		i, ok := idx[a.PrimaryKey]
		if !ok {
			i = len(out)
			idx[a.PrimaryKey] = i
			out = append(out, nil)
		}
		out[i] = append(out[i], a)
	}
	return out
}

// wantRetry is the X-SuperOffice-Retry header the profile expects on the
// attempt at 0-based index i of its cycle, and whether it pins one.
func (r *Run) wantRetry(i int) (string, bool) {
	switch r.p.RetryHeader {
	case "count":
		if i == 0 {
			return "", true
		}
		return strconv.Itoa(i), true
	case "zero-based":
		return strconv.Itoa(i), true
	}
	return "", false
}

// checkSchedule compares the attempts of one payload with the profile's
// schedule: the attempts of each cycle, the retry delays between them,
// the retry header, the gap before a new cycle and the number of cycles.
// ended is true when the payload's last cycle ended early on purpose (a
// delivery, TooManyErrors), so its length is not judged.
func (r *Run) checkSchedule(attempts []Attempt, ended bool) {
	p := r.p
	cs := cycles(attempts)
	for ci, c := range cs {
		last := ci == len(cs)-1
		if n := len(c); n > p.AttemptsPerCycle || (n < p.AttemptsPerCycle && (!last || !ended) && !c[n-1].Delivered) {
			end := c[n-1]
			r.differ(end.ReceivedAt, fmt.Sprintf("cycle %d (EventId %s) had %d attempts", end.Cycle, end.EventID, n),
				fmt.Sprintf("%d per cycle (--attempts-per-cycle)", p.AttemptsPerCycle))
		}
		for i, a := range c {
			if want, pinned := r.wantRetry(i); pinned && a.Retry != want {
				r.differ(a.ReceivedAt, fmt.Sprintf("attempt %d (attempt %d of cycle %d) carried X-SuperOffice-Retry %s", a.N, i+1, a.Cycle, quoteOrAbsent(a.Retry)),
					fmt.Sprintf("%s (--retry-header %s)", quoteOrAbsent(want), p.RetryHeader))
			}
			if i == 0 {
				continue
			}
			want := p.RetryDelay(i + 1)
			got := a.ReceivedAt.Sub(c[i-1].ReceivedAt)
			if low, high := p.DelayBounds(want); got < low || got > high {
				r.differ(a.ReceivedAt, fmt.Sprintf("attempt %d came %s after attempt %d", a.N, human(got), c[i-1].N),
					fmt.Sprintf("%s (±%s, --retry-delays)", human(want), human(p.Tolerance(want))))
			}
		}
		if ci > 0 {
			prev := cs[ci-1][len(cs[ci-1])-1]
			want := p.Scaled(p.CycleGap)
			got := c[0].ReceivedAt.Sub(prev.ReceivedAt)
			if low, high := p.DelayBounds(want); got < low || got > high {
				r.differ(c[0].ReceivedAt, fmt.Sprintf("cycle %d began %s after cycle %d ended", c[0].Cycle, human(got), prev.Cycle),
					fmt.Sprintf("%s (±%s, --cycle-gap)", human(want), human(p.Tolerance(want))))
			}
		}
	}
	if len(cs) > p.Cycles {
		extra := cs[p.Cycles][0]
		r.differ(extra.ReceivedAt, fmt.Sprintf("PrimaryKey %d got a cycle %d", extra.PrimaryKey, len(cs)),
			fmt.Sprintf("at most %d cycles per payload (--cycles)", p.Cycles))
	}
}

// nextWait is how long to wait for the attempt after k attempts of one
// payload: the scheduled delay with its tolerance plus the delivery
// wait, so a late attempt is still seen (and judged late); after the
// payload's last scheduled attempt, only the gap and the quiet period.
func (r *Run) nextWait(k int) time.Duration {
	p := r.p
	switch {
	case k == 0:
		return p.DeliveryWait
	case k >= p.PayloadAttempts():
		return p.Scaled(p.CycleGap) + p.Tolerance(p.Scaled(p.CycleGap)) + p.QuietPeriod
	case k%p.AttemptsPerCycle == 0:
		return p.Within(p.Scaled(p.CycleGap))
	}
	return p.Within(p.RetryDelay(k%p.AttemptsPerCycle + 1))
}

// quoteOrAbsent quotes a header value, or says it was absent.
func quoteOrAbsent(v string) string {
	if v == "" {
		return "absent"
	}
	return strconv.Quote(v)
}
