package reproduce

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/tidwall/gjson"

	"github.com/hookcheck/hookcheck/conformance/framework"
	"github.com/hookcheck/hookcheck/receiver/api"
	"github.com/hookcheck/hookcheck/reports"
)

// StepKind names what a Step records.
type StepKind string

// The kinds of steps.
const (
	// KindAttempt is a call the target made to a receiver channel.
	KindAttempt StepKind = "attempt"
	// KindState is a change of the followed hook's State.
	KindState StepKind = "state"
	// KindStateEvent is a webhook{id}.* state event reaching the watcher.
	KindStateEvent StepKind = "state-event"
	// KindMail is an error e-mail captured by the SMTP sink.
	KindMail StepKind = "mail"
	// KindAction is something the script did: a save, a signal, a script.
	KindAction StepKind = "action"
	// KindNote is something the script read: counters, a save's answer.
	KindNote StepKind = "note"
)

// Step is one line of the timeline.
type Step struct {
	Kind StepKind  `json:"kind"`
	At   time.Time `json:"at"`
	// Since is the time since the first attempt (verify-url: the first
	// save) in seconds; absent for steps before it.
	Since *float64 `json:"since,omitempty"`
	// Text describes the step (for attempts: its answer).
	Text string `json:"text"`
	// State is the followed hook's State as last read.
	State string `json:"state,omitempty"`
	// Attempt is set for KindAttempt.
	Attempt *Attempt `json:"attempt,omitempty"`
}

// Attempt is one call the target made, as the receiver recorded it.
type Attempt struct {
	// N numbers the attempts of the followed hook from 1.
	N int `json:"n"`
	// Cycle numbers the runs of one EventId from 1.
	Cycle      int       `json:"cycle"`
	Seq        uint64    `json:"seq"`
	Channel    string    `json:"channel"`
	ReceivedAt time.Time `json:"receivedAt"`
	Event      string    `json:"event"`
	EventID    string    `json:"eventId"`
	// Retry is the X-SuperOffice-Retry header as sent ("" when absent).
	Retry      string `json:"retry"`
	PrimaryKey int64  `json:"primaryKey"`
	// Status is the receiver's answer, 0 when a fault sent none.
	Status int    `json:"status"`
	Fault  string `json:"fault,omitempty"`
	// Delivered is true when the profile counts the answer as a success.
	Delivered bool `json:"delivered"`
}

// attemptOf reads an attempt from a recorded call.
func attemptOf(c api.Call, p framework.Profile) Attempt {
	return Attempt{
		Seq: c.Seq, Channel: c.Channel, ReceivedAt: c.ReceivedAt, Event: c.Event, EventID: c.EventID,
		Retry: c.Header(framework.HeaderRetry), PrimaryKey: gjson.Get(c.Body, "PrimaryKey").Int(),
		Status: c.Response.Status, Fault: c.Response.Fault,
		Delivered: c.Response.Fault == "" && p.SuccessStatus(c.Response.Status),
	}
}

// Answer describes the receiver's answer: "500", "200 delivered",
// "fault reset".
func (a Attempt) Answer() string {
	switch {
	case a.Fault != "":
		return "fault " + a.Fault
	case a.Delivered:
		return fmt.Sprintf("%d delivered", a.Status)
	case a.Status == 0:
		return "no answer (yet)"
	}
	return strconv.Itoa(a.Status)
}

// point is the attempt as the report's timeline draws it.
func (a Attempt) point() reports.CallPoint {
	retry, _ := strconv.Atoi(a.Retry)
	return reports.CallPoint{Seq: int(a.Seq), At: a.ReceivedAt, EventID: a.EventID, Retry: retry, Status: a.Status, Fault: a.Fault}
}

// Offset formats the step's time since the first attempt: "+1.003s", or
// "" before it.
func (s Step) Offset() string {
	if s.Since == nil {
		return ""
	}
	return fmt.Sprintf("+%.3fs", *s.Since)
}

// lineWidth is the width of a line's text before the state column.
const lineWidth = 76

// Line formats the step for the terminal: the time since the first
// attempt, what happened, and the hook's State in a side column.
func (s Step) Line() string {
	var text string
	if a := s.Attempt; a != nil {
		retry := a.Retry
		if retry == "" {
			retry = "-"
		}
		text = fmt.Sprintf("#%-2d cycle %d  %-36s  retry %-2s  → %s", a.N, a.Cycle, a.EventID, retry, a.Answer())
	} else {
		text = s.Text
	}
	off := s.Offset()
	if off == "" {
		off = "·"
	}
	line := fmt.Sprintf("%10s  %s", off, text)
	if s.State == "" {
		return line
	}
	if pad := lineWidth - len([]rune(line)); pad > 0 {
		line += strings.Repeat(" ", pad)
	}
	return line + "  │ " + s.State
}

// seconds returns d in seconds, for Step.Since and Difference.Since.
func seconds(d time.Duration) *float64 {
	f := d.Seconds()
	return &f
}

// human formats a duration for verdicts: "15.2 s", "480 ms".
func human(d time.Duration) string {
	if d < time.Second && d > -time.Second {
		return fmt.Sprintf("%d ms", d.Milliseconds())
	}
	return fmt.Sprintf("%.1f s", d.Seconds())
}
