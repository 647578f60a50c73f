package framework

import (
	"time"

	"github.com/hookcheck/hookcheck/receiver/api"
)

// Fault-script builders for the receiver (see receiver/api.Rule).

// Answer returns a rule answering every call for event ("" = any) with
// status; times limits how many calls it answers (0 = forever).
func Answer(event string, status int, times int) api.Rule {
	r := api.Rule{Respond: &api.Respond{Status: status}}
	return atMost(onEvent(r, event), times)
}

// AnswerBody is Answer with a response body and headers.
func AnswerBody(event string, status int, body string, headers map[string]string, times int) api.Rule {
	r := api.Rule{Respond: &api.Respond{Status: status, Body: body, Headers: headers}}
	return atMost(onEvent(r, event), times)
}

// Delay returns a rule answering 200 after delay.
func Delay(event string, delay time.Duration, times int) api.Rule {
	r := api.Rule{Respond: &api.Respond{Status: 200, Delay: api.Duration(delay)}}
	return atMost(onEvent(r, event), times)
}

// FaultRule returns a rule applying a fault (reset, close, hang, ...).
func FaultRule(event, fault string, times int) api.Rule {
	r := api.Rule{Fault: &api.Fault{Type: fault}}
	return atMost(onEvent(r, event), times)
}

// onEvent narrows a rule to calls for event ("" = any).
func onEvent(r api.Rule, event string) api.Rule {
	if event != "" {
		r.Match = &api.Match{Event: event}
	}
	return r
}

// atMost makes a rule answer at most times calls (0 = forever).
func atMost(r api.Rule, times int) api.Rule {
	if times > 0 {
		t := times
		r.Times = &t
	}
	return r
}

// AnswerAfter answers status after delay.
func AnswerAfter(event string, status int, delay time.Duration, times int) api.Rule {
	r := api.Rule{Respond: &api.Respond{Status: status, Delay: api.Duration(delay)}}
	return atMost(onEvent(r, event), times)
}
