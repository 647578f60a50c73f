package reports

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// Timeline geometry, in SVG user units.
const (
	tlWidth     = 760.0
	tlLabelW    = 120.0
	tlRightPad  = 24.0
	tlTopPad    = 14.0
	tlRowH      = 32.0
	tlAxisH     = 30.0
	tlMarkerR   = 9.0
	tlMaxRows   = 16
	tlOtherRow  = "(other events)"
	tlNoEventID = "(no event id)"
)

// timeline is a laid-out chart of delivery attempts: one row per event ID,
// x the time since the first attempt, one marker per call.
type timeline struct {
	Width, Height float64
	PlotX0        float64
	PlotX1        float64
	AxisY         float64
	ByOrder       bool // x is call order, not time (calls without usable times)
	Rows          []timelineRow
	Ticks         []timelineTick
	Markers       []timelineMarker
}

// timelineRow is one event ID's lane.
type timelineRow struct {
	Label, Full string
	Y           float64
	X0, X1      float64 // the span of its markers, drawn as a line
}

// timelineTick is an x-axis tick.
type timelineTick struct {
	X     float64
	Label string
}

// timelineMarker is one call.
type timelineMarker struct {
	X, Y  float64
	OK    bool
	Text  string // the retry number
	Title string // the tooltip
}

// layoutTimeline lays out the calls; it returns nil for no calls.
func layoutTimeline(calls []CallPoint) *timeline {
	if len(calls) == 0 {
		return nil
	}
	tl := &timeline{Width: tlWidth, PlotX0: tlLabelW + tlMarkerR, PlotX1: tlWidth - tlRightPad}

	// Rows in order of first appearance, the overflow folded into one row.
	rowOf := map[string]int{}
	lanes := 0
	for _, c := range calls {
		key := rowKey(c.EventID)
		if _, ok := rowOf[key]; ok {
			continue
		}
		if lanes == tlMaxRows-1 {
			idx, ok := rowOf[tlOtherRow]
			if !ok {
				idx = len(tl.Rows)
				rowOf[tlOtherRow] = idx
				tl.Rows = append(tl.Rows, timelineRow{Label: tlOtherRow, Full: fmt.Sprintf("events beyond the first %d", tlMaxRows-1)})
			}
			rowOf[key] = idx
			continue
		}
		lanes++
		rowOf[key] = len(tl.Rows)
		label := shortID(key)
		if key == tlNoEventID {
			label = key
		}
		tl.Rows = append(tl.Rows, timelineRow{Label: label, Full: key})
	}
	for i := range tl.Rows {
		tl.Rows[i].Y = tlTopPad + tlRowH*float64(i) + tlRowH/2
		tl.Rows[i].X0 = math.Inf(1)
		tl.Rows[i].X1 = math.Inf(-1)
	}
	tl.AxisY = tlTopPad + tlRowH*float64(len(tl.Rows)) + 4
	tl.Height = tl.AxisY + tlAxisH

	t0, span := calls[0].At, time.Duration(0)
	for _, c := range calls {
		if c.At.IsZero() {
			tl.ByOrder = true
			break
		}
		if c.At.Before(t0) {
			t0 = c.At
		}
	}
	if !tl.ByOrder {
		for _, c := range calls {
			if d := c.At.Sub(t0); d > span {
				span = d
			}
		}
		if span == 0 && len(calls) > 1 {
			tl.ByOrder = true
		}
	}
	plotW := tl.PlotX1 - tl.PlotX0
	for i, c := range calls {
		var x float64
		switch {
		case len(calls) == 1:
			x = tl.PlotX0
		case tl.ByOrder:
			x = tl.PlotX0 + plotW*float64(i)/float64(len(calls)-1)
		default:
			x = tl.PlotX0 + plotW*float64(c.At.Sub(t0))/float64(span)
		}
		row := &tl.Rows[rowOf[rowKey(c.EventID)]]
		row.X0, row.X1 = math.Min(row.X0, x), math.Max(row.X1, x)
		tl.Markers = append(tl.Markers, timelineMarker{
			X: round1(x), Y: row.Y, OK: c.Succeeded(),
			Text:  fmt.Sprint(c.Retry),
			Title: callTitle(c, t0, tl.ByOrder),
		})
	}
	for i := range tl.Rows {
		tl.Rows[i].X0, tl.Rows[i].X1 = round1(tl.Rows[i].X0), round1(tl.Rows[i].X1)
	}
	if !tl.ByOrder {
		tl.Ticks = timeTicks(span, tl.PlotX0, plotW)
	}
	return tl
}

func rowKey(eventID string) string {
	if eventID == "" {
		return tlNoEventID
	}
	return eventID
}

// callTitle is a marker's tooltip.
func callTitle(c CallPoint, t0 time.Time, byOrder bool) string {
	parts := []string{fmt.Sprintf("call #%d", c.Seq)}
	if !byOrder {
		parts = append(parts, "+"+humanDuration(c.At.Sub(t0)))
	}
	parts = append(parts, "event "+orDash(c.EventID), fmt.Sprintf("retry %d", c.Retry))
	if c.Fault != "" {
		parts = append(parts, "fault "+c.Fault)
	} else {
		parts = append(parts, fmt.Sprintf("status %d", c.Status))
	}
	return strings.Join(parts, " · ")
}

// timeTicks places about five ticks at a 1-2-5 step over span.
func timeTicks(span time.Duration, x0, w float64) []timelineTick {
	if span <= 0 {
		return []timelineTick{{X: x0, Label: "+0s"}}
	}
	raw := float64(span) / 5
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := mag * 10
	for _, m := range []float64{1, 2, 5} {
		if m*mag >= raw {
			step = m * mag
			break
		}
	}
	var ticks []timelineTick
	for v := 0.0; v <= float64(span)*1.0001; v += step {
		ticks = append(ticks, timelineTick{X: round1(x0 + w*v/float64(span)), Label: "+" + humanDuration(time.Duration(v))})
	}
	return ticks
}

func round1(f float64) float64 {
	return math.Round(f*10) / 10
}
