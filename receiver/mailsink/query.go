package mailsink

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/hookcheck/hookcheck/receiver/api"
	"github.com/hookcheck/hookcheck/receiver/journal"
)

// Query selects captured mails for Find.
type Query struct {
	// To keeps mails with an envelope recipient equal to To, compared
	// case-insensitively (surrounding spaces and angle brackets are
	// ignored); empty keeps all mails.
	To string
	// After keeps mails with a sequence number greater than After.
	After uint64
	// Min is how many matching mails to wait for (values below 1 mean 1).
	Min int
	// Wait is how long to block for Min mails; 0 answers at once.
	Wait time.Duration
}

// Find returns the captured mails that match q, oldest first. With q.Wait it
// blocks until at least q.Min mails match, the wait ends or ctx is done, and
// then returns whatever matches. Last in the answer is a sequence number to
// pass as After in a follow-up query: such a query returns neither a mail
// already returned nor misses a matching mail.
func (s *Sink) Find(ctx context.Context, q Query) api.MailList {
	_, last, _ := s.log.Stats()
	mails := s.log.Find(ctx, journal.Query[api.Mail]{
		After: q.After,
		Match: matchRecipient(q.To),
		Min:   q.Min,
		Wait:  q.Wait,
	})
	// Every mail numbered up to the last one found, or up to the last one
	// appended before the search, was seen by the search.
	if n := len(mails); n > 0 {
		last = max(last, mails[n-1].Seq)
	}
	_, _, evicted := s.log.Stats()
	return api.MailList{Mails: mails, Last: last, Evicted: evicted}
}

// matchRecipient returns a journal filter keeping mails addressed to to, or
// nil (keep all) when to is empty.
func matchRecipient(to string) func(*api.Mail) bool {
	to = normalizeAddr(to)
	if to == "" {
		return nil
	}
	return func(m *api.Mail) bool {
		return slices.ContainsFunc(m.To, func(rcpt string) bool {
			return strings.EqualFold(normalizeAddr(rcpt), to)
		})
	}
}

// normalizeAddr strips spaces and one pair of angle brackets around addr.
func normalizeAddr(addr string) string {
	addr = strings.TrimSpace(addr)
	if strings.HasPrefix(addr, "<") && strings.HasSuffix(addr, ">") {
		addr = strings.TrimSpace(addr[1 : len(addr)-1])
	}
	return addr
}
