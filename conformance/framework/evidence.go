package framework

import (
	"context"
	"strings"

	. "github.com/onsi/ginkgo/v2"

	"github.com/hookcheck/hookcheck/receiver/api"
	"github.com/hookcheck/hookcheck/receiver/client"
	"github.com/hookcheck/hookcheck/reports"
)

// attachEvidence adds the evidence of a failed spec: what the clause
// expects, what happened (the failure message) and every call the
// scenario's channels recorded.
func (s *Scenario) attachEvidence(ctx context.Context) {
	rep := CurrentSpecReport()
	s.mu.Lock()
	expected := strings.Join(s.expected, "; ")
	chans := append([]*Channel(nil), s.channels...)
	s.mu.Unlock()
	if expected == "" {
		if cat, err := Catalogue(); err == nil {
			if c, ok := cat.Lookup(ClauseOf(rep.Labels())); ok {
				expected = c.Title
			}
		}
	}
	ev := reports.Evidence{Expected: expected, Actual: rep.Failure.Message}
	for _, ch := range chans {
		list, err := s.Env.RV.Calls(ctx, ch.ID, client.CallQuery{})
		if err != nil {
			GinkgoWriter.Printf("evidence: read calls of channel %s: %v\n", ch.ID, err)
			continue
		}
		ev.Calls = append(ev.Calls, CallPoints(list.Calls)...)
	}
	AddReportEntry(reports.EvidenceEntry, ev)
}

// CallPoints reduces receiver calls to report call points.
func CallPoints(calls []api.Call) []reports.CallPoint {
	out := make([]reports.CallPoint, 0, len(calls))
	for _, c := range calls {
		cp := reports.CallPoint{Seq: int(c.Seq), At: c.ReceivedAt, EventID: c.EventID, Status: c.Response.Status, Fault: c.Response.Fault}
		if c.Retry != nil {
			cp.Retry = *c.Retry
		}
		out = append(out, cp)
	}
	return out
}
