package receiver

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/hookcheck/hookcheck/receiver/journal"
)

// BenchmarkFind measures the read side of the journal: "locked" is the
// part of reading a call done under the channel's journal lock (appends
// to that channel wait meanwhile), "total" the whole read, up to the
// api.Call. One op is one call read.
func BenchmarkFind(b *testing.B) {
	rv, err := Start(Config{TLSListen: Off, SMTPListen: Off})
	if err != nil {
		b.Fatal(err)
	}
	defer rv.Close()
	body := []byte(`{"Event":"contact.changed","pad":"` + strings.Repeat("x", 1000) + `"}`)
	const held = 2000
	for range held {
		resp, err := http.Post(rv.URL()+"/hooks/read", "application/json", bytes.NewReader(body))
		if err != nil {
			b.Fatal(err)
		}
		resp.Body.Close()
	}
	ch := rv.channels.get("read")
	b.Run("locked", func(b *testing.B) { // the part that holds the journal's lock
		b.ReportAllocs()
		for n := 0; n < b.N; n += held {
			if got := journal.FindMap(context.Background(), ch.log, journal.Query[storedCall]{}, ch.copyOut); len(got) != held {
				b.Fatalf("read %d calls, want %d", len(got), held)
			}
		}
	})
	b.Run("total", func(b *testing.B) {
		b.ReportAllocs()
		for n := 0; n < b.N; n += held {
			if got := ch.find(context.Background(), journal.Query[storedCall]{}); len(got) != held {
				b.Fatalf("read %d calls, want %d", len(got), held)
			}
		}
	})
}
